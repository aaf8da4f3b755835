"""The admin index's "Curating" box: what needs attention, what waits for review, what changed."""

from django import template

from history.models import Article, Concept, DatedExpression, Event, Mention, MentionStatus
from lessons.models import Excerpt, Lesson
from publishing.models import Status

register = template.Library()


@register.inclusion_tag("admin/lessons/curating_box.html", takes_context=True)
def curating_box(context):
    states = list(Excerpt.NEEDS_ATTENTION)
    attention = (
        Excerpt.objects.filter(anchor_status__in=states).count()
        + Mention.objects.filter(anchor_status__in=states)
        .exclude(status=MentionStatus.REJECTED)
        .count()
        + DatedExpression.objects.filter(anchor_status__in=states).count()
    )
    in_review = [
        (model._meta.verbose_name_plural, model._meta.model_name, model._meta.app_label, count)
        for model in (Lesson, Article, Event, Concept)
        if (count := model.objects.filter(status=Status.IN_REVIEW).count())
    ]
    return {"attention": attention, "in_review": in_review, "request": context.get("request")}
