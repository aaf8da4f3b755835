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


class ArticleImportForm(forms.Form):
    """The admin's “Add article”: a file or pasted text, read by the same importer as
    ``manage.py import_article``."""

    FORMATS = [("auto", "Recognise it"), ("plain", "Plain text"), ("markdown", "Markdown")]

    file = forms.FileField(label="A file", required=False)
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
    )
    format = forms.ChoiceField(label="It is", choices=FORMATS, initial="auto", required=False)

    def __init__(self, *args, **kwargs):
        from history import text

        super().__init__(*args, **kwargs)
        limit = text.size_limit_text()
        self.fields["file"].help_text = (
            f"Plain text (.txt) or Markdown (.md), in any encoding; {limit}. A title, front "
            "matter (title, author, date, source, licence, language), headings, lists, quotes "
            "and footnotes are read."
        )
        self.fields["file"].widget.attrs.update(
            {"accept": ".txt,.md,.markdown,.text,text/plain,text/markdown",
             "data-max-bytes": str(text.MAX_BYTES)}
        )  # fmt: skip
        self.fields["text"].help_text = f"Plain text or Markdown; {limit}."
        self.fields["text"].widget.attrs["data-max-chars"] = str(text.MAX_CHARACTERS)

    def clean(self):
        from history import services, text

        data = super().clean()
        upload, pasted = data.get("file"), data.get("text") or ""
        if upload and pasted.strip():
            raise forms.ValidationError("Give a file or paste the text, not both.")
        if not upload and not pasted.strip():
            raise forms.ValidationError("Choose a file or paste the text.")
        markdown = {"auto": None, "plain": False, "markdown": True}[data.get("format") or "auto"]
        try:
            if upload:
                text.check_size(size=upload.size, name=upload.name)
                data["prepared"] = services.article_prepare_import(
                    data=upload.read(), name=upload.name, markdown=markdown
                )
            else:
                data["prepared"] = services.article_prepare_import(
                    pasted=pasted, name="pasted text", markdown=markdown
                )
        except text.UnreadableText as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data
