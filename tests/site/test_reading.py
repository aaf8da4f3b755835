"""Rendering an article paragraph: passages marked, terms linked, text escaped."""

from history.reading import Passage, Term, render_paragraph

TEXT = "The workers’ councils of Budapest <elected> delegates."


def test_plain_text_is_escaped():
    assert render_paragraph(TEXT, 0, [], []) == TEXT.replace("<", "&lt;").replace(">", "&gt;")


def test_a_term_inside_a_passage_is_linked_inside_its_mark():
    start = TEXT.index("workers’ councils")
    passage = Passage(7, 0, 33, (("Lesson ’56", "/lessons/l/#section-1"),), target=True)
    term = Term(start, start + 17, "/glossary/council/", "def-3")
    html = render_paragraph(TEXT, 0, [passage], [term])
    assert html.startswith(
        '<mark class="excerpt is-target" id="excerpt-7">The <a class="term" '
        'href="/glossary/council/" aria-describedby="def-3">workers’ councils</a>'
    )
    assert '</mark> <a class="quoted-in" href="/lessons/l/#section-1">' in html
    assert "Lesson ’56" in html


def test_a_term_crossing_a_passage_edge_stays_plain_text():
    passage = Passage(1, 10, 20)
    html = render_paragraph(TEXT, 0, [passage], [Term(5, 15, "/g/", "def-1")])
    assert 'class="term"' not in html and 'id="excerpt-1"' in html


def test_overlapping_terms_keep_the_first():
    html = render_paragraph(TEXT, 0, [], [Term(4, 21, "/a/", "d1"), Term(13, 21, "/b/", "d2")])
    assert 'href="/a/"' in html and 'href="/b/"' not in html


def test_overlapping_passages_share_one_mark_and_keep_both_ids():
    html = render_paragraph(TEXT, 0, [Passage(1, 0, 20), Passage(2, 10, 30)], [])
    assert html.count("<mark") == 1 and 'id="excerpt-1"' in html and 'id="excerpt-2"' in html


def test_a_passage_spanning_paragraphs_is_clipped_and_has_its_id_once():
    first = render_paragraph("Alpha beta.", 0, [Passage(5, 6, 20)], [])
    second = render_paragraph("Gamma delta.", 13, [Passage(5, 6, 20)], [])
    assert 'id="excerpt-5">beta.</mark>' in first
    assert second == '<mark class="excerpt">Gamma d</mark>elta.'


def test_event_mentions_link_to_the_event():
    html = render_paragraph("In 1956 it began.", 0, [], [Term(3, 7, "/events/e/", kind="event")])
    assert html == 'In <a class="event-ref" href="/events/e/">1956</a> it began.'
