from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = "Sources: articles, events and concepts"

    def ready(self):
        from history import live

        live.register()  # how articles, events and concepts are published
