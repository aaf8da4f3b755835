"""Two editors save the same lesson: the second is told, shown the other's version, and
nothing is silently overwritten."""

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Lesson
from publishing.services import ConflictError
from tests import factories
from tests.curation.test_revisions import _post_data


@pytest.fixture
def lesson(db):
    lesson = factories.LessonFactory(draft=True, title="Budapest, October 1956")
    factories.SectionFactory(lesson=lesson, heading="The rising")
    return services.lesson_save(lesson=lesson, comment="First draft.")  # its first revision


def test_a_save_from_a_stale_version_is_refused_by_the_service(lesson, editor_user):
    started = lesson.version
    first = Lesson.objects.get()
    first.title = "First editor’s title"
    services.lesson_save(lesson=first, user=editor_user, expected_version=started)
    second = Lesson.objects.get(pk=lesson.pk)
    second.title = "Second editor’s title"
    with pytest.raises(ConflictError, match="changed by someone else"):
        services.lesson_save(lesson=second, user=editor_user, expected_version=started)
    assert Lesson.objects.get().title == "First editor’s title"


def test_the_second_admin_save_gets_a_clear_message_with_the_others_version(client, lesson):
    edith = factories.editor(username="edith")
    erik = factories.editor(username="erik")
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    client.force_login(edith)
    edith_form = _post_data(client.get(url))
    client.force_login(erik)
    erik_form = _post_data(client.get(url))

    erik_form["title"] = "Erik’s title – Petőfi"
    assert client.post(url, erik_form).status_code == 302

    client.force_login(edith)
    edith_form["title"] = "Edith’s title"
    response = client.post(url, edith_form)
    assert response.status_code == 200  # the form again, with the message
    html = response.content.decode()
    assert "Nothing was saved: erik saved this" in html
    assert "They changed: Title (“Budapest, October 1956” → “Erik’s title – Petőfi”)" in html
    assert "Your edits, to apply again: Title: “Edith’s title”" in html
    assert Lesson.objects.get().title == "Erik’s title – Petőfi"
    # The form now holds Erik's saved title and version: saving it as it is keeps his work.
    shown = _post_data(response)
    assert shown["title"] == "Erik’s title – Petőfi"
    assert int(shown["expected_version"]) == Lesson.objects.get().version
    # Edith applies her edit again, knowingly, over the version she has now seen.
    shown["title"] = "Edith’s title"
    assert client.post(url, shown).status_code == 302
    assert Lesson.objects.get().title == "Edith’s title"


def test_a_save_racing_past_the_forms_check_is_refused_without_a_500(
    client, lesson, editor_user, monkeypatch
):
    from publishing.admin import VersionedAdmin
    from publishing.forms import VersionedForm

    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    client.force_login(editor_user)
    data = _post_data(client.get(url))
    data["title"] = "Mine"
    Lesson.objects.filter(pk=lesson.pk).update(version=lesson.version + 1, title="Theirs")
    # As if the other save landed between the form's check and ours.
    monkeypatch.setattr(VersionedForm, "clean", lambda self: self.cleaned_data)
    monkeypatch.setattr(VersionedAdmin, "_note_stale_inlines", lambda self, request, pk: None)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert Lesson.objects.get().title == "Theirs"


def test_an_article_edited_in_the_admin_re_anchors_and_refuses_a_stale_save(client, editor_user):
    from history.models import Article
    from lessons.services import excerpt_create_from_words

    article = factories.ArticleFactory(draft=True)
    excerpt = excerpt_create_from_words(article=article, exact="The Petőfi Circle had debated")
    url = reverse("admin:history_article_change", args=[article.pk])
    client.force_login(editor_user)
    first = _post_data(client.get(url))
    stale = dict(first)

    first["body"] = "A new opening paragraph.\n\n" + first["body"]
    assert client.post(url, first).status_code == 302
    excerpt.refresh_from_db()
    assert excerpt.anchor_status == "moved"
    assert Article.objects.get().body[excerpt.start : excerpt.end] == excerpt.exact

    stale["title"] = "Stale title"
    response = client.post(url, stale)
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    assert Article.objects.get().title == article.title
