"""Template filters for the learner site."""

from django import template
from django.utils.safestring import mark_safe

from history.markup import render_inline, render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Editor Markdown as sanitised HTML (nh3 allowlist)."""
    return mark_safe(render_markdown(text or ""))


@register.filter
def inline_markdown(text):
    return mark_safe(render_inline(text or ""))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def contains(collection, value):
    return str(value) in collection if collection else False
