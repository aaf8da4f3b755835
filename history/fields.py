"""The image field of articles, events and lessons: checked by content, stored re-encoded."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models

from history import images


def _limits() -> dict:
    return {"max_bytes": settings.IMAGE_MAX_BYTES, "max_pixels": settings.IMAGE_MAX_PIXELS}


def clean_upload(upload) -> images.CleanImage:
    """Check an uploaded file (kept on it, so that it is checked once); ValidationError if bad."""
    cleaned = getattr(upload, "_clean_image", None)
    if cleaned is not None:
        return cleaned
    limit = settings.IMAGE_MAX_BYTES
    try:
        # A 50 MB upload is refused by its size, without reading it into memory.
        images.check_size(getattr(upload, "size", None) or 0, max_bytes=limit)
        upload.seek(0)
        data = upload.read(limit + 1)
        upload.seek(0)
        cleaned = images.clean_image(data, **_limits())
    except images.ImageRefused as exc:
        raise ValidationError(str(exc), code="invalid_image") from exc
    upload._clean_image = cleaned
    return cleaned


class CleanImageFormField(forms.ImageField):
    """Refuses with the reason (too large, too many pixels, SVG, not an image)."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)  # the file, without Django's Pillow check
        if upload is None:
            return None
        cleaned = clean_upload(upload)
        upload.content_type = cleaned.media_type
        return upload


class CleanImageField(models.ImageField):
    """An ImageField whose uploads are checked by content and stored re-encoded (history.images).

    ``alt_field`` names the field that describes the image, required when there is one. It
    deconstructs as ``models.ImageField``: the column is the same, so no migration.
    """

    def __init__(self, *args, alt_field: str | None = None, **kwargs):
        self.alt_field = alt_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value and not value._committed:
            clean_upload(value.file)
        if value and self.alt_field and not getattr(model_instance, self.alt_field, "").strip():
            label = model_instance._meta.get_field(self.alt_field).verbose_name
            raise ValidationError(
                f"Say what the image shows in “{label}”, for learners who cannot see it.",
                code="alt_required",
            )

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            cleaned = clean_upload(file.file)
            name = f"{PurePosixPath(file.name).stem or 'image'}.{cleaned.extension}"
            file.save(name, ContentFile(cleaned.data), save=False)
            return file
        return super().pre_save(model_instance, add)
