"""Members on duty (委员值班) and the citizens they talked with (约见)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Now

from xieshang.duty.models import BookingStatus, ShiftStatus
from xieshang.duty.selectors.roster import shifts_of_committees
from xieshang.duty.selectors.talks import bookings_of_committees
from xieshang.figures.registry import base, figure

SOURCE = "duty"
GROUP = "委员值班"

base(
    "shifts",
    source=SOURCE,
    label="值班班次",
    records=shifts_of_committees,
    date_field="date",
    workroom_field="workroom_id",
    columns=(
        ("日期", "date"),
        ("平台", "workroom__name"),
        ("值班委员", "member__user__name"),
        ("状态", "status"),
    ),
    member_field="member_id",
)
base(
    "bookings",
    source=SOURCE,
    label="群众约见",
    records=bookings_of_committees,
    date_field="starts_at",
    workroom_field="workroom_id",
    columns=(
        ("时间", "starts_at"),
        ("平台", "workroom__name"),
        ("值班委员", "member__user__name"),
        ("状态", "status"),
    ),
    detail="duty:appointment",
    member_field="member_id",
)

figure(
    "shifts_served",
    label="委员值班班次",
    definition="统计期内（以值班日期为准）已排定未取消、且已结束（结束时间早于查看时）的值班班次数。",
    base="shifts",
    where=Q(status=ShiftStatus.SCHEDULED, ends_at__lte=Now()),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "shift_members",
    label="值班委员人数",
    definition="统计期内已结束的值班班次的值班委员人数，一人多次只计一次。",
    base="shifts",
    where=Q(status=ShiftStatus.SCHEDULED, ends_at__lte=Now()),
    of="member_id",
    additive=False,
    group=GROUP,
    source=SOURCE,
)
figure(
    "bookings_made",
    label="群众预约",
    definition="统计期内（以约见开始时间为准）群众预约与值班委员见面的次数，已取消的不计。",
    base="bookings",
    where=~Q(status=BookingStatus.CANCELLED),
    group=GROUP,
    source=SOURCE,
)
figure(
    "talks_held",
    label="接待群众（约见谈话）",
    definition="统计期内约见中，委员已记录谈话（状态“已记录谈话”）的次数。",
    base="bookings",
    where=Q(status=BookingStatus.COMPLETED),
    public=True,
    group=GROUP,
    source=SOURCE,
)
figure(
    "bookings_no_show",
    label="预约未到",
    definition="统计期内约见中，群众未到（状态“未到”）的次数。",
    base="bookings",
    where=Q(status=BookingStatus.NO_SHOW),
    group=GROUP,
    source=SOURCE,
)
