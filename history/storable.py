"""A model mixin: text fields refuse what a database cannot store, in ``full_clean()``.

Every write goes through ``full_clean()`` (services, the admin's forms), so a NUL character
(PostgreSQL refuses it, in text and in JSON such as a concept's aliases), a lone surrogate or
a control character is a validation error on its field on every database, never a 500.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from history.text import find_unstorable

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


class StorableText:
    def clean_fields(self, exclude=None):
        errors: dict[str, list[str]] = {}
        for field in self._meta.concrete_fields:
            if (exclude and field.name in exclude) or not isinstance(field, TEXT_FIELDS):
                continue
            found = find_unstorable(getattr(self, field.attname))
            if found is not None:
                errors[field.name] = [found[1]]
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
