"""The groups people work in: Editors write, Publishers publish, Teachers (site accounts,
not the admin) see answer keys and teacher material of live lessons.

Used by the data migrations and by tests whose database was flushed (live-server tests).
"""

from django.contrib.auth.management import create_permissions

CONTENT = {
    "history": ["article", "event", "concept", "mention", "datedexpression", "conceptcandidate"],
    "lessons": ["lesson", "section", "question", "choice", "excerpt"],
}
PUBLISHABLE = {"history": ["article", "event", "concept"], "lessons": ["lesson"]}


def ensure_groups(apps, schema_editor=None):
    """Create the groups (if missing) and give them their permissions; safe to run again."""
    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models
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
    teachers, _ = Group.objects.get_or_create(name="Teachers")
    teacher_material = perms("lessons", ["view_answer_key", "view_teacher_material"])
    for group in (editors, publishers, teachers):
        group.permissions.add(*teacher_material)
    for group in (editors, publishers):
        group.permissions.add(*perms("publishing", ["view_statechange"]))
    publishers.permissions.add(*perms("lessons", ["export_everything"]))
