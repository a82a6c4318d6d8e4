"""Words that one English msgid gave two meanings (issue 19, wording): each use has its
own context and its own Chinese."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext


def test_words_with_two_meanings_have_their_own_chinese() -> None:
    with translation.override("zh-hans"):
        assert pgettext("cosign", "Decline") == "谢绝联名"  # not 不予受理
        assert pgettext("sender", "From") == "报送单位"  # not 起
        assert pgettext("person", "Name") == "姓名"  # not 名称
        # The other uses keep theirs.
        assert translation.gettext("Name") == "名称"
        assert translation.gettext("Decline") == "不予受理"
