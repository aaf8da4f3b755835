"""Form pieces the admin of both apps uses."""

from django import forms


class LinesField(forms.CharField):
    """A list of short texts edited as lines of a text box (aliases, objectives, questions)."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 80})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        # JSONField passes these to its form field; lines need neither.
        kwargs.pop("max_length", None)
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)
