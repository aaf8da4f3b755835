"""The two groups editors work in: Editors write, Publishers publish (see publishing/groups.py)."""

from django.db import migrations

from publishing.groups import ensure_groups


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("history", "0001_initial"),
        ("lessons", "0001_initial"),
    ]

    operations = [migrations.RunPython(ensure_groups, remove_groups)]
