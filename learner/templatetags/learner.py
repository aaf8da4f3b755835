"""Template filters for the learner site."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from history.markup import render_inline, render_markdown
from publishing.live import absolute_stored

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


@register.filter
def absolute(path):
    """An absolute URL for a path of the site; the origin is filled in when the page is served
    (pages are built once and served under every host name the site answers to)."""
    return absolute_stored(path or "/")


@register.filter
def media_url(name):
    """The URL of an uploaded file, from its stored name."""
    return settings.MEDIA_URL.rstrip("/") + "/" + str(name).lstrip("/") if name else ""


@register.filter
def in_order(items, ids):
    """Items (dicts with ``id``) in the order of ``ids``."""
    by_id = {item["id"]: item for item in items}
    return [by_id[i] for i in ids or [] if i in by_id]


@register.filter
def lines(count):
    """range(count) for a template loop: the ruled lines of an answer space."""
    try:
        return range(max(0, min(int(count or 0), 40)))
    except (TypeError, ValueError):
        return range(0)


@register.filter
def letter(number):
    """1 → A, 2 → B… (choices on paper)."""
    try:
        return chr(ord("A") + int(number) - 1) if 1 <= int(number) <= 26 else str(number)
    except (TypeError, ValueError):
        return ""
