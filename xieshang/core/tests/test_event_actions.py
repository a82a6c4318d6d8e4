"""Every event a timeline can hold has an action from an app's `EventAction` enum, and
every such action is said in Chinese."""

from __future__ import annotations

import re

from django.utils import translation

from xieshang.core.models import action_enums, action_label

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_with_a_timeline_has_its_enum() -> None:
    apps = {enum.__module__.split(".")[1] for enum in action_enums()}
    assert {"suggestions", "proposals", "duty", "workrooms"} <= apps


def test_every_action_has_a_chinese_label() -> None:
    untranslated = []
    with translation.override("zh-hans"):
        for enum in action_enums():
            for member in enum:
                if not CJK.search(str(member.label)):
                    untranslated.append(f"{enum.__name__}.{member.name}: {member.label}")
    assert untranslated == []


def test_an_action_is_said_in_the_words_of_its_records_app() -> None:
    with translation.override("zh-hans"):
        # "decline" is a key proposal's 不予确定 in proposals, a colleague's in duty.
        assert action_label("decline", app_label="proposals") != action_label(
            "decline", app_label="duty"
        )
        assert action_label("follow", app_label="suggestions") == "群众关注"
        assert action_label("no-such-action") == "no-such-action"
