"""Form pieces every content admin shares: the version an edit started from."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_SHOWN = 200


def _shown(value) -> str:
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, and refuses a save over a newer one.

    The form's instance is read from the database when the form is posted, so it *is* the
    other person's version: the error lists where it differs from what this editor sent.
    After the message the form carries the new version, so saving again is a deliberate choice
    to replace theirs.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version
        self.conflict: list[tuple[str, str]] = []

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        instance = self.instance
        if instance.pk is None or expected is None or expected == instance.version:
            return cleaned
        for name in self.changed_data:
            if name == "expected_version" or name not in self.fields:
                continue
            label = self.fields[name].label or name
            theirs = self.initial.get(name)
            field = self.fields[name]
            if hasattr(field, "choices") and not isinstance(theirs, list | tuple):
                theirs = dict(field.choices).get(theirs, theirs)
            elif hasattr(field, "queryset") and theirs:
                ids = theirs if isinstance(theirs, list | tuple) else [theirs]
                theirs = [
                    str(o) for o in field.queryset.filter(pk__in=[getattr(i, "pk", i) for i in ids])
                ]
            self.conflict.append((str(label), _shown(theirs)))
        who = instance.updated_by.get_username() if instance.updated_by else _("someone else")
        data = self.data.copy()
        data[self.add_prefix("expected_version")] = instance.version
        self.data = data
        differs = "; ".join(f"{label}: “{theirs}”" for label, theirs in self.conflict)
        raise forms.ValidationError(
            _(
                "“%(obj)s” was changed by %(who)s at %(when)s while you were editing it "
                "(you started from version %(mine)s; it is now version %(now)s). Nothing was "
                "saved. %(differs)s Compare the versions under “Revisions”; to replace theirs "
                "with yours, check your changes and save again."
            )
            % {
                "obj": instance,
                "who": who,
                "when": timezone.localtime(instance.updated_at).strftime("%H:%M:%S"),
                "mine": expected,
                "now": instance.version,
                "differs": (
                    _("Their version differs from yours in: %s.") % differs
                    if differs
                    else _("Their change touched what you did not edit here.")
                ),
            },
            code="conflict",
        )
