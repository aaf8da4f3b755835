from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _optimize_after_migrate(sender, using="default", **kwargs):
    from operations.database import optimize

    optimize(using=using)


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Running the site"

    def ready(self):
        from operations import admin_widgets

        admin_widgets.install()
        # Once per migrate (post_migrate is sent for each app; this app's is enough, as it is
        # the last installed): new tables and indexes get the planner's statistics.
        post_migrate.connect(_optimize_after_migrate, sender=self)
