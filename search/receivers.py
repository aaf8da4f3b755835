"""Signal receivers that re-index content when it is saved."""

from search import services

# Saves that touch only these fields (publish, unpublish, archive) change nothing indexed.
STATE_FIELDS = {"status", "publish_at", "updated_by", "updated_at", "version"}


def content_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= STATE_FIELDS:
        return
    services.index_object(instance)


def part_saved(sender, instance, **kwargs):
    """A section or question changed: its lesson's text changed."""
    from lessons.models import Lesson

    lesson = Lesson.objects.filter(pk=instance.lesson_id).first()
    if lesson is not None:
        services.index_object(lesson)
