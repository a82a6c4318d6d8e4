"""Versions of a committee's category model: a new one is put in use only when it does at
least as well as the one in use on the committee's recent decisions. The models stored so
far are numbered per committee, oldest first, and stay in use (the newest is used)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def number(apps: Any, schema_editor: Any) -> None:
    record_model = apps.get_model("insights", "CategoryModelRecord")
    versions: dict[int, int] = {}
    for record in record_model.objects.order_by("committee_id", "trained_at", "pk").only(
        "pk", "committee_id"
    ):
        versions[record.committee_id] = versions.get(record.committee_id, 0) + 1
        record_model.objects.filter(pk=record.pk).update(version=versions[record.committee_id])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_lean_indexes"),
        ("insights", "0002_signatures_recomputed"),
    ]

    operations = [
        migrations.AddField(
            model_name="categorymodelrecord",
            name="compared_on",
            field=models.PositiveIntegerField(
                default=0, verbose_name="recent decisions compared on"
            ),
        ),
        migrations.AddField(
            model_name="categorymodelrecord",
            name="previous",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="insights.categorymodelrecord",
                verbose_name="compared with",
            ),
        ),
        migrations.AddField(
            model_name="categorymodelrecord",
            name="previous_top1_recent",
            field=models.FloatField(
                null=True, verbose_name="the model in use: first guess right on recent decisions"
            ),
        ),
        migrations.AddField(
            model_name="categorymodelrecord",
            name="promoted",
            field=models.BooleanField(default=True, verbose_name="in use"),
        ),
        migrations.AddField(
            model_name="categorymodelrecord",
            name="top1_recent",
            field=models.FloatField(
                null=True, verbose_name="first guess right on recent decisions"
            ),
        ),
        migrations.AddField(
            model_name="categorymodelrecord",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.RunPython(number, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="categorymodelrecord",
            constraint=models.UniqueConstraint(
                fields=("committee", "version"), name="category_model_one_per_version"
            ),
        ),
    ]
