"""A lesson as an IMS Common Cartridge 1.1 package (``.imscc``) that Moodle and Canvas import.

Version 1.1 because it is the one whose schemas Moodle's importer validates against and Canvas
also imports (see lessons/exports/schemas/README.md). The zip holds ``imsmanifest.xml``, one
``webcontent`` HTML page for the lesson's overview and one per section, and, when the reader
may see answer keys, the multiple-choice questions as a QTI 1.2 assessment. It is made from the
lesson's view for the reader, so teacher material and keys are in it only for those who may
see them. Built with the standard library only; the tests validate it with lxml
against the vendored XSDs.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.utils.html import escape

from lessons.models import QuestionKind

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOMR = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

MANIFEST_LOCATIONS = (
    f"{CP} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
    f"{LOMM} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd "
    f"{LOMR} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd"
)
QTI_LOCATION = f"{QTI} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"

ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

ET.register_namespace("", CP)
ET.register_namespace("lomimscc", LOMM)
ET.register_namespace("lom", LOMR)
ET.register_namespace("xsi", XSI)


def _el(parent, tag: str, text: str | None = None, **attrib) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrib.items()})
    if text is not None:
        element.text = text
    return element


def _lom_string(parent, tag: str, text: str, language: str = "en") -> None:
    holder = _el(parent, f"{{{LOMM}}}{tag}")
    _el(holder, f"{{{LOMM}}}string", text, language=language)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _overview(lesson: dict, absolute: Callable[[str], str]) -> str:
    parts = [f"<p><strong>{escape(lesson['central_question'])}</strong></p>"]
    if lesson["summary"]:
        parts.append(f"<p>{escape(lesson['summary'])}</p>")
    if lesson["objectives"]:
        items = "".join(f"<li>{escape(o)}</li>" for o in lesson["objectives"])
        parts.append(f"<h2>Objectives</h2>\n<ul>{items}</ul>")
    if lesson["vocabulary"]:
        items = "".join(
            f"<dt>{escape(c['term'])}</dt><dd>{escape(c['definition'])}</dd>"
            for c in lesson["vocabulary"]
        )
        parts.append(f"<h2>Vocabulary</h2>\n<dl>{items}</dl>")
    if lesson["timeline"]:
        items = "".join(
            f"<li>{escape(e['date_display'])}: {escape(e['title'])}</li>"
            for e in lesson["timeline"]
        )
        parts.append(f"<h2>Timeline</h2>\n<ul>{items}</ul>")
    if lesson["teacher_notes_html"]:
        parts.append(f"<h2>Notes for teachers</h2>\n{lesson['teacher_notes_html']}")
    url = absolute(lesson["path"])
    parts.append(f'<p>Online: <a href="{escape(url)}">{escape(url)}</a></p>')
    return _page(lesson["title"], "\n".join(parts))


def _section_page(section: dict, absolute: Callable[[str], str]) -> str:
    parts = []
    if section["body_html"]:
        parts.append(section["body_html"])
    excerpt = section["excerpt"]
    if excerpt is not None:
        article = excerpt["article"]
        source = absolute(article["path"])
        credit = ", ".join(
            escape(p)
            for p in (article["author"], article["publication"], article["publication_date"])
            if p
        )
        parts.append(
            f"<blockquote><p>{escape(excerpt['exact'])}</p></blockquote>\n"
            f'<p>Source: <a href="{escape(source)}">{escape(article["title"])}</a>'
            f"{': ' + credit if credit else ''}</p>"
        )
        if article["rights"]:
            parts.append(f"<p><small>{escape(article['rights'])}</small></p>")
    if section["guiding_questions"]:
        items = "".join(f"<li>{escape(q)}</li>" for q in section["guiding_questions"])
        parts.append(f"<h2>Think about</h2>\n<ul>{items}</ul>")
    if section["teacher_notes_html"]:
        parts.append(f"<h2>For the teacher</h2>\n{section['teacher_notes_html']}")
    return _page(section["heading"], "\n".join(parts))


def _qti_field(parent, label: str, entry: str) -> None:
    field = _el(parent, f"{{{QTI}}}qtimetadatafield")
    _el(field, f"{{{QTI}}}fieldlabel", label)
    _el(field, f"{{{QTI}}}fieldentry", entry)


def _mattext(parent, text: str, texttype: str = "text/plain") -> None:
    material = _el(parent, f"{{{QTI}}}material")
    _el(material, f"{{{QTI}}}mattext", text, texttype=texttype)


def assessment_xml(lesson: dict, questions: list[dict], ident: str) -> bytes:
    """The multiple-choice questions (with their keys) as a QTI 1.2 assessment (Common
    Cartridge profile)."""
    root = ET.Element(f"{{{QTI}}}questestinterop", {f"{{{XSI}}}schemaLocation": QTI_LOCATION})
    assessment = _el(root, f"{{{QTI}}}assessment", ident=ident, title=f"{lesson['title']}: quiz")
    metadata = _el(assessment, f"{{{QTI}}}qtimetadata")
    _qti_field(metadata, "cc_maxattempts", "unlimited")
    section = _el(assessment, f"{{{QTI}}}section", ident="root_section")
    for number, question in enumerate(questions, 1):
        choices = question["choices"]
        correct = [c for c in choices if c["is_correct"]]
        multiple = len(correct) > 1
        item = _el(
            section, f"{{{QTI}}}item", ident=f"q{question['id']}", title=f"Question {number}"
        )
        item_meta = _el(_el(item, f"{{{QTI}}}itemmetadata"), f"{{{QTI}}}qtimetadata")
        profile = "cc.multiple_response.v0p1" if multiple else "cc.multiple_choice.v0p1"
        _qti_field(item_meta, "cc_profile", profile)
        _qti_field(item_meta, "cc_weighting", "1")
        presentation = _el(item, f"{{{QTI}}}presentation")
        _mattext(presentation, question["prompt_html"], "text/html")
        response = _el(
            presentation,
            f"{{{QTI}}}response_lid",
            ident="response1",
            rcardinality="Multiple" if multiple else "Single",
        )
        render = _el(response, f"{{{QTI}}}render_choice")
        for choice in choices:
            label = _el(render, f"{{{QTI}}}response_label", ident=f"c{choice['id']}")
            _mattext(label, choice["text"])
        processing = _el(item, f"{{{QTI}}}resprocessing")
        outcomes = _el(processing, f"{{{QTI}}}outcomes")
        _el(
            outcomes,
            f"{{{QTI}}}decvar",
            varname="SCORE",
            vartype="Decimal",
            minvalue="0",
            maxvalue="100",
        )
        condition = _el(processing, f"{{{QTI}}}respcondition", continue_="No")
        conditionvar = _el(condition, f"{{{QTI}}}conditionvar")
        if multiple:
            both = _el(conditionvar, f"{{{QTI}}}and")
            for choice in choices:
                ident = f"c{choice['id']}"
                if choice["is_correct"]:
                    _el(both, f"{{{QTI}}}varequal", ident, respident="response1")
                else:
                    negation = _el(both, f"{{{QTI}}}not")
                    _el(negation, f"{{{QTI}}}varequal", ident, respident="response1")
        else:
            for choice in correct:
                _el(conditionvar, f"{{{QTI}}}varequal", f"c{choice['id']}", respident="response1")
        _el(condition, f"{{{QTI}}}setvar", "100", action="Set", varname="SCORE")
        if question["explanation_html"]:
            _el(
                condition, f"{{{QTI}}}displayfeedback", feedbacktype="Response", linkrefid="general"
            )
            feedback = _el(item, f"{{{QTI}}}itemfeedback", ident="general")
            flow = _el(feedback, f"{{{QTI}}}flow_mat")
            _mattext(flow, question["explanation_html"], "text/html")
    return _xml(root)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def manifest_xml(lesson: dict, pages: list[tuple[str, str, str]], quiz: str | None) -> bytes:
    """``pages``: (identifier, title, href) of each web page; ``quiz``: the QTI file's path."""
    root = ET.Element(
        f"{{{CP}}}manifest",
        {"identifier": f"lesson-{lesson['slug']}", f"{{{XSI}}}schemaLocation": MANIFEST_LOCATIONS},
    )
    metadata = _el(root, f"{{{CP}}}metadata")
    _el(metadata, f"{{{CP}}}schema", "IMS Common Cartridge")
    _el(metadata, f"{{{CP}}}schemaversion", "1.1.0")
    lom = _el(metadata, f"{{{LOMM}}}lom")
    general = _el(lom, f"{{{LOMM}}}general")
    _lom_string(general, "title", lesson["title"])
    _lom_string(general, "description", lesson["summary"] or lesson["central_question"])

    organizations = _el(root, f"{{{CP}}}organizations")
    organization = _el(
        organizations, f"{{{CP}}}organization", identifier="org", structure="rooted-hierarchy"
    )
    top = _el(organization, f"{{{CP}}}item", identifier="root")
    module = _el(top, f"{{{CP}}}item", identifier="lesson")
    _el(module, f"{{{CP}}}title", lesson["title"])
    for identifier, title, _href in pages:
        item = _el(module, f"{{{CP}}}item", identifier=f"i-{identifier}", identifierref=identifier)
        _el(item, f"{{{CP}}}title", title)
    if quiz:
        item = _el(module, f"{{{CP}}}item", identifier="i-quiz", identifierref="quiz")
        _el(item, f"{{{CP}}}title", "Quiz")

    resources = _el(root, f"{{{CP}}}resources")
    for identifier, _title, href in pages:
        resource = _el(
            resources, f"{{{CP}}}resource", identifier=identifier, type="webcontent", href=href
        )
        _el(resource, f"{{{CP}}}file", href=href)
    if quiz:
        resource = _el(resources, f"{{{CP}}}resource", identifier="quiz", type=ASSESSMENT_TYPE)
        _el(resource, f"{{{CP}}}file", href=quiz)
    return _xml(root)


def build(lesson: dict, *, absolute: Callable[[str], str]) -> bytes:
    """The .imscc file's bytes, from a lesson's view as the reader may see it: the quiz (which
    holds the key) is there only when the view has its key (a reader who may see keys)."""
    files: dict[str, bytes] = {}
    pages = [("overview", "Overview", "web_resources/overview.html")]
    files["web_resources/overview.html"] = _overview(lesson, absolute).encode()
    for number, section in enumerate(lesson["sections"], 1):
        href = f"web_resources/section-{number:02d}.html"
        pages.append((f"section-{number:02d}", section["heading"], href))
        files[href] = _section_page(section, absolute).encode()
    quiz = None
    questions = [
        q
        for q in lesson["questions"]
        if q["kind"] == QuestionKind.MULTIPLE_CHOICE
        and any(c["is_correct"] for c in q["choices"])  # None when the key is hidden
    ]
    if questions:
        quiz = "quiz/assessment.xml"
        files[quiz] = assessment_xml(lesson, questions, ident=f"quiz-{lesson['slug']}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {"imsmanifest.xml": manifest_xml(lesson, pages, quiz), **files}.items():
            # A fixed time in the zip: the same lesson makes the same bytes (and ETag).
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
