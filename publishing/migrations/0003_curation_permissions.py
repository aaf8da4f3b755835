"""Editors and Publishers get the permissions for dates in texts and the state-change log."""

from django.db import migrations

from publishing.groups import ensure_groups


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_state_change_log"),
        ("history", "0003_dated_expressions"),
    ]

    operations = [migrations.RunPython(ensure_groups, migrations.RunPython.noop)]
