"""The real corpus imported three ways (command, admin upload, admin paste) gives one article,
with its structure, metadata and honest flags."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from history.models import Article, ConceptCandidate
from tests.corpus.conftest import CORPUS, SAMPLE

FIELDS = ["title", "slug", "kicker", "body", "blocks", "author", "publication",
          "publication_date", "source_url", "rights", "language", "source_sha256"]  # fmt: skip


def snapshot(article):
    return {name: getattr(article, name) for name in FIELDS}


def import_by_command(path):
    out = StringIO()
    call_command("import_article", str(path), stdout=out, stderr=out)
    return Article.objects.get(), out.getvalue()


def import_by_upload(client, path):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/markdown")
    response = client.post("/admin/history/article/add/", {"file": upload, "format": "auto"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(), response


def import_by_paste(client, path):
    response = client.post(
        "/admin/history/article/add/",
        {"text": path.read_text(encoding="utf-8"), "format": "auto"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(), response


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("name", [*CORPUS, "sample"])
def test_command_upload_and_paste_give_the_same_article(name, staff_client):
    path = CORPUS.get(name, SAMPLE)
    results = []
    for importer in (
        lambda: import_by_command(path)[0],
        lambda: import_by_upload(staff_client, path)[0],
        lambda: import_by_paste(staff_client, path)[0],
    ):
        article = importer()
        results.append(snapshot(article))
        Article.objects.all().delete()
    assert results[0] == results[1] == results[2]
    assert results[0]["body"] and results[0]["blocks"]


@pytest.mark.django_db
def test_importing_the_same_text_again_by_another_path_changes_nothing(staff_client):
    path = CORPUS["frus"]
    import_by_command(path)
    response = staff_client.post(
        "/admin/history/article/add/", {"text": path.read_text(encoding="utf-8")}, follow=True
    )
    assert Article.objects.count() == 1
    assert "Unchanged “Poznań, June 1956" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_report_names_structure_encoding_flags_and_suggestions(staff_client):
    path = CORPUS["abstract"]
    response = staff_client.post(
        "/admin/history/article/add/",
        {"file": SimpleUploadedFile(path.name, path.read_bytes())},
        follow=True,
    )
    page = response.content.decode()
    assert "Created “Hungarian Revolution of 1956”: 6 paragraphs, 1 headings" in page
    assert "read as Markdown in utf-8" in page
    assert (
        "From the front matter: title, author, publication_date, source_url, rights, language"
        in page
    )


@pytest.mark.django_db
def test_the_add_form_states_the_limit_before_anything_is_sent(staff_client):
    page = staff_client.get("/admin/history/article/add/").content.decode()
    assert "at most 500,000 characters" in page
    assert 'data-max-bytes="2000000"' in page and 'data-max-chars="500000"' in page


@pytest.mark.django_db
def test_a_paste_over_the_limit_is_refused_with_the_numbers_and_kept_in_the_form(staff_client):
    big = "Title\n\n" + ("Workers marched in Poznań. " * 20000)  # 540,007 characters
    response = staff_client.post("/admin/history/article/add/", {"text": big})
    assert response.status_code == 200
    page = response.content.decode()
    assert "540,007 characters; an article can hold at most 500,000 characters" in page
    assert "Workers marched in Poznań. Workers" in page  # the text is still there
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_file_and_a_paste_at_once_are_refused(staff_client):
    response = staff_client.post(
        "/admin/history/article/add/",
        {"file": SimpleUploadedFile("a.txt", b"Title\n\nText."), "text": "Title\n\nText."},
    )
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_front_matter_fills_the_article_and_is_not_text(staff_client):
    article, _ = import_by_command(CORPUS["abstract"])
    assert article.title == "Hungarian Revolution of 1956"
    assert article.author == "Wikipedia contributors"
    assert article.rights == "CC BY-SA 4.0"
    assert article.publication_date == "2016"
    assert article.source_url == "https://en.wikipedia.org/wiki/Hungarian_Revolution_of_1956"
    assert "aliases" not in article.body and "---" not in article.body
    assert "[[" not in article.body and "]]" not in article.body
    assert (
        "the government of the Hungarian People's Republic and its Soviet-imposed" in article.body
    )


@pytest.mark.django_db
def test_recurring_names_and_acronyms_are_proposed_as_concepts_unless_known_or_dismissed():
    from history import services
    from tests.factories import ConceptFactory

    ConceptFactory(term="Central Intelligence Agency", aliases=["CIA"])
    article, output = import_by_command(CORPUS["essay"])
    names = set(ConceptCandidate.objects.values_list("name", flat=True))
    assert {"USIA", "Eastern Europe", "Eisenhower Administration", "New York Times"} <= names
    assert "CIA" not in names  # a known form
    assert "new concepts to consider" in output
    services.candidates_dismiss(candidates=ConceptCandidate.objects.filter(name="USIA"))
    article.body += "\n\nThe USIA and the USIA again."
    services.article_save(article=article)
    assert ConceptCandidate.objects.get(name="USIA").status == "dismissed"
    concept = services.candidate_accept(
        candidate=ConceptCandidate.objects.get(name="Eastern Europe")
    )
    assert concept.status == "draft" and concept.term == "Eastern Europe"
    assert article.mentions.filter(concept=concept).count() == article.body.count("Eastern Europe")
