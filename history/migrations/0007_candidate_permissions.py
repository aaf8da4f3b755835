"""Editors may review new concept candidates (publishers may see them)."""

from django.db import migrations

from publishing.groups import ensure_groups


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0006_structure_names_candidates"),
        ("publishing", "0004_teachers_and_teacher_material"),
    ]

    operations = [migrations.RunPython(ensure_groups, migrations.RunPython.noop)]
