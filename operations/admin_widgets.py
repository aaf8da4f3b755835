"""The admin's autocomplete widgets, made to survive a value that is not an id.

Django's AutocompleteSelect re-renders a refused form by looking its submitted values up in
the database as they are, so "abc" for an id field raises ValueError: the editor gets a 500
instead of the form with its error. Values the field cannot read are left out of that lookup
(the form still says they were wrong). Installed once, in OperationsConfig.ready().
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_django_optgroups = AutocompleteMixin.optgroups


def _readable(widget, values) -> list:
    remote = widget.field.remote_field.model._meta
    target = remote.get_field(getattr(widget.field.remote_field, "field_name", remote.pk.name))
    kept = []
    for value in values:
        try:
            target.run_validators(target.to_python(value))
        except (ValidationError, TypeError, ValueError):
            continue
        kept.append(value)
    return kept


def optgroups(self, name, value, attr=None):
    return _django_optgroups(self, name, _readable(self, value), attr)


def install() -> None:
    AutocompleteMixin.optgroups = optgroups
