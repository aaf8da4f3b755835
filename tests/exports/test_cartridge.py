"""The Common Cartridge export validates against the IMS schemas Moodle's importer uses."""

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from lessons.models import Lesson
from tests import factories

SCHEMAS = Path(__file__).resolve().parents[2] / "lessons" / "exports" / "schemas" / "cc-1.1"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def validate(xml: bytes, name: str) -> etree._Element:
    document = etree.fromstring(xml)
    xsd = schema(name)
    assert xsd.validate(document), "\n".join(str(e) for e in xsd.error_log)
    return document


@pytest.fixture
def lesson(sample):
    return Lesson.objects.get()


def cartridge(client, lesson) -> zipfile.ZipFile:
    response = client.get(f"/api/v1/lessons/{lesson.slug}/cartridge.imscc")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{lesson.slug}.imscc"' in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_manifest_validates_against_the_cc_1_1_schema(api, lesson):
    archive = cartridge(api, lesson)
    manifest = validate(archive.read("imsmanifest.xml"), "ccv1p1_imscp_v1p2_v1p0.xsd")
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Common Cartridge"
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "1.1.0"
    organization = manifest.find(f"{CP}organizations/{CP}organization")
    assert organization.get("structure") == "rooted-hierarchy"
    assert (
        manifest.find(f"{CP}metadata/{{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}}lom")
        is not None
    )


def test_every_resource_and_item_points_at_something_real(editor_api, lesson):
    archive = cartridge(editor_api, lesson)
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    names = set(archive.namelist())
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    for resource in resources.values():
        for file in resource.iter(f"{CP}file"):
            assert file.get("href") in names
    for item in manifest.iter(f"{CP}item"):
        if item.get("identifierref"):
            assert item.get("identifierref") in resources
    types = {r.get("type") for r in resources.values()}
    assert types == {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"}
    sections = lesson.sections.count()
    assert sum(1 for r in resources.values() if r.get("type") == "webcontent") == sections + 1


def test_the_quiz_is_qti_1_2_that_validates_and_keys_the_right_answers(editor_api, lesson):
    archive = cartridge(editor_api, lesson)
    quiz = validate(archive.read("quiz/assessment.xml"), "ccv1p1_qtiasiv1p2p1_v1p0.xsd")
    qti = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    items = quiz.findall(f".//{qti}item")
    multiple_choice = lesson.questions.filter(kind="multiple_choice")
    assert len(items) == multiple_choice.count() > 0
    for item, question in zip(items, multiple_choice.order_by("position", "id"), strict=True):
        keyed = {v.text for v in item.iter(f"{qti}varequal") if v.getparent().tag != f"{qti}not"}
        right = {f"c{c.pk}" for c in question.choices.filter(is_correct=True)}
        assert keyed == right


def test_anonymous_clients_get_the_pages_without_the_answer_key(api, lesson):
    archive = cartridge(api, lesson)
    assert "quiz/assessment.xml" not in archive.namelist()
    assert b"assessment" not in archive.read("imsmanifest.xml")


def test_pages_keep_unicode_and_attribution_and_escape_editor_text(api, lesson):
    section = lesson.sections.exclude(excerpt=None).first()
    section.heading = "Petőfi <b>&</b> Poznań – “quoted”…"
    section.save()
    factories.go_live(lesson)  # as published
    archive = cartridge(api, lesson)
    pages = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".html")]
    page = next(p for p in pages if "Poznań – “quoted”" in p)
    assert "<h1>Petőfi &lt;b&gt;&amp;&lt;/b&gt; Poznań – “quoted”…</h1>" in page
    assert section.excerpt.article.title in page
    assert section.excerpt.exact in page
