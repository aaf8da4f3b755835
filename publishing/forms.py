"""Form pieces every content admin shares: the version an edit started from, and what happens
when someone else saved in between.

A form carries the version its editor started from. When that is no longer the item's version,
nothing is saved and the form comes back holding the *other person's* saved values (so saving
again cannot overwrite their work unseen), with a message that says who changed what and when,
and the editor's own edits listed beside, to apply again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

MAX_SHOWN = 200


def shown(value) -> str:
    """A value as a person reads it in a message, cut short when long."""
    if isinstance(value, list | tuple):
        value = "; ".join(str(getattr(v, "pk", v) if hasattr(v, "_meta") else v) for v in value)
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


@dataclass
class Conflict:
    """What happened between the version an editor started from and the one saved now."""

    who: str
    when: str
    started_from: int
    now: int
    theirs: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    yours: list[tuple[str, str]] = field(default_factory=list)  # label, your value

    def message(self) -> str:
        parts = [
            _(
                "Nothing was saved: %(who)s saved this at %(when)s while you were editing it "
                "(you started from version %(mine)s; it is now version %(now)s)."
            )
            % {"who": self.who, "when": self.when, "mine": self.started_from, "now": self.now}
        ]
        if self.theirs:
            parts.append(
                _("They changed: %s.")
                % "; ".join(
                    f"{label} (“{before}” → “{after}”)" for label, before, after in self.theirs
                )
            )
        if self.yours:
            parts.append(
                _("The form now shows their version. Your edits, to apply again: %s.")
                % "; ".join(f"{label}: “{value}”" for label, value in self.yours)
            )
        else:
            parts.append(_("The form now shows their version."))
        return " ".join(str(p) for p in parts)


def values_at(instance, version_number: int) -> dict | None:
    """The item's field values as they were at ``version_number`` (from its revisions), or
    None when no revision holds that version."""
    for version in Version.objects.get_for_object(instance).only("serialized_data", "format"):
        data = version.field_dict
        if data.get("version") is not None and data["version"] <= version_number:
            return data
    return None


class ShowsSavedOnConflict(BoundField):
    """After a conflict a field shows the value saved now (the other person's), not the stale
    value that was posted; everything else (errors) is as for any bound form."""

    def value(self):
        if getattr(self.form, "conflict", None) is not None:
            return self.field.prepare_value(self.initial)
        return super().value()


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from and refuses a save over a newer one."""

    bound_field_class = ShowsSavedOnConflict
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version
        self.conflict: Conflict | None = None

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        instance = self.instance
        if instance.pk is None or expected is None or expected == instance.version:
            return cleaned
        self.conflict = self._conflict(expected)
        raise forms.ValidationError(self.conflict.message(), code="conflict")

    def _post_clean(self):
        if self.conflict is not None:
            return  # leave the instance as it is saved now: nothing of this edit is applied
        super()._post_clean()

    def _conflict(self, expected: int) -> Conflict:
        instance = self.instance
        names = [n for n in self.fields if n != "expected_version"]
        start = values_at(instance, expected)
        who, when = _last_saved(instance)
        conflict = Conflict(who=who, when=when, started_from=expected, now=instance.version)
        for name in names:
            label = str(self.fields[name].label or name)
            now = self.initial.get(name)
            if start is not None:
                before = start.get(name, start.get(f"{name}_id"))
                if _comparable(before) != _comparable(now):
                    conflict.theirs.append((label, shown(before), shown(now)))
            if name in self.changed_data:
                conflict.yours.append((label, shown(self.data.get(self.add_prefix(name), ""))))
        return conflict


def _last_saved(instance) -> tuple[str, str]:
    """Who saved the item last and when: from its newest revision, or its own fields."""
    newest = Version.objects.get_for_object(instance).select_related("revision__user").first()
    user = newest.revision.user if newest is not None else getattr(instance, "updated_by", None)
    at = (
        newest.revision.date_created
        if newest is not None
        else getattr(instance, "updated_at", None)
    )
    who = user.get_username() if user is not None else str(_("someone else"))
    when = timezone.localtime(at).strftime("%d %b %Y %H:%M:%S") if at else ""
    return who, when


def _comparable(value):
    if isinstance(value, list | tuple):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    return str(getattr(value, "pk", value)) if value not in (None, "") else ""
