"""docs/figures.md, written from the definitions (`manage.py figures_doc`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from xieshang.figures.cube import CUBED, cubable
from xieshang.figures.definitions import BASES, FIGURES, groups
from xieshang.figures.rates import SIGN_WITHIN_WORKING_DAYS

PATH = Path(settings.BASE_DIR) / "docs" / "figures.md"

HEADER = """# Figures (履职成效)

Generated from `xieshang/figures/sources/` by `manage.py figures_doc`; do not edit by hand
(a test fails when this file is not current).

## Rules every figure follows

- **Committee.** A record counts for the committee it belongs to. A committee's figures
  include the committees below it: 广州市政协's figures are the city's own records plus
  every district's. Each record belongs to one committee, so the total is never counted twice.
- **Period.** Year, quarter, month or custom dates, as local dates in Asia/Shanghai: a
  record belongs to the period when the date named for its figure (below) falls on or
  after the first day and before the day after the last. Figures marked *state* are the
  state at the time of viewing and are the same for every period.
- **Joint records.** A record that concerns two committees counts once in each, under
  different figures: a district's suggestion escalated to the city counts in the district's
  “报送上级政协” (by its hand-in date) and in the city's “下级报送的百姓提案” (by the date
  it was sent up); a district suggestion a city member claims counts in the district's
  “培育为市级提案线索”. A joint proposal (联名) is one proposal of the committee it was filed with.
- **Members.** A member counts by their seat: a city member serving in a district's
  workroom counts as a city member, in that district's figures. A member counted “人数”
  counts once however many records name them; “人次” counts every time.
- **On time.** A reply is on time when it was sent no later than the deadline its record
  carries (referrals: working days by the calendar; proposals: the assignment's reply due).
- **Rates** are percentages with one decimal; empty (—) when the denominator is 0. A
  rate's drill-down lists the records of its numerator.
- **Scope.** Staff and leaders see their committees' figures and those of every committee
  below; the public page shows only the figures marked public, never personal data.
- **Groups of members.** A sector (界别), special committee (专委会) or local group (委员小组)
  of a committee or one below it is a scope too: its members' records (the activities
  they took part in, each once with its citizens; their own attendance, shifts and talks;
  the proposals they lead, with their key status and replies; their workroom seats),
  within the committee chosen. Figures that are not of members (suggestions, referrals,
  consultations, 社情民意, research, platforms) do not apply (—).

"""


def render() -> str:
    lines = [HEADER]
    for group, figs in groups().items():
        lines.append(f"## {group}\n")
        lines.append("| Key | 名称 | 定义 | 计数 | 统计期依据 | 公开 |")
        lines.append("|---|---|---|---|---|---|")
        for fig in figs:
            if fig.how == "ratio":
                counted = f"`{fig.numerator}` ÷ `{fig.denominator}`"
                date = "—"
            else:
                base = BASES[fig.base]
                what = {
                    "count": "件数" if fig.of == "pk" else f"不同 `{fig.of}`",
                    "sum": f"`{fig.of}` 之和",
                }
                counted = f"{base.label}（`{base.source}`）：{what[fig.how]}"
                date = f"`{base.date_field}`" if base.date_field else "state"
            public = "是" if fig.public else ""
            lines.append(
                f"| `{fig.key}` | {fig.label} | {fig.definition} | {counted} | {date} | {public} |"
            )
        lines.append("")
    lines.append(f"{len(FIGURES)} figures over {len(BASES)} bases.\n")
    lines.append("## 三率（响应率、解决率、满意率）\n")
    lines.append(
        "`/work/figures/rates/`, computed in `xieshang/figures/rates.py` from the referrals "
        "(交办) sent in the month, for every department, committee, workroom and street "
        "(a community counts for its street), ranked by the mean of the rates it has:\n"
    )
    lines.append(
        f"- 响应率: referrals signed for (the first `sign` event of the referral's timeline) "
        f"by the end of working day {SIGN_WITHIN_WORKING_DAYS} after the day they were sent "
        "(the working-day calendar, 调休 included), of the referrals sent;"
    )
    lines.append(
        "- 解决率: replies (awaiting approval or approved) whose result is 已解决, "
        "of the referrals replied to;"
    )
    lines.append(
        "- 满意率: referred suggestions the citizen rated 满意 or 基本满意, of those rated "
        "(a suggestion referred to two departments counts for both).\n"
    )
    cubed = [f"`{f.key}`" for f in FIGURES.values() if cubable(f)]
    lines.append("## Monthly pre-aggregates\n")
    lines.append(
        "Computed, never stored as records: the figures of the largest bases ("
        + ", ".join(f"`{b}`" for b in CUBED)
        + ") are also kept per committee and local month (`xieshang/figures/cube.py`), "
        "counted by the same query from the records, and a year or quarter of a committee "
        "reads them instead of the records. Database triggers mark the month of every "
        "record added, changed or deleted; a marked month (and one never built) is counted "
        "from the records until the beat's `figures.cube_refresh` (every minute) rebuilds "
        "it. Custom periods that are not whole months, one workroom, counts of people and "
        "what depends on the time of viewing are always counted from the records. "
        "`manage.py figures_cube` builds every month (after deploying). A test asserts the "
        f"pre-aggregates equal the records. Read from them: {len(cubed)} figures.\n"
    )
    return "\n".join(lines)
