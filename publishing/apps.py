from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Review and publishing"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_build_missing, dispatch_uid="publishing.build_missing_live")


def _build_missing(sender, app_config=None, using="default", **kwargs):
    # Once per migrate (after the last app's migrations): content published before live
    # versions existed gets its live version now.
    if app_config is None or app_config.label != "search":
        return
    from publishing import live

    live.build_missing()
