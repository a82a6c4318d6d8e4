"""Every stored lexical signature and its band keys computed again: the hash of a
character pair changed from a blake2b in Python to a numpy mix, and the permutations
from (a*x + b) mod p to multiply-shift (`textkit.similar`, 29 November 2026). Signatures of
the two kinds do not compare, so none of the old kind may remain. The code of the day is
used on purpose: a later change of the hash would again need a migration like this one."""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 500


def recompute(apps: Any, schema_editor: Any) -> None:
    from xieshang.textkit.classify import suggestion_text
    from xieshang.textkit.similar import band_keys, signature

    fingerprint_model = apps.get_model("insights", "Fingerprint")
    band_model = apps.get_model("insights", "FingerprintBand")
    band_model.objects.all().delete()

    def flush(chunk: list[Any]) -> None:
        fingerprint_model.objects.bulk_update(chunk, ["signature"])
        band_model.objects.bulk_create(
            band_model(fingerprint_id=fp.pk, committee_id=fp.committee_id, key=key)
            for fp in chunk
            for key in band_keys(fp.signature)
        )

    chunk: list[Any] = []
    rows = (
        fingerprint_model.objects.select_related("suggestion")
        .only("id", "committee_id", "signature", "suggestion__title", "suggestion__content")
        .order_by("pk")
    )
    for fingerprint in rows.iterator(chunk_size=BATCH):
        suggestion = fingerprint.suggestion
        fingerprint.signature = signature(suggestion_text(suggestion.title, suggestion.content))
        chunk.append(fingerprint)
        if len(chunk) == BATCH:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
