from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        # Keep the index up to date whatever saves the content (admin, API, commands), without
        # touching the other apps' services. Publish state is checked at query time, so a
        # status change needs no re-indexing.
        from django.db.models.signals import post_delete, post_save

        from history.models import Article, Concept, Event
        from lessons.models import Lesson, Question, Section
        from search import receivers

        for model in (Article, Concept, Event, Lesson):
            post_save.connect(receivers.content_saved, sender=model, dispatch_uid=f"search.{model}")
        for model in (Section, Question):
            post_save.connect(receivers.part_saved, sender=model, dispatch_uid=f"search.{model}")
            post_delete.connect(
                receivers.part_saved, sender=model, dispatch_uid=f"search.del.{model}"
            )
