"""The URL walk's samples for the opinions app (see core/tests/test_url_walk.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xieshang.conftest import Cast
from xieshang.core.uploads import file_clean
from xieshang.opinions.models import Instruction, Issue, Item
from xieshang.opinions.services import (
    ItemData,
    instruction_add,
    issue_create,
    item_create,
    item_transition,
)
from xieshang.people.models import Member

ISSUED = "天河元宇宙产业社情民意"
SUBMITTED = "天河夜间经济社情民意"


def _item(title: str) -> Item:
    return Item.objects.get(title=title)


SAMPLES: dict[str, Any] = {
    "opinions:detail": lambda c: {"pk": _item(ISSUED).pk},
    "opinions:edit": lambda c: {"pk": _item(SUBMITTED).pk},
    "opinions:act": lambda c: {"pk": _item(SUBMITTED).pk},
    "opinions:instruct": lambda c: {"pk": _item(ISSUED).pk},
    "opinions:take_up": lambda c: {"pk": _item(ISSUED).pk},
    "opinions:instruction_scan": lambda c: {"pk": Instruction.objects.get(item=_item(ISSUED)).pk},
    "opinions:instruction_scan_attach": lambda c: {
        "pk": Instruction.objects.get(item=_item(ISSUED)).pk
    },
    "opinions:issue": lambda c: {"pk": Issue.objects.get(committee=c.tianhe).pk},
    "opinions:issue_docx": lambda c: {"pk": Issue.objects.get(committee=c.tianhe).pk},
    "opinions:issue_close": lambda c: {"pk": Issue.objects.get(committee=c.tianhe).pk},
}
POST_ONLY = {
    "opinions:act",
    "opinions:instruction_scan_attach",
    "opinions:instruct",
    "opinions:issue_close",
    "opinions:issue_new",
    "opinions:take_up",
}
SENTINELS = (ISSUED, SUBMITTED)


def prepare(cast: Cast) -> None:
    seat = Member.objects.get(user=cast.member, committee=cast.tianhe)

    def write(title: str) -> Item:
        data = ItemData(title=title, situation="情况。", suggestion="建议。")
        item = item_create(actor=cast.member, committee=cast.tianhe, data=data, author=seat)
        item_transition(actor=cast.member, item=item, action="submit")
        return item

    issued = write(ISSUED)
    item_transition(actor=cast.staff, item=issued, action="adopt")
    issue_create(actor=cast.staff, committee=cast.tianhe, items=[issued], sent_upward=True)
    scan = file_clean(SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"))
    instruction_add(
        actor=cast.staff,
        item=issued,
        level="district",
        leader="区长",
        text="阅",
        on=date.today(),
        scan=scan,
    )
    write(SUBMITTED)
