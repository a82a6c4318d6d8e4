"""Search over suggestions and proposals: what each user finds, substring recall against
LIKE, phrases, sorts, snippets, the index following every write, the dictionary, and bad
queries. Runs on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.conftest import Cast, make_user
from xieshang.people.models import Member
from xieshang.proposals.models import ProposalCategory
from xieshang.proposals.services.drafting import (
    ProposalData,
    category_install_defaults,
    proposal_create,
    proposal_submit,
    proposal_update,
)
from xieshang.proposals.services.office import proposal_accept
from xieshang.search import services
from xieshang.search.models import EntryKind, SearchEntry, SearchWord
from xieshang.search.segmenter import segmenter
from xieshang.search.selectors import SearchFilter, search
from xieshang.search.tasks import index_suggestion
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import places, submit  # noqa: F401
from xieshang.testing import dispatch

TEXTS = [
    ("龙口东路下水道返臭", "龙口东路段下水道长期返臭，夏天尤其严重，希望尽快整治。"),
    ("港海社区三线下地", "港海社区电线杂乱，存在安全隐患，建议三线下地。"),
    ("珠江新城小区噪音扰民", "珠江新城某小区晚上施工噪音很大，影响居民休息。"),
    ("老旧小区加装电梯", "天河区老旧小区多为步梯楼，老年人上下楼困难，建议加装电梯。"),
    ("地铁3号线出口拥堵", "地铁3号线林和西站B出口早高峰拥堵，建议增设闸机。"),
    ("猎德大桥路灯不亮", "猎德大桥南侧路灯坏了两周，夜间行车不安全。"),
    ("大小区别对待的问题", "物业收费大小区别对待，业主意见很大。"),
    ("電梯維修不及時", "我們小區的電梯經常壞，維修很慢。"),
]


def titles(results: Any) -> list[str]:
    return [hit.title for hit in results.hits]


def find(user: Any, text: str, **extra: Any) -> list[str]:
    return titles(search(user=user, filters=SearchFilter(text=text, **extra)))


@pytest.fixture
def stored(cast: Cast, places: Any) -> list[Suggestion]:  # noqa: F811
    return [submit_indexed(cast, title=t, content=c, phone="") for t, c in TEXTS]


def submit_indexed(cast: Cast, **extra: Any) -> Suggestion:
    """A citizen's suggestion, indexed by the job that follows its submission."""
    suggestion = submit(cast, **extra)
    assert index_suggestion(suggestion.pk)
    return suggestion


def test_a_citizens_suggestion_is_indexed_by_the_job_after_its_submission(
    cast: Cast,
    places: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The submit transaction writes no entry (the public form is the page a crowd can
    flood); the job that follows it does, and staff find the suggestion."""
    suggestion = submit(cast, title="龙口东路下水道返臭", content=TEXTS[0][1], phone="")
    assert not SearchEntry.objects.filter(object_id=suggestion.pk).exists()
    assert find(cast.staff, "下水道") == []
    dispatch()  # the beat's dispatch: search.index_suggestion, then the others (eager here)
    entry = SearchEntry.objects.get(kind=EntryKind.SUGGESTION, object_id=suggestion.pk)
    assert entry.committee_id == cast.tianhe.pk
    assert find(cast.staff, "下水道") == ["龙口东路下水道返臭"]


def test_a_suggestion_whose_entry_job_was_lost_is_indexed_by_the_hourly_sweep(
    cast: Cast,
    places: Any,  # noqa: F811
) -> None:
    lost = submit(cast, title="龙口东路下水道返臭", content=TEXTS[0][1], phone="")
    assert services.entries_index_missed() == []  # too young: its job may still come
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.entries_index_missed() == [lost.pk]
        assert find(cast.staff, "下水道") == ["龙口东路下水道返臭"]
        assert services.entries_index_missed() == []  # once is enough
    SearchEntry.objects.filter(object_id=lost.pk).delete()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert services.entries_index_missed() == []  # a week back at most
    assert index_suggestion(lost.pk + 1000) is False  # a suggestion since deleted: nothing


def test_staff_find_suggestions_by_word_fragment_and_character(
    cast: Cast, stored: list[Suggestion]
) -> None:
    assert find(cast.staff, "下水道") == ["龙口东路下水道返臭"]
    assert find(cast.staff, "口东") == ["龙口东路下水道返臭"]  # a fragment of a road's name
    assert find(cast.staff, "堵") == ["地铁3号线出口拥堵"]
    assert find(cast.staff, "3号线 拥堵") == ["地铁3号线出口拥堵"]
    assert set(find(cast.staff, "小区")) == {
        "珠江新城小区噪音扰民",
        "老旧小区加装电梯",
        "大小区别对待的问题",
        "電梯維修不及時",  # 小區, written in traditional characters
    }
    assert find(cast.staff, "小区 噪音") == ["珠江新城小区噪音扰民"]  # AND
    assert find(cast.staff, "噪音 电梯") == []


def test_a_quoted_phrase_must_occur_as_written(cast: Cast, stored: list[Suggestion]) -> None:
    assert find(cast.staff, "老旧 电梯") == ["老旧小区加装电梯"]
    assert find(cast.staff, '"老旧电梯"') == []
    assert find(cast.staff, "“加装电梯”") == ["老旧小区加装电梯"]


def test_every_substring_is_found_as_like_finds_it(cast: Cast, stored: list[Suggestion]) -> None:
    """Recall against a substring search: every 1–4 character piece of every title."""
    queries = {t[i : i + n] for t, _c in TEXTS for n in (1, 2, 3, 4) for i in range(len(t) - n + 1)}
    missed = {}
    for query in sorted(queries):
        if not query.strip() or not any(ch.isalnum() for ch in query):
            continue
        like = set(
            Suggestion.objects.filter(
                Q(title__contains=query) | Q(content__contains=query)
            ).values_list("title", flat=True)
        )
        found = set(titles(search(user=cast.staff, filters=SearchFilter(text=f'"{query}"'))))
        if not like <= found:
            missed[query] = like - found
    assert missed == {}


def test_words_rank_above_characters_that_only_meet(cast: Cast, stored: list[Suggestion]) -> None:
    ranked = find(cast.staff, "小区", sort="relevance")
    assert ranked.index("大小区别对待的问题") > ranked.index("老旧小区加装电梯")
    newest = find(cast.staff, "小区", sort="newest")
    assert newest[0] == "電梯維修不及時"  # the last one submitted


def test_snippets_mark_the_match_and_escape_markup(
    cast: Cast,
    places: Any,  # noqa: F811
) -> None:
    submit_indexed(
        cast, title="有人贴小广告", content="<script>alert(1)</script>楼道里贴满小广告。", phone=""
    )
    client = Client()
    client.force_login(cast.staff)
    page = client.get(reverse("search:search"), {"q": "小广告"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<mark>小广告</mark>" in html
    assert "alert(1)</script>" not in html and "&lt;/script&gt;" in html


def test_each_user_finds_only_what_is_theirs(cast: Cast, stored: list[Suggestion]) -> None:
    haizhu = submit_indexed(
        cast,
        committee=cast.haizhu,
        title="琶洲下水道堵塞",
        content="琶洲下水道堵塞很久了。",
        phone="",
    )
    assert find(cast.staff, "下水道") == ["龙口东路下水道返臭"]
    assert find(cast.outsider, "下水道") == [haizhu.title]
    assert find(cast.city_staff, "下水道") == []  # the city does not read districts' inboxes
    assert set(find(cast.superuser, "下水道")) == {"龙口东路下水道返臭", haizhu.title}
    assert find(cast.member, "下水道") == [] and find(cast.clerk, "下水道") == []
    # A department finds what was referred to it.
    from xieshang.suggestions.services import referral_create, suggestion_transition

    first = stored[0]
    suggestion_transition(suggestion=first, action="triage", actor=cast.staff)
    referral_create(
        suggestion=first, department=cast.department, instructions="请核查。", actor=cast.staff
    )
    assert find(cast.clerk, "下水道") == ["龙口东路下水道返臭"]
    hit = search(user=cast.clerk, filters=SearchFilter(text="下水道")).hits[0]
    assert hit.url.startswith("/work/referrals/")


def proposal_data(category: ProposalCategory, **extra: Any) -> ProposalData:
    fields: dict[str, Any] = {
        "title": "关于琶洲地区停车难的建议",
        "analysis": "琶洲会展期间停车位严重不足。",
        "recommendations": "一、建设立体停车场；二、错峰共享停车。",
        "category": category,
    }
    fields.update(extra)
    return ProposalData(**fields)


def test_proposals_are_found_by_their_proposers_and_once_submitted_by_staff(cast: Cast) -> None:
    category_install_defaults(committee=cast.tianhe)
    category = ProposalCategory.objects.filter(committee=cast.tianhe).first()
    assert category is not None
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)
    proposal = proposal_create(lead=seat, data=proposal_data(category), actor=cast.member)
    other = make_user("t.other", "另一委员")
    Member.objects.create(user=other, committee=cast.tianhe)

    assert find(cast.member, "停车") == ["关于琶洲地区停车难的建议"]
    assert find(other, "停车") == [] and find(cast.staff, "停车") == []  # a draft is its writer's

    # The index follows an edit: the old words are gone, the new ones found.
    proposal_update(
        proposal=proposal,
        data=proposal_data(category, title="关于琶洲地区充电桩不足的建议", analysis="充电桩太少。"),
        actor=cast.member,
    )
    assert find(cast.member, "停车难") == []
    assert find(cast.member, "充电桩") == ["关于琶洲地区充电桩不足的建议"]

    proposal_submit(proposal=proposal, actor=cast.member)
    assert find(cast.staff, "充电桩", kind=EntryKind.PROPOSAL) == ["关于琶洲地区充电桩不足的建议"]
    assert find(cast.staff, "充电桩", kind=EntryKind.SUGGESTION) == []
    proposal_accept(proposal=proposal, actor=cast.staff)
    proposal.refresh_from_db()
    assert proposal.number
    assert find(cast.staff, proposal.number) == [f"{proposal.number} 关于琶洲地区充电桩不足的建议"]
    assert find(cast.outsider, "充电桩") == []
    assert SearchEntry.objects.filter(kind=EntryKind.PROPOSAL).count() == 1


def test_the_dictionary_keeps_a_place_name_whole_and_reindexes(
    cast: Cast, stored: list[Suggestion], django_capture_on_commit_callbacks: Any
) -> None:
    entry = SearchEntry.objects.get(kind=EntryKind.SUGGESTION, object_id=stored[4].pk)
    assert "林和西站" not in entry.words.split()
    client = Client()
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("search:dictionary"),
            {"committee": cast.tianhe.pk, "word": "林和西站", "kind": "word"},
        )
    assert response.status_code == 302
    assert SearchWord.objects.filter(committee=cast.tianhe, word="林和西站").exists()
    assert "林和西站" in segmenter().user_words
    entry = SearchEntry.objects.get(kind=EntryKind.SUGGESTION, object_id=stored[4].pk)
    assert "林和西站" in entry.words.split()  # indexed again by the background job

    # The same word again, an empty one, another committee's: refused, nothing added.
    client.post(reverse("search:dictionary"), {"committee": cast.tianhe.pk, "word": "林和西站"})
    client.post(reverse("search:dictionary"), {"committee": cast.tianhe.pk, "word": "  "})
    client.post(reverse("search:dictionary"), {"committee": cast.haizhu.pk, "word": "琶洲"})
    assert list(SearchWord.objects.values_list("word", flat=True)) == ["林和西站"]

    word = SearchWord.objects.get()
    outsider = Client()
    outsider.force_login(cast.outsider)
    assert outsider.post(reverse("search:dictionary_remove", args=[word.pk])).status_code == 404
    assert client.post(reverse("search:dictionary_remove", args=[word.pk])).status_code == 302
    assert not SearchWord.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "NEAR(下水道 返臭)",
        "下水道*",
        "-返臭",
        "！！！",
        "x" * 10_000,
        "小区" * 5000,
        "' OR 1=1 --",
    ],
)
def test_bad_queries_get_an_answer_never_a_500(
    cast: Cast, stored: list[Suggestion], query: str
) -> None:
    client = Client()
    client.force_login(cast.staff)
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="search-error"' in html or 'id="result-count"' in html


def test_the_page_needs_a_login_and_a_role(cast: Cast) -> None:
    assert Client().get(reverse("search:search")).status_code == 302
    nobody = make_user("nobody", "无角色")
    client = Client()
    client.force_login(nobody)
    assert client.get(reverse("search:search"), {"q": "小区"}).status_code == 403


def test_rebuilding_indexes_every_record(cast: Cast, stored: list[Suggestion]) -> None:
    SearchEntry.objects.all().delete()
    assert find(cast.staff, "下水道") == []
    assert services.entries_rebuild() == len(TEXTS)
    assert find(cast.staff, "下水道") == ["龙口东路下水道返臭"]


# --- The plans at scale, on a small table ------------------------------------------------
# bench/search.py measures them on a million rows; here each plan the PostgreSQL search
# may choose (walking the newest entries, counting by walking, the GIN index for all
# matches, the GIN and time indexes over the newest entries only) must give exactly the
# pages and counts of the plain query, whichever it chooses.

ROWS = 90


@pytest.fixture
def many(cast: Cast) -> list[Suggestion]:
    """90 suggestions a minute apart (two pairs at the same minute), 电梯 in every other,
    噪音 in every fifth, 停车场 in three, and a few of another committee's in between."""

    start = timezone.now() - timedelta(days=1)
    made = []
    for i in range(ROWS):
        words = ["电梯" if i % 2 == 0 else "楼道", "噪音" if i % 5 == 0 else "灯光"]
        if i % 30 == 7:
            words.append("停车场")
        committee = cast.haizhu if i % 9 == 4 else cast.tianhe
        at = start + timedelta(minutes=i - (1 if i in (11, 41) else 0))
        suggestion = Suggestion.objects.create(
            committee=committee,
            title=f"第{i}条建议",
            content="，".join(words) + "的问题。",
            source="web",
            consented_at=at,
            created_at=at,
            idempotency_key=f"many-{i}",
        )
        services.entry_index_suggestion(suggestion=suggestion)
        made.append(suggestion)
    return made


def all_pages(user: Any, text: str, sort: str) -> tuple[list[str], Any]:
    pages, page, first = [], 1, None
    while True:
        results = search(user=user, filters=SearchFilter(text=text, sort=sort, page=page))
        first = first or results
        pages.extend(titles(results))
        if not results.has_next:
            return pages, first
        page += 1


PLANS = [
    {},  # the table is smaller than the first walk: everything from one walk
    {"PROBE_ROWS": 8, "COUNT_WALK_ROWS": 30},  # the GIN index counts, then newest only
    {"PROBE_ROWS": 8, "COUNT_WALK_ROWS": 80},  # counted by walking on
    {"PROBE_ROWS": 3, "COUNT_WALK_ROWS": 10, "PROBE_ENOUGH": 1},  # bound from a probe
]


@pytest.mark.parametrize("text", ["电梯", "噪音", "停车场", "电梯 噪音", "梯", "路灯"])
def test_every_plan_gives_the_pages_of_the_plain_query(
    cast: Cast, many: list[Suggestion], text: str
) -> None:
    """Each plan in turn over the same rows (built once per text: 90 rows are most of the
    test's time)."""
    from xieshang.search import selectors
    from xieshang.search.selectors import matching_entries
    from xieshang.textkit.query import parse_query

    title_of = {s.pk: s.title for s in many}
    for plan in PLANS:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(selectors, "COUNT_CAP", 10)
            monkeypatch.setattr(selectors, "RANK_WINDOW", 7)
            monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
            for name, value in plan.items():
                monkeypatch.setattr(selectors, name, value)
            entries = matching_entries(
                user=cast.staff, query=parse_query(text, segmenter()), kind=EntryKind.SUGGESTION
            )
            ids = entries.order_by("-created_at", "-id").values_list("object_id", flat=True)
            newest = [title_of[pk] for pk in ids]
            assert all(s.committee_id == cast.tianhe.pk for s in many if s.title in newest)

            found, first = all_pages(cast.staff, text, "newest")
            assert found == newest, plan  # every page, in order, none twice
            assert (first.count, first.capped) == (min(len(newest), 10), len(newest) > 10)

            ranked, first = all_pages(cast.staff, text, "relevance")
            assert (first.count, first.capped) == (min(len(newest), 10), len(newest) > 10)
            assert len(ranked) == len(set(ranked)), plan
            if len(newest) <= 10 or connection.vendor != "postgresql":
                assert set(ranked) == set(newest), plan  # every match ranked
            else:
                assert set(ranked) == set(newest[:7]), plan  # the newest RANK_WINDOW


def test_the_scope_on_the_entry_is_the_inboxes(cast: Cast, stored: list[Suggestion]) -> None:
    """Staff find their committees' suggestions by the committee the entry carries: the
    same entries the triage inbox (and a clerk's referral inbox) give as subqueries."""
    from xieshang.search.selectors import scoped_entries
    from xieshang.suggestions.selectors import referral_inbox, suggestion_inbox
    from xieshang.suggestions.services import referral_create, suggestion_transition

    submit_indexed(
        cast, committee=cast.haizhu, title="琶洲下水道堵塞", content="琶洲下水道堵塞。", phone=""
    )
    suggestion_transition(suggestion=stored[0], action="triage", actor=cast.staff)
    referral_create(
        suggestion=stored[0], department=cast.department, instructions="请核查。", actor=cast.staff
    )
    both = make_user("staff.clerk", "机关兼部门")
    from xieshang.people.models import DepartmentClerk, StaffPosition, StaffRole

    StaffPosition.objects.create(user=both, committee=cast.haizhu, role=StaffRole.LIAISON_OFFICE)
    DepartmentClerk.objects.create(user=both, department=cast.department)
    users = [cast.staff, cast.outsider, cast.city_staff, cast.superuser, cast.member, cast.clerk]
    for user in [*users, both]:
        inbox = set(suggestion_inbox(user=user).values_list("pk", flat=True))
        from xieshang.people.access import access_for

        access = access_for(user)
        if not (access.staff_committee_ids or access.is_superuser):
            inbox = set()
        if access.clerk_of:
            inbox |= set(referral_inbox(user=user).values_list("suggestion_id", flat=True))
        scoped = set(
            scoped_entries(user=user, kind=EntryKind.SUGGESTION).values_list("object_id", flat=True)
        )
        assert scoped == inbox, user.username


def test_the_index_filter_matches_what_the_weighted_query_matches(
    cast: Cast, stored: list[Suggestion]
) -> None:
    """On PostgreSQL a term of one token is matched without weights, so that the GIN
    index alone answers it; it must match exactly what the weighted query matches."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tsquery")
    from xieshang.search.selectors import _pg_filter
    from xieshang.textkit.query import parse_query, pg_tsquery

    queries = {t[i : i + n] for t, c in TEXTS for n in (1, 2, 3) for i in range(len(t) - n + 1)}
    queries |= {"3号线", "b出口", "3", "小区 噪音", "“加装电梯”", "電梯", "ＢＢ"}
    for text in sorted(queries):
        if not any(ch.isalnum() for ch in text):
            continue
        query = parse_query(text, segmenter())

        def ids(tsquery: str) -> set[int]:
            return set(
                SearchEntry.objects.extra(
                    where=["search_searchentry.vector @@ to_tsquery('simple', %s)"],
                    params=[tsquery],
                ).values_list("id", flat=True)
            )

        assert ids(_pg_filter(query)) == ids(pg_tsquery(query)), text


def test_snippets_of_long_texts_are_those_of_the_whole_text() -> None:
    """Snippets fold only part of a long text (OpenCC is slow in Python), and come out as
    from the whole text: a match far in, one in traditional characters near the start,
    none at all."""
    from xieshang.search.selectors import _snippet
    from xieshang.textkit.snippet import snippet

    filler = "这是一段很长的说明。" * 100
    texts = {
        "积水": filler + "小区门口积水严重" + filler,
        "小区": "我們小區門口" + filler + "小区",
        "停车": filler,
        "门口": "小区门口积水" + filler,
    }
    for needle, text in texts.items():
        assert _snippet(text, [needle]) == snippet(text, [needle]), needle
    assert [p.text for p in _snippet(texts["积水"], ["积水"]) if p.marked] == ["积水"]
    assert next(p.text for p in _snippet(texts["小区"], ["小区"]) if p.marked) == "小區"


def test_a_tracking_code_opens_the_suggestion_for_who_may_see_it(
    cast: Cast,
    stored: list[Suggestion],
) -> None:
    """Issue 19: a citizen reads their 查询码 out on the phone; staff type it (any case,
    with spaces) in the search box and land on the suggestion. Another committee's staff
    get the plain search, which finds nothing of it."""
    suggestion = stored[0]
    typed = f" {suggestion.tracking_code[:5].lower()} {suggestion.tracking_code[5:]} "
    staff = Client()
    staff.force_login(cast.staff)
    response = staff.get(reverse("search:search"), {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:detail", args=[suggestion.pk])
    outsider = Client()
    outsider.force_login(cast.outsider)
    response = outsider.get(reverse("search:search"), {"q": suggestion.tracking_code})
    assert response.status_code in (200, 403)
    assert suggestion.title not in response.content.decode()
