"""Crafted input is refused at the edge with a 400 and a Chinese message, never a 500, on
SQLite and PostgreSQL alike (issue 20, item 4): NUL bytes in the path, the query or a form,
numbers too large for any column, bodies in other charsets, bytes that are not UTF-8.
Bidirectional overrides (U+202E) are taken out of what is stored."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from xieshang.conftest import Cast
from xieshang.core.http import int_param
from xieshang.suggestions.models import Suggestion
from xieshang.suggestions.tests.conftest import submit

REFUSED = "无法接受"  # "…cannot be accepted"
HUGE = "9" * 30


@pytest.fixture
def staff_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.staff)
    return client


def refused(response: Any, words: str = REFUSED) -> bool:
    return response.status_code == 400 and words in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/t/%00/",
        "/t/%00/qr.svg",
        "/c/tianhe/results/?q=%00",
        "/c/tianhe/results/?q=a%00b&page=2",
        "/c/tianhe/%00/",
        "/t/?code=%00",
    ],
)
def test_a_nul_byte_in_a_public_address_is_refused(cast: Cast, client: Client, path: str) -> None:
    assert refused(client.get(path))


@pytest.mark.parametrize(
    "path",
    [
        "/work/suggestions/?q=%00",
        "/work/suggestions/export.xlsx?q=%00",
        "/work/search/?q=%00",
        "/work/workrooms/?q=%00",
        "/work/proposals/all/?q=%00",
        "/work/people/members/?q=%00",
        "/admin/suggestions/suggestion/?q=%00",
    ],
)
def test_a_nul_byte_in_a_staff_list_is_refused(cast: Cast, staff_client: Client, path: str) -> None:
    assert refused(staff_client.get(path))


@pytest.mark.parametrize(
    "path",
    [
        f"/c/tianhe/results/?category={HUGE}",
        f"/c/tianhe/results/?category=-{HUGE}",
        f"/work/suggestions/?category={HUGE}&area={HUGE}&campaign={HUGE}",
        f"/work/suggestions/export.xlsx?category={HUGE}",
        f"/c/tianhe/book/?slot={HUGE}",
    ],
)
def test_a_number_too_large_for_any_column_is_refused(
    cast: Cast, staff_client: Client, path: str
) -> None:
    assert refused(staff_client.get(path), "数字过大")


def test_a_number_too_large_in_a_form_is_refused(cast: Cast, staff_client: Client) -> None:
    suggestion = submit(cast)
    response = staff_client.post(
        f"/work/suggestions/{suggestion.pk}/act/",
        {"action": "refer", "expected_state": "new", "department": HUGE},
    )
    assert refused(response, "数字过大")


def test_the_filters_read_a_number_beyond_bigint_as_absent() -> None:
    assert int_param("9223372036854775807") == 2**63 - 1
    assert int_param("9223372036854775808") is None
    assert int_param(HUGE) is None
    assert int_param("9" * 5000) is None  # more digits than Python converts


def test_a_tracking_code_with_a_slash_gets_a_message(cast: Cast, client: Client) -> None:
    response = client.get("/t/", {"code": "a/b"})
    assert response.status_code == 400
    assert "查询码" in response.content.decode()


def suggest_body(**fields: str) -> dict[str, str]:
    return {
        "title": "路灯不亮了",
        "content": "新华街道某路段的路灯已经坏了两周，晚上很黑。",
        "consent": "on",
        "idempotency_key": uuid.uuid4().hex,
        **fields,
    }


@pytest.mark.parametrize("charset", ["utf-16", "gbk", "latin-1", "x-no-such-charset"])
def test_a_body_declared_in_another_charset_is_refused(
    cast: Cast, client: Client, charset: str
) -> None:
    try:
        body = urlencode(suggest_body()).encode(charset)
    except LookupError:
        body = urlencode(suggest_body()).encode()
    response = client.generic(  # the bytes as they are (post() would re-encode them)
        "POST",
        "/c/tianhe/suggest/",
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert refused(response, "UTF-8")
    assert not Suggestion.objects.exists()


def test_a_body_declared_utf8_is_taken(cast: Cast, client: Client) -> None:
    response = client.post(
        "/c/tianhe/suggest/",
        urlencode(suggest_body()).encode(),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "raw_title",
    [
        b"%FF%FE%E8%B7%AF%E7%81%AF",
        b"%E8%B7%AF%00%E7%81%AF%E5%9D%8F",
        b"%1B%5B31m%E8%B7%AF%E7%81%AF",
    ],
)
def test_a_form_field_that_is_not_clean_utf8_text_is_refused(
    cast: Cast, client: Client, raw_title: bytes
) -> None:
    body = urlencode(suggest_body(title="x")).replace("title=x", "title=").encode() + raw_title
    response = client.post(
        "/c/tianhe/suggest/", body, content_type="application/x-www-form-urlencoded"
    )
    assert refused(response)
    assert not Suggestion.objects.exists()


def test_a_multipart_field_that_is_not_utf8_is_refused(cast: Cast, client: Client) -> None:
    boundary = "b0undary"
    parts = [(k, v.encode()) for k, v in suggest_body().items() if k != "title"]
    parts.append(("title", b"\xff\xfe\xe8\xb7\xaf\xe7\x81\xaf\xe5\x9d\x8f"))
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode() + v + b"\r\n"
        for k, v in parts
    )
    body += f"--{boundary}--\r\n".encode()
    response = client.post(
        "/c/tianhe/suggest/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert refused(response)


def test_right_to_left_overrides_are_taken_out_of_what_is_stored(
    cast: Cast, client: Client
) -> None:
    fields = suggest_body(
        title="\u202e路灯不亮了\u202c", content="新华街道\u2066某路段\u2069的路灯已经坏了两周。"
    )
    response = client.post("/c/tianhe/suggest/", fields)
    assert response.status_code == 302
    stored = Suggestion.objects.get()
    assert stored.title == "路灯不亮了"
    assert stored.content == "新华街道某路段的路灯已经坏了两周。"


def test_a_nul_byte_in_a_cookie_is_refused(cast: Cast, client: Client) -> None:
    response = client.get("/", HTTP_COOKIE="sessionid=abc\x00def")
    assert refused(response)


def test_ordinary_chinese_text_with_line_breaks_and_emoji_passes(
    cast: Cast, client: Client
) -> None:
    fields = suggest_body(content="第一行：路灯坏了。\r\n第二行：\t请尽快维修 👍🏽（谢谢）")
    assert client.post("/c/tianhe/suggest/", fields).status_code == 302
    assert Suggestion.objects.get().content.endswith("👍🏽（谢谢）")


@pytest.mark.parametrize("year", ["-1", "0", "10000"])
def test_a_year_no_date_can_hold_is_ignored(cast: Cast, staff_client: Client, year: str) -> None:
    # Found by test_fuzz_forms: ?year=-1 made the year lookup fail in Python's datetime.
    assert staff_client.get("/work/proposals/all/", {"year": year}).status_code == 200
    assert staff_client.get("/work/proposals/excellent/", {"year": year}).status_code == 200
