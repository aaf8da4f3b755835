"""Uploads to the three image fields, through the admin as an editor uploads them.

Every file of tests/hardening/upload_files.py is tried on Article.lead_image, Event.image and
Lesson.image: the issue's attacks (a 50 MB "PNG", a PNG declaring 100 megapixels, PNG+HTML
and GIF/JS polyglots, a PNG named .jpg), SVG and files that are no image are refused with
the reason and nothing is stored; good images are stored re-encoded from their pixels (no
payload, no metadata), named by what they are, and served with their own type.
"""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from history.models import Article, Event
from lessons.models import Lesson
from tests import factories
from tests.hardening import upload_files
from tests.hardening.conftest import stored_files
from tests.hardening.forms import admin_form, model_form_id

pytestmark = pytest.mark.django_db

FIELDS = [
    (Article, factories.ArticleFactory, "lead_image", "lead_image_alt"),
    (Event, factories.EventFactory, "image", "image_alt"),
    (Lesson, factories.LessonFactory, "image", "image_alt"),
]
FIELD_IDS = [f"{model.__name__}.{field}" for model, _, field, _ in FIELDS]


def _upload(client, obj, field, alt_field, name, data, alt="A red square."):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    form, _files = admin_form(client.get(url).content.decode(), model_form_id(type(obj)))
    form[alt_field] = [alt]
    form[field] = SimpleUploadedFile(name, data, content_type="image/png")
    form["_save"] = ["Save"]
    return client.post(
        url, {k: v if not isinstance(v, list) or len(v) != 1 else v[0] for k, v in form.items()}
    )


@pytest.fixture
def editor_client(editor_user):
    client = Client()
    client.force_login(editor_user)
    return client


@pytest.mark.parametrize(("model", "factory", "field", "alt_field"), FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize(
    ("label", "name", "data", "reason"),
    upload_files.REFUSED,
    ids=[r[0] for r in upload_files.REFUSED],
)
def test_a_file_that_is_no_acceptable_image_is_refused_with_its_reason_and_nothing_is_stored(
    editor_client, media_root, model, factory, field, alt_field, label, name, data, reason
):
    obj = factory(draft=True)
    version = obj.version
    response = _upload(editor_client, obj, field, alt_field, name, data)
    assert response.status_code == 200, label
    assert reason in response.content.decode(), label
    obj.refresh_from_db()
    assert not getattr(obj, field)
    assert obj.version == version
    assert stored_files(media_root) == []


@pytest.mark.parametrize(("model", "factory", "field", "alt_field"), FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize(
    ("label", "name", "data", "extension"),
    upload_files.ACCEPTED,
    ids=[a[0] for a in upload_files.ACCEPTED],
)
def test_an_image_is_stored_re_encoded_from_its_pixels_named_by_what_it_is(
    editor_client,
    media_root,
    settings,
    model,
    factory,
    field,
    alt_field,
    label,
    name,
    data,
    extension,
):
    obj = factory(draft=True)
    response = _upload(editor_client, obj, field, alt_field, name, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    stored = getattr(obj, field)
    assert stored.name.endswith(f".{extension}")
    content = (media_root / stored.name).read_bytes()
    for payload in (b"<script", b"alert", b"<html", b"JUNK", b"Secret", b"a comment"):
        assert payload not in content, (label, payload)
    image = Image.open(io.BytesIO(content))
    assert not image.getexif(), "no EXIF (GPS, descriptions) is kept"
    assert not image.info.get("comment") and "Comment" not in image.info
    assert [p.name for p in stored_files(media_root)] == [stored.name.rsplit("/", 1)[-1]]

    settings.SERVE_MEDIA = True
    served = Client().get(f"/media/{stored.name}")
    assert served.status_code == 200
    assert (
        served["Content-Type"]
        == {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[extension]
    )
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == content


@pytest.mark.parametrize(("model", "factory", "field", "alt_field"), FIELDS, ids=FIELD_IDS)
def test_an_image_without_its_description_is_refused(
    editor_client, media_root, model, factory, field, alt_field
):
    obj = factory(draft=True)
    response = _upload(editor_client, obj, field, alt_field, "a.png", upload_files.png(), alt=" ")
    assert response.status_code == 200
    assert "for learners who cannot see it" in response.content.decode()
    obj.refresh_from_db()
    assert not getattr(obj, field)
    assert stored_files(media_root) == []


def test_media_is_not_served_by_django_unless_serve_media_is_on(media_root, settings):
    (media_root / "events").mkdir()
    (media_root / "events" / "a.png").write_bytes(upload_files.png())
    settings.SERVE_MEDIA = False
    assert Client().get("/media/events/a.png").status_code == 404
    settings.SERVE_MEDIA = True
    assert Client().get("/media/events/a.png").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "events/page.html",
        "events/script.js",
        "events/drawing.svg",
        "../secret_key",
        "events/../../secret.png",
        "/etc/passwd",
        "events/missing.png",
        "events/",
    ],
)
def test_media_serves_only_images_inside_media_root(media_root, settings, path):
    settings.SERVE_MEDIA = True
    (media_root / "events").mkdir()
    for name in ("page.html", "script.js", "drawing.svg"):
        (media_root / "events" / name).write_bytes(upload_files.PAYLOAD)
    (media_root.parent / "secret.png").write_bytes(upload_files.png())
    assert Client().get(f"/media/{path}").status_code == 404
