# Fewer index entries per submission: the optional links (empty on a citizen's own
# submission) are indexed only where set, the committee only as the first column of the
# inbox's index, and the tracking code and idempotency key are unique constraints without
# PostgreSQL's second (LIKE) index. The foreign keys' own indexes are dropped by name
# (Django's names, the same on both databases) rather than by Django's AlterField, which
# would drop and re-add each foreign key on PostgreSQL, re-checking every row.

import django.db.models.deletion
import xieshang.suggestions.models
from django.conf import settings
from django.db import migrations, models

FOREIGN_KEY_INDEXES = {
    "suggestions_suggestion_area_id_0091f0eb": "area_id",
    "suggestions_suggestion_campaign_id_d3da87f3": "campaign_id",
    "suggestions_suggestion_category_id_c97fdf55": "category_id",
    "suggestions_suggestion_committee_id_226f1f2b": "committee_id",
    "suggestions_suggestion_entered_by_id_6016bd1a": "entered_by_id",
    "suggestions_suggestion_handler_id_daa4ec22": "handler_id",
    "suggestions_suggestion_merged_into_id_d42aa386": "merged_into_id",
    "suggestions_suggestion_workroom_id_db52e115": "workroom_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0006_dispatched_at'),
        ('workrooms', '0002_standard_and_activities'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='suggestion',
                    name='area',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='suggestions.area', verbose_name='area'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='campaign',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='suggestions.campaign', verbose_name='campaign'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='category',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='suggestions.category', verbose_name='category'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='committee',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='core.committee', verbose_name='committee'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='entered_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='handler',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='merged_into',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='suggestions.suggestion', verbose_name='merged into'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='workroom',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to='workrooms.workroom', verbose_name='workroom'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "suggestions_suggestion" ("{column}")',
                )
                for name, column in FOREIGN_KEY_INDEXES.items()
            ],
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='idempotency_key',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='tracking_code',
            field=models.CharField(default=xieshang.suggestions.models.new_tracking_code, editable=False, max_length=16, verbose_name='tracking code'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('category__isnull', False)), fields=['category'], name='suggestion_category'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('area__isnull', False)), fields=['area'], name='suggestion_area'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('workroom__isnull', False)), fields=['workroom'], name='suggestion_workroom'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('campaign__isnull', False)), fields=['campaign'], name='suggestion_campaign'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('entered_by__isnull', False)), fields=['entered_by'], name='suggestion_entered_by'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('handler__isnull', False)), fields=['handler'], name='suggestion_handler'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('merged_into__isnull', False)), fields=['merged_into'], name='suggestion_merged_into'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.UniqueConstraint(fields=('tracking_code',), name='suggestion_tracking_code'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.UniqueConstraint(fields=('idempotency_key',), name='suggestion_idempotency_key'),
        ),
    ]
