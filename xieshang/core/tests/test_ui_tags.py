"""The design system's template tags (issue 22)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from xieshang.core.templatetags.ui import FAMILY_BY_VALUE, status_family


def render(source: str, **context: object) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "model", "family"),
    [
        ("new", "suggestions.suggestion", "waiting"),
        ("handling", "suggestions.suggestion", "inhand"),
        ("answered", "suggestions.suggestion", "answered"),
        ("closed", "suggestions.suggestion", "closed"),
        ("rejected", "suggestions.suggestion", "refused"),
        ("replied", "proposals.proposal", "answered"),
        ("replied", "suggestions.referral", "waiting"),  # still waits for approval
        ("not_accepted", "proposals.proposal", "refused"),
        ("something_new", "", "closed"),
    ],
)
def test_each_state_has_its_family(value: str, model: str, family: str) -> None:
    assert status_family(value, model) == family


def test_every_workflow_state_is_in_a_family() -> None:
    from django.apps import apps
    from django.db import models

    missing = set()
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "status"), None)
        if isinstance(field, models.CharField) and field.choices:
            missing |= {v for v, _ in field.choices if v not in FAMILY_BY_VALUE}
    assert not missing


def test_a_badge_shows_the_label_in_its_family_colour() -> None:
    html = render('{% status_badge "answered" "已答复" id="status" %}')
    assert 'class="xs-status xs-status-answered"' in html
    assert 'id="status"' in html and ">已答复</span>" in html


def test_steps_mark_the_done_and_the_current_one() -> None:
    html = render('{% steps 2 "填写" "核对" "完成" %}')
    assert html.count('class="is-done"') == 1
    assert 'class="is-current" aria-current="step">核对' in html
    assert "<li>完成</li>" in html


def test_an_icon_is_hidden_unless_it_has_a_label() -> None:
    assert render('{% icon "inbox" %}') == '<i class="bi bi-inbox" aria-hidden="true"></i>'
    assert 'role="img" aria-label="收件"' in render('{% icon "inbox" "收件" %}')
