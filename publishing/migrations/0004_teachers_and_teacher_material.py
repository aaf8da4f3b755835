"""Teacher material and full exports get their permissions; a Teachers group (publishing/groups.py)."""

from django.db import migrations

from publishing.groups import ensure_groups


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_curation_permissions"),
        ("lessons", "0002_live_versions_and_teacher_notes"),
        ("history", "0004_live_versions"),
    ]

    operations = [migrations.RunPython(ensure_groups, migrations.RunPython.noop)]
