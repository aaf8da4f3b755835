"""Signal receivers that re-index content when it is saved."""

from search import services

# Saves that touch only these fields (publish, unpublish, archive) change nothing indexed.
STATE_FIELDS = {"status", "publish_at", "updated_by", "updated_at", "version"}


def content_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= STATE_FIELDS:
        return
    services.index_object(instance)


def part_saved(sender, instance, origin=None, **kwargs):
    """A section or question changed: its lesson's text changed."""
    from django.db.models import QuerySet

    from lessons.models import Lesson

    if origin is not None:
        # A deletion: re-index only when the part itself was deleted, not when its lesson is
        # being deleted (the lesson's rows go with it; new ones would point at nothing).
        model = origin.model if isinstance(origin, QuerySet) else type(origin)
        if model is not sender:
            return
    lesson = Lesson.objects.filter(pk=instance.lesson_id).first()
    if lesson is not None:
        services.index_object(lesson)
