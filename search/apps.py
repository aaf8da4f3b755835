from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # The index holds what learners can read: live versions, indexed when they are
        # published, changed or withdrawn (never a working copy).
        from publishing import live
        from search import services

        live.on_change("index", services.on_live_change)
