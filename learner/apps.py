from django.apps import AppConfig


class LearnerConfig(AppConfig):
    name = "learner"
    verbose_name = "Learner site"

    def ready(self):
        from learner import pages
        from publishing import live

        # Pages are built after the live documents they show (phase "pages").
        live.on_change("pages", pages.on_live_change)
