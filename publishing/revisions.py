"""Revisions (django-reversion) read as text an editor can compare, and restored safely.

Every content save goes through a service that records a revision; here a revision becomes
lines of "Field: value" (with a lesson's sections, questions and choices, in order), two of
them become a side-by-side diff, and an old one's content is put back without touching the
publication state or the version counter.
"""

from __future__ import annotations

import difflib

from django.core.exceptions import ValidationError
from django.db import models
from reversion.models import Version

# What a revert never puts back: the publication state and who/when of the current item.
PRESERVED = {
    "id",
    "status",
    "publish_at",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
}
# Links to the parent that a child's lines need not repeat.
PARENT_LINKS = {"lesson", "question"}


def versions_for(obj) -> models.QuerySet[Version]:
    """The object's versions, newest first, with their revision and author."""
    return Version.objects.get_for_object(obj).select_related("revision__user")


def _value_lines(model, data: dict) -> list[str]:
    lines = []
    for field in model._meta.get_fields():
        name = field.name
        if name in PRESERVED or name in PARENT_LINKS or name not in data:
            continue
        if not getattr(field, "concrete", False) and not field.many_to_many:
            continue
        value = data[name]
        label = str(getattr(field, "verbose_name", name)).capitalize()
        if field.is_relation and value not in (None, [], ""):
            ids = value if isinstance(value, list | tuple) else [value]
            found = field.related_model._default_manager.in_bulk(ids)
            names = [str(found[i]) if i in found else f"(removed #{i})" for i in ids]
            value = "; ".join(names)
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif getattr(field, "choices", None):
            value = dict(field.flatchoices).get(value, value)
        text = "" if value is None else str(value)
        parts = text.splitlines() or [""]
        lines.append(f"{label}: {parts[0]}")
        lines.extend(f"    {part}" for part in parts[1:])
    return lines


def _data(version: Version) -> dict:
    object_version = version._object_version
    data = dict(version.field_dict)
    data.update(object_version.m2m_data or {})
    for name, value in list(data.items()):
        if isinstance(value, list):
            data[name] = [int(v) if str(v).isdigit() else v for v in value]
    return data


def version_lines(version: Version) -> list[str]:
    """The version as readable lines; a lesson's include its sections, questions and choices."""
    model = version._model
    lines = _value_lines(model, _data(version))
    children = [v for v in version.revision.version_set.all() if v.pk != version.pk]
    by_model: dict[type, list[tuple[Version, dict]]] = {}
    for child in children:
        if child._model is None:
            continue
        by_model.setdefault(child._model, []).append((child, _data(child)))
    for child_model, items in by_model.items():
        parent_link = next((n for n in PARENT_LINKS if n in items[0][1]), None)
        if parent_link == "question":
            continue  # choices are listed under their question below
        items.sort(key=lambda item: (item[1].get("position", 0), int(item[0].object_id)))
        for child, data in items:
            title = f"{child_model._meta.verbose_name.capitalize()} {data.get('position', '')}"
            lines.append("")
            lines.append(f"== {title.strip()} ==")
            lines.extend(_value_lines(child_model, data))
            for choice_model, choices in by_model.items():
                link = next(
                    (
                        f
                        for f in choice_model._meta.concrete_fields
                        if f.name == "question" and f.related_model is child_model
                    ),
                    None,
                )
                if link is None:
                    continue
                choices = [(c, d) for c, d in choices if d.get("question") == int(child.object_id)]
                choices.sort(key=lambda item: item[1].get("position", 0))
                for _choice, choice_data in choices:
                    mark = "✓" if choice_data.get("is_correct") else "·"
                    lines.append(f"  {mark} {choice_data.get('text', '')}")
    return lines


def diff_table(old: Version, new: Version) -> str:
    """An HTML table comparing two versions side by side; difflib escapes the text."""
    return difflib.HtmlDiff(wrapcolumn=70).make_table(
        version_lines(old),
        version_lines(new),
        fromdesc=describe(old),
        todesc=describe(new),
        context=True,
        numlines=3,
    )


def describe(version: Version) -> str:
    revision = version.revision
    who = revision.user.get_username() if revision.user else "the system"
    return f"{revision.date_created:%d %b %Y %H:%M} by {who}"


def restore_fields(obj, version: Version) -> None:
    """Put an old version's content fields back on ``obj`` (unsaved); keep its state."""
    if version.object_id != str(obj.pk) or version._model is not type(obj):
        raise ValidationError("That revision belongs to something else.")
    old = version._object_version.object
    for field in type(obj)._meta.concrete_fields:
        if field.name in PRESERVED or not field.editable:
            continue
        setattr(obj, field.attname, getattr(old, field.attname))
