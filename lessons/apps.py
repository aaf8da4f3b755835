from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self):
        from lessons import live, receivers  # noqa: F401  (re-anchor excerpts when an article changes)

        live.register()  # how lessons are published
