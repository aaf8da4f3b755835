"""Editors may review new concept candidates (publishers may see them)."""

from django.db import migrations

from publishing.groups import ensure_groups


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0004_structure_names_candidates"),
        ("publishing", "0003_curation_permissions"),
    ]

    operations = [migrations.RunPython(ensure_groups, migrations.RunPython.noop)]
