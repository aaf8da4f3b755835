"""Lessons follow changes to their sources."""

from django.dispatch import receiver

from history.signals import article_text_changed
from lessons import services


@receiver(article_text_changed, dispatch_uid="lessons.reanchor_excerpts")
def reanchor_excerpts(sender, *, article, **kwargs):
    services.excerpts_reanchor(article=article)
