"""The search index: one entry per searchable record, holding its text as the tokens
`textkit` makes, and each committee's own words (用户词典) and stop words.

The engines' own index lives beside the table, made by migration 0002: on SQLite an FTS5
table kept in step by triggers, on PostgreSQL a stored `tsvector` column with a GIN
index. Both read the three token columns, so Django writes only this table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee


class EntryKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Citizen suggestion")
    PROPOSAL = "proposal", _("Proposal")


class SearchEntry(models.Model):
    """A record as the index sees it (检索条目)."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField(_("record"))
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("created"), db_index=True)
    words = models.TextField(_("words"), blank=True)
    grams = models.TextField(_("character pairs"), blank=True)
    chars = models.TextField(_("characters"), blank=True)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_one_per_record"
            )
        ]
        indexes = [models.Index(fields=["kind", "-created_at"], name="search_kind_newest")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class WordKind(models.TextChoices):
    WORD = "word", _("Word (kept whole)")
    STOP = "stop", _("Stop word (ignored)")


class SearchWord(models.Model):
    """A committee's word for segmentation: a road, estate or community name kept whole
    (龙口东路, 港海社区), or a stop word."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    word = models.CharField(_("word"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=WordKind.choices, default="word")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")
        ordering = ["committee", "kind", "word"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "word"], name="search_word_once"),
            models.CheckConstraint(condition=~models.Q(word=""), name="search_word_not_empty"),
        ]

    def __str__(self) -> str:
        return self.word
