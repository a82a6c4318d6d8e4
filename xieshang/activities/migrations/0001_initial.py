"""Duty activities move from the workrooms app to their own app. The tables stay where they
are (workrooms_activity, workrooms_activitykind, workrooms_activityphoto and the two
many-to-many tables): only Django's state moves, and the content types follow, so the
activities' events and permissions stay theirs. workrooms 0003 removes them from the
workrooms app's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ["activity", "activitykind", "activityphoto"]


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="workrooms", model__in=MOVED).update(
        app_label="activities"
    )


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="activities", model__in=MOVED).update(
        app_label="workrooms"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0006_outbox_job'),
        ('people', '0002_departmentclerk_is_head'),
        ('suggestions', '0009_photo_preview'),
        ('workrooms', '0002_standard_and_activities'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ActivityKind',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=30, verbose_name='name')),
                    ('order', models.PositiveSmallIntegerField(default=0, verbose_name='display order')),
                    ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                    ('committee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='core.committee', verbose_name='committee')),
                ],
                options={
                    'verbose_name': 'activity kind',
                    'verbose_name_plural': 'activity kinds',
                    'db_table': 'workrooms_activitykind',
                    'ordering': ['committee', 'order', 'id'],
                },
            ),
            migrations.CreateModel(
                name='Activity',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=100, verbose_name='title')),
                    ('date', models.DateField(verbose_name='date')),
                    ('citizens_reached', models.PositiveIntegerField(default=0, verbose_name='citizens reached')),
                    ('issues_collected', models.PositiveIntegerField(default=0, verbose_name='issues collected')),
                    ('note', models.TextField(blank=True, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                    ('committee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.committee', verbose_name='committee')),
                    ('members', models.ManyToManyField(related_name='activities', to='people.member', verbose_name='members who took part')),
                    ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('suggestions', models.ManyToManyField(blank=True, related_name='activities', to='suggestions.suggestion', verbose_name='suggestions collected')),
                    ('workroom', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='workrooms.workroom', verbose_name='workroom')),
                    ('kind', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='activities.activitykind', verbose_name='kind')),
                ],
                options={
                    'verbose_name': 'duty activity',
                    'verbose_name_plural': 'duty activities',
                    'db_table': 'workrooms_activity',
                    'ordering': ['-date', '-id'],
                },
            ),
            migrations.CreateModel(
                name='ActivityPhoto',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('image', models.ImageField(upload_to='activities/%Y/%m/', verbose_name='photo')),
                    ('width', models.PositiveIntegerField(default=0)),
                    ('height', models.PositiveIntegerField(default=0)),
                    ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='activities.activity', verbose_name='activity')),
                ],
                options={
                    'verbose_name': 'activity photo',
                    'verbose_name_plural': 'activity photos',
                    'db_table': 'workrooms_activityphoto',
                    'ordering': ['id'],
                },
            ),
            migrations.AddConstraint(
                model_name='activitykind',
                constraint=models.UniqueConstraint(fields=('committee', 'name'), name='activitykind_unique_name'),
            ),
            migrations.AddIndex(
                model_name='activity',
                index=models.Index(fields=['committee', 'date'], name='workrooms_a_committ_895403_idx'),
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
