"""Monthly pre-aggregates of the largest bases (see `xieshang/figures/cube.py`).

They are a cache of what the records say, never a record of their own: `MonthChange` rows
are written by database triggers whenever a record of a cubed base changes, a month with a
change is counted from the records again (and its pre-aggregate rebuilt by the beat's
`figures.cube_refresh`), and a test asserts that the pre-aggregates equal the records."""

from __future__ import annotations

from django.db import models


class MonthFigures(models.Model):
    """One committee's figures of one base counted over one local month."""

    base = models.CharField(max_length=40)
    committee_id = models.BigIntegerField()
    month = models.DateField()  # the first day of the month, Asia/Shanghai
    values = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["base", "month", "committee_id"], name="figures_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.base} {self.committee_id} {self.month:%Y-%m}"


class MonthBuilt(models.Model):
    """A base's month whose pre-aggregates were counted (a committee without a row has
    none of those records that month)."""

    base = models.CharField(max_length=40)
    month = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["base", "month"], name="figures_built_unique")
        ]

    def __str__(self) -> str:
        return f"{self.base} {self.month:%Y-%m}"


class MonthChange(models.Model):
    """A record of a base changed in a month (written by the database's triggers, in the
    writing transaction): that month's pre-aggregate is not to be read until rebuilt.
    `month` NULL: every month of the base."""

    base = models.CharField(max_length=40)
    month = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["base", "month"], name="figures_change_base_month")]

    def __str__(self) -> str:
        return f"{self.base} {self.month or '*'}"
