"""What the machine reads out of citizens' suggestions for the staff who triage them:
each suggestion's fingerprint (a MinHash signature with its LSH band keys, and a sentence
embedding), the category model each committee trains from its own decisions, and the hints
shown in triage with what staff then decided — so their usefulness can be measured."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee
from xieshang.suggestions.models import Suggestion
from xieshang.textkit.hints import LIKELY, POSSIBLE, UNCERTAIN, confidence_level

# What staff read instead of a category model's probability (textkit.hints).
CONFIDENCE_WORDS = {
    LIKELY: _("likely"),
    POSSIBLE: _("possible"),
    UNCERTAIN: _("uncertain"),
}


class Fingerprint(models.Model):
    """A suggestion's text as numbers (文本指纹): the lexical signature is written with the
    suggestion; the embedding later, by a background job."""

    suggestion = models.OneToOneField(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="fingerprint",
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("submitted"), db_index=True)
    signature = models.BinaryField(_("lexical signature"))
    embedding = models.BinaryField(_("sentence embedding"), null=True, blank=True)
    embedded_at = models.DateTimeField(_("embedded"), null=True, blank=True)

    class Meta:
        verbose_name = _("text fingerprint")
        verbose_name_plural = _("text fingerprints")
        indexes = [models.Index(fields=["committee", "-created_at"], name="fingerprint_recent")]

    def __str__(self) -> str:
        return f"fingerprint of {self.suggestion_id}"


class FingerprintBand(models.Model):
    """One LSH band key of a signature: two texts that share a band are candidates."""

    fingerprint = models.ForeignKey(
        Fingerprint, verbose_name=_("fingerprint"), on_delete=models.CASCADE, related_name="bands"
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    key = models.CharField(_("band key"), max_length=32)

    class Meta:
        verbose_name = _("band key")
        verbose_name_plural = _("band keys")
        indexes = [models.Index(fields=["committee", "key"], name="fingerprint_band_lookup")]

    def __str__(self) -> str:
        return self.key


class CategoryModelRecord(models.Model):
    """One version of a committee's category model, trained from its own triage decisions
    (and, at first, from seeded examples). A new version is put in use (`promoted`) only if
    it does at least as well as the one in use on the committee's recent decisions, which
    neither was trained on; otherwise the record stays, without its bytes, to say why. The
    newest promoted version is used."""

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    version = models.PositiveIntegerField(_("version"), default=1)
    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    samples = models.PositiveIntegerField(_("examples"))
    decided = models.PositiveIntegerField(_("examples from triage decisions"))
    labels = models.JSONField(_("categories"), default=list)
    data = models.BinaryField(_("model"))
    promoted = models.BooleanField(_("in use"), default=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    compared_on = models.PositiveIntegerField(_("recent decisions compared on"), default=0)
    top1_recent = models.FloatField(_("first guess right on recent decisions"), null=True)
    previous_top1_recent = models.FloatField(
        _("the model in use: first guess right on recent decisions"), null=True
    )

    class Meta:
        verbose_name = _("category model")
        verbose_name_plural = _("category models")
        get_latest_by = "trained_at"
        indexes = [models.Index(fields=["committee", "-trained_at"], name="category_model_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "version"], name="category_model_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} v{self.version} @ {self.trained_at:%Y-%m-%d %H:%M}"


class HintKind(models.TextChoices):
    CATEGORY = "category", _("Category")
    DEPARTMENT = "department", _("Department")


class HintOutcome(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    TAKEN = "taken", _("Taken")
    OTHER = "other", _("Staff chose otherwise")


class Hint(models.Model):
    """A suggestion shown to staff in triage (研判建议): a category or a department, its rank
    and confidence, and — once staff decide — whether it was taken."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="hints"
    )
    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=12, choices=HintKind.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    value_id = models.PositiveBigIntegerField(_("suggested"))
    label = models.CharField(_("label"), max_length=120)
    confidence = models.FloatField(_("confidence"))
    model = models.ForeignKey(
        CategoryModelRecord,
        verbose_name=_("model"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("shown"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=HintOutcome.choices, default=HintOutcome.PENDING
    )
    decided_value_id = models.PositiveBigIntegerField(_("decided"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("triage hint")
        verbose_name_plural = _("triage hints")
        ordering = ["kind", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "kind", "rank"], name="hint_one_per_rank"
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="hint_confidence_range",
            ),
        ]
        indexes = [models.Index(fields=["committee", "kind", "outcome"], name="hint_usefulness")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.rank}: {self.label}"

    @property
    def level(self) -> str:
        """A category hint's confidence as a word's key (likely, possible, uncertain)."""
        return confidence_level(self.confidence)

    @property
    def level_word(self) -> str:
        return str(CONFIDENCE_WORDS[self.level])
