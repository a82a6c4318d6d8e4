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


def test_the_second_round_of_wording() -> None:
    """Time fields, a colleague's answer to a swap, a supervision visit, a contact the
    citizen did not share (issue 19, wording)."""
    from xieshang.duty.forms.roster import PatternForm
    from xieshang.duty.models import DutyAction
    from xieshang.proposals.forms.drafting import AnswerForm
    from xieshang.proposals.models import SupervisionKind

    with translation.override("zh-hans"):
        form = PatternForm()
        assert (str(form["start_time"].label), str(form["end_time"].label)) == (
            "开始时间",
            "结束时间",
        )
        assert pgettext("date range", "until") == "至"
        assert str(DutyAction.DECLINE.label) == "婉拒"  # a colleague's swap, not 不予受理
        assert str(SupervisionKind.VISIT.label) == "实地督办"  # not 来访, a citizen's visit
        assert '<option value="decline">谢绝联名</option>' in str(AnswerForm()["answer"])
        assert "未同意" in translation.gettext(
            "The citizen did not agree to share their contact details with the department."
        )
