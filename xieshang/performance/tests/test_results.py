from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.conftest import Cast
from xieshang.core.errors import DomainError
from xieshang.core.models import OutboxJob
from xieshang.performance.models import LivelihoodResult, ResultStatus, WorkroomPlan
from xieshang.performance.services import (
    PlanInput,
    ResultInput,
    plan_fulfil,
    plan_set,
    result_create,
    result_link,
    result_set_status,
)
from xieshang.suggestions.models import Policy
from xieshang.suggestions.services import Intake, suggestion_submit
from xieshang.workrooms.services import workroom_transition


def _suggestion(cast: Cast, committee: Any, title: str) -> Any:
    Policy.objects.get_or_create(committee=committee)
    suggestion, _created = suggestion_submit(
        intake=Intake(
            committee=committee,
            title=title,
            content=title + "，请尽快解决。",
            idempotency_key=title,
            phone="13900001111",
        )
    )
    return suggestion


def test_a_result_done_tells_the_citizens_behind_it(cast: Cast) -> None:
    suggestion = _suggestion(cast, cast.tianhe, "湿地公园停车难")
    result = result_create(
        committee=cast.tianhe,
        data=ResultInput("海珠湿地新增200个专用停车位", figures="新增200个专用停车位"),
        actor=cast.staff,
    )
    result_link(result=result, suggestions=[suggestion], actor=cast.staff)
    jobs_before = OutboxJob.objects.filter(task="suggestions.notify_citizen").count()
    result_set_status(result=result, status=ResultStatus.DONE, actor=cast.staff)
    result.refresh_from_db()
    assert result.status == ResultStatus.DONE and result.done_on is not None
    assert OutboxJob.objects.filter(task="suggestions.notify_citizen").count() == jobs_before + 1

    other = _suggestion(cast, cast.haizhu, "海珠的建议")
    with pytest.raises(DomainError, match="本委员会"):
        result_link(result=result, suggestions=[other], actor=cast.staff)
    assert list(result.suggestions.all()) == [suggestion]

    # The public page of the committee shows the result and its cause.
    body = Client().get(reverse("performance:results_public", args=[cast.tianhe.code]))
    assert "海珠湿地新增200个专用停车位" in body.content.decode()
    assert "湿地公园停车难" in body.content.decode()


def test_a_workroom_plan_is_missing_late_or_done(cast: Cast) -> None:
    plan = plan_set(
        workroom=cast.workroom,
        year=2026,
        data=PlanInput("珠江新城停车调研", "关于珠江新城停车的提案", "新增停车位"),
        actor=cast.staff,
    )
    assert plan.fulfilled == 0
    result = result_create(committee=cast.tianhe, data=ResultInput("新增停车位"), actor=cast.staff)
    plan = plan_fulfil(plan=plan, livelihood=result, actor=cast.staff)
    assert plan.fulfilled == 1
    with pytest.raises(DomainError):
        plan_set(workroom=cast.workroom, year=2026, data=PlanInput("", "x", "y"), actor=cast.staff)
    assert WorkroomPlan.objects.get().research == "珠江新城停车调研"
    assert LivelihoodResult.objects.count() == 1


def test_the_tracking_page_shows_the_result_it_led_to(cast: Cast) -> None:
    suggestion = _suggestion(cast, cast.tianhe, "老旧楼房水管老化")
    result = result_create(
        committee=cast.tianhe, data=ResultInput("老旧楼房自来水管改造"), actor=cast.staff
    )
    result_link(result=result, suggestions=[suggestion], actor=cast.staff)
    url = reverse("suggestions:track", args=[suggestion.tracking_code])
    assert "老旧楼房自来水管改造" not in Client().get(url).content.decode()  # planned: not yet
    result_set_status(result=result, status=ResultStatus.UNDER_WAY, actor=cast.staff)
    assert "老旧楼房自来水管改造" in Client().get(url).content.decode()


def test_the_public_workroom_page_shows_its_results(cast: Cast) -> None:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )
    result = result_create(
        committee=cast.tianhe,
        data=ResultInput("东塔周边新增非机动车停放点", workroom=cast.workroom),
        actor=cast.staff,
    )
    url = reverse("workrooms:public", args=[cast.workroom.code])
    assert "东塔周边新增非机动车停放点" not in Client().get(url).content.decode()
    result_set_status(result=result, status=ResultStatus.DONE, actor=cast.staff)
    assert "东塔周边新增非机动车停放点" in Client().get(url).content.decode()
