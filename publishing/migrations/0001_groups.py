"""The two groups editors work in: Editors write, Publishers publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "history": ["article", "event", "concept", "mention"],
    "lessons": ["lesson", "section", "question", "choice", "excerpt"],
}
PUBLISHABLE = {"history": ["article", "event", "concept"], "lessons": ["lesson"]}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app, codenames):
        return list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))

    editors, _ = Group.objects.get_or_create(name="Editors")
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    for app, models in CONTENT.items():
        edit = [f"{action}_{m}" for m in models for action in ("add", "change", "delete", "view")]
        view = [f"view_{m}" for m in models]
        editors.permissions.add(*perms(app, edit))
        publishers.permissions.add(*perms(app, view))
    for app, models in PUBLISHABLE.items():
        publishers.permissions.add(*perms(app, [f"publish_{m}" for m in models]))
        publishers.permissions.add(*perms(app, [f"change_{m}" for m in models]))
    for group in (editors, publishers):
        group.permissions.add(*perms("lessons", ["view_answer_key"]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("history", "0001_initial"),
        ("lessons", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
