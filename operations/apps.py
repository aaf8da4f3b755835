from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Running the site"

    def ready(self):
        from operations import admin_widgets

        admin_widgets.install()
