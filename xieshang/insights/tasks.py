"""Background jobs of the triage aids: one-line wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from xieshang.insights import services


@shared_task(name="insights.analyse_suggestion", autoretry_for=(OSError,), max_retries=3)
def analyse_suggestion(suggestion_id: int) -> None:
    """After a suggestion is stored: its embedding, then its category and department hints."""
    services.suggestion_analyse(suggestion_id=suggestion_id)


@shared_task(name="insights.analyse_missed")
def analyse_missed() -> int:
    """Every hour: the past week's suggestions whose analysis job was lost. Returns how many."""
    return len(services.suggestions_analyse_missed())


@shared_task(name="insights.retrain_category_models")
def retrain_category_models() -> int:
    """Every night: each committee's category model trained again from its decisions, the
    new version put in use if at least as good on recent decisions."""
    return services.category_models_train_all()


@shared_task(name="insights.retrain_category_model")
def retrain_category_model(committee_id: int) -> int | None:
    """After enough new decisions: one committee's model, as the nightly job does it."""
    return services.category_model_retrain_job(committee_id=committee_id)
