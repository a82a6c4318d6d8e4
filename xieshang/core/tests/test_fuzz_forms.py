"""No input gives a 500 (issue 20, item 4): hypothesis fills every form and list filter of
the site with hostile values, on SQLite and PostgreSQL alike.

The forms are found, not listed: the walk's records (test_url_walk's `walk_cast`) are set
up, each page is read by the people who use it (citizens, staff, members, a department's
clerk), and every <form> in it — its fields, the values its hidden fields and options
carry — becomes a target. Hypothesis then sends each target's fields, some left as the
page had them and some replaced by NUL bytes, control and bidirectional characters, huge
numbers, impossible dates, long strings and bytes that are not UTF-8, as GET (filters) or
POST (forms, urlencoded or multipart). Any answer of 500 or more, or an exception the
test client re-raises, fails the test with the request that caused it.

XIESHANG_FUZZ_EXAMPLES sets the number of requests (default 300).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xieshang.conftest import Cast
from xieshang.core.decorators import is_public
from xieshang.core.tests.test_url_walk import INSIDER, POST_ONLY, all_routes, url_for
from xieshang.core.tests.test_url_walk import walk_cast as walk_cast  # a fixture

EXAMPLES = int(os.environ.get("XIESHANG_FUZZ_EXAMPLES", "300"))
ROLES = ("anonymous", "staff", "member", "clerk", "city_staff")
# Filters that list pages read from the query string, besides those their forms show.
QUERY_NAMES = ("q", "page", "category", "area", "status", "source", "campaign", "since",
               "until", "sort", "overdue", "kind", "committee", "year", "day", "slot", "all",
               "new", "code", "workroom", "member", "department", "session", "grade")  # fmt: skip
# Forms that end the session or would make the rest of the walk meaningless.
SKIP_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/accounts/password/")


@dataclass(frozen=True)
class Target:
    who: str
    method: str
    url: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]  # each name with the values the page had
    multipart: bool = False

    def describe(self) -> str:
        return f"{self.who} {self.method.upper()} {self.url}"


class FormParser(HTMLParser):
    """The <form>s of a page: method, action, enctype and every named field."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "button") and a.get("name"):
            if a.get("type") == "file":
                return
            values = self._form["fields"].setdefault(a["name"], [])
            values.append(a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            self._form["fields"][self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def clients_for(cast: Cast) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for who in ROLES[1:]:
        clients[who] = Client()
        clients[who].force_login(getattr(cast, who))
    return clients


def discover(cast: Cast) -> list[Target]:
    """Every form on every page of the site (the admin's aside: Django's own), read by
    each role that can open it."""
    clients = clients_for(cast)
    targets: dict[tuple[str, str, str], Target] = {}
    for route in all_routes():
        if route.route.startswith("admin") or route.name in POST_ONLY:
            continue
        url = url_for(route, cast)
        if is_public(route.callback):
            roles: tuple[str, ...] = ("anonymous",)
        else:
            roles = tuple(dict.fromkeys((INSIDER.get(route.name or "", "staff"), *ROLES[1:4])))
        for who in roles:
            response = clients[who].get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(response.content.decode())
            for form in parser.forms:
                action = urljoin(url, form["action"]) if form["action"] else url
                path = urlsplit(action).path
                if path.startswith(SKIP_ACTIONS) or path == "/i18n/setlang/":
                    continue
                fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
                if form["method"] == "get":
                    for name in QUERY_NAMES:
                        fields.setdefault(name, [])
                key = (who, form["method"], path)
                if key not in targets:
                    targets[key] = Target(
                        who=who,
                        method="post" if form["method"] == "post" else "get",
                        url=path,
                        fields=tuple((k, tuple(v)) for k, v in sorted(fields.items())),
                        multipart=form["multipart"],
                    )
            # The page itself, with its query string fuzzed (filters it reads directly).
            targets.setdefault(
                (who, "get", url),
                Target(who=who, method="get", url=url, fields=tuple((n, ()) for n in QUERY_NAMES)),
            )
    return list(targets.values())


KNOWN_TROUBLE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202e了好",
        "\ufffd",
        "0",
        "-1",
        "9" * 19,
        "9" * 30,
        "-" + "9" * 25,
        "9223372036854775808",
        "1e309",
        "NaN",
        "2026-02-30",
        "2026-13-01",
        "99999-01-01",
        "../../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "a" * 3000,
        "天河" * 1200,
        "１２３",
        "０",
    ]
)
HOSTILE = st.one_of(
    KNOWN_TROUBLE,  # what broke pages before (issue 20), drawn as often as the rest together
    st.one_of(
        st.text(max_size=40),  # any Unicode: controls, NUL, bidi overrides, emoji, CJK
        st.integers().map(str),
        st.from_regex(r"-?[0-9]{1,30}", fullmatch=True),
    ),
)


@st.composite
def requests(draw: Any, targets: list[Target]) -> tuple[Target, dict[str, str], str]:
    target = draw(st.sampled_from(targets))
    data: dict[str, str] = {}
    for name, seen in target.fields:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            continue  # left out
        if choice == 1 and seen:
            data[name] = draw(st.sampled_from(seen))  # as the page had it
        else:
            data[name] = draw(HOSTILE)
    encoding = draw(st.sampled_from(["form", "form", "multipart", "latin-1", "gbk-declared"]))
    return target, data, encoding


def send(client: Client, target: Target, data: dict[str, str], encoding: str) -> Any:
    if target.method == "get":
        return client.get(target.url, data)
    if encoding == "multipart" or (target.multipart and encoding == "form"):
        return client.post(target.url, data)
    body = urlencode(data, encoding="utf-8", errors="strict").encode()
    content_type = "application/x-www-form-urlencoded"
    if encoding == "latin-1":  # some values as raw bytes that are not UTF-8
        body = body.replace(b"%C3", b"%FF").replace(b"%E5", b"%C0")
    elif encoding == "gbk-declared":
        content_type += "; charset=gbk"
    return client.generic("POST", target.url, body, content_type=content_type)


def test_no_form_or_filter_answers_500(walk_cast: Cast) -> None:
    targets = discover(walk_cast)
    posts = [t for t in targets if t.method == "post"]
    assert len(posts) >= 25, [t.describe() for t in posts]  # the walk reaches the forms
    assert any(t.url == "/c/tianhe/suggest/" for t in posts)
    clients = clients_for(walk_cast)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        target, fields, encoding = data.draw(requests(posts + targets))
        response = send(clients[target.who], target, fields, encoding)
        assert response.status_code < 500, f"{target.describe()} {fields!r} ({encoding})"

    fuzz()
