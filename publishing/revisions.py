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
from reversion.revisions import _get_options, is_registered

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
        key = getattr(field, "attname", name)
        if name in PRESERVED or name in PARENT_LINKS or key not in data:
            continue
        if not getattr(field, "concrete", False) and not field.many_to_many:
            continue
        value = data[key]
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
    data = dict(version.field_dict)
    for name, value in list(data.items()):
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
    return data


def _children(model) -> list[tuple[type, str]]:
    """(child model, its link to the parent) for each relation the registration follows."""
    children = []
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        children.append((relation.related_model, relation.field.attname))
    return children


def version_lines(version: Version) -> list[str]:
    """The version as readable lines; a lesson's include its sections, questions and choices,
    in order, as the same revision holds them."""
    by_model: dict[type, list[tuple[Version, dict]]] = {}
    for other in version.revision.version_set.all():
        if other._model is not None:
            by_model.setdefault(other._model, []).append((other, _data(other)))
    return _lines(version._model, _data(version), int(version.object_id), by_model, depth=0)


def _lines(model, data, pk, by_model, *, depth: int) -> list[str]:
    indent = "    " * depth
    lines = [indent + line for line in _value_lines(model, data)]
    if not is_registered(model):
        return lines
    for child_model, link in _children(model):
        items = [(v, d) for v, d in by_model.get(child_model, []) if d.get(link) == pk]
        items.sort(key=lambda item: (item[1].get("position", 0), int(item[0].object_id)))
        for number, (child, child_data) in enumerate(items, 1):
            title = f"{child_model._meta.verbose_name.capitalize()} {number}"
            lines.append("")
            lines.append(f"{indent}== {title} ==")
            lines.extend(
                _lines(child_model, child_data, int(child.object_id), by_model, depth=depth + 1)
            )
    return lines


def diff_table(old: Version, new: Version) -> str:
    """An HTML table comparing two versions side by side; difflib escapes the text."""
    return difflib.HtmlDiff(wrapcolumn=50).make_table(
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
