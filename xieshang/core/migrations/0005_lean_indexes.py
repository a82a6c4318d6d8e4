# The event's actor is indexed only where there is one, and its record type not on its own
# (the first column of the (content_type, object_id, created_at) index). Done by dropping
# the two indexes, not by Django's AlterField: that would drop and re-add the foreign keys
# (re-checking every row of the largest table) on PostgreSQL, and rebuild the table on
# SQLite, where the rebuild loses the append-only triggers of migration 0003. The index
# names are Django's own, the same on both databases.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FOREIGN_KEY_INDEXES = {
    "core_event_actor_id_594b280e": "actor_id",
    "core_event_content_type_id_e642c0ca": "content_type_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_calendarday'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='event',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor'),
                ),
                migrations.AlterField(
                    model_name='event',
                    name='content_type',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype', verbose_name='record type'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "core_event" ("{column}")',
                )
                for name, column in FOREIGN_KEY_INDEXES.items()
            ],
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor'], name='event_actor'),
        ),
    ]
