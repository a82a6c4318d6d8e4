"""Duty activities now belong to the activities app (its migration 0001): removed from
this app's state only; the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workrooms', '0002_standard_and_activities'),
        ('activities', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='activityphoto',
                name='activity',
            ),
            migrations.RemoveField(
                model_name='activitykind',
                name='committee',
            ),
            migrations.DeleteModel(
                name='Activity',
            ),
            migrations.DeleteModel(
                name='ActivityPhoto',
            ),
            migrations.DeleteModel(
                name='ActivityKind',
            ),
            ],
            database_operations=[],
        ),
    ]
