"""Structure kept from Markdown and plain text, rendered with overlays by a pure function."""

from history import reading, structure, text


def parse_md(source):
    return text.parse(source, markdown=True)


def test_markdown_blocks_keep_headings_lists_quotes_notes_and_emphasis():
    parsed = parse_md(
        "# Title\n\n## A *heading*\n\nText with **strong** words.[^1]\n\n"
        "1. one\n2. two\n\n> quoted\n\n[^1]: The note.\n"
    )
    kinds = [(b["type"], parsed.body[b["start"] : b["end"]]) for b in parsed.stored_blocks]
    assert kinds == [
        ("heading", "A heading"),
        ("paragraph", "Text with strong words.[1]"),
        ("item", "one"),
        ("item", "two"),
        ("paragraph", "quoted"),
        ("note", "The note."),
    ]
    heading, paragraph = parsed.stored_blocks[:2]
    assert heading["marks"] == [["em", 2, 9, ""]]
    assert ["strong", 21, 27, ""] in paragraph["marks"]
    assert parsed.stored_blocks[4]["quote"] == 1


def test_a_number_that_only_looks_like_a_list_stays_in_the_text():
    parsed = parse_md("# T\n\n1956. gada Ungārijas revolūcija.\n\n9. Department pass Defense.\n")
    assert parsed.paragraphs == ["1956. gada Ungārijas revolūcija.", "9. Department pass Defense."]


def test_plain_text_lines_that_start_items_become_a_list():
    parsed = text.parse(
        "Title\n\nIt began in the morning.\n\nFollowing:\n(1) one;\n(2) two\ncontinued;\n"
    )
    assert [(b.type, b.text) for b in parsed.blocks[1:]] == [
        ("paragraph", "Following:"),
        ("item", "one;"),
        ("item", "two continued;"),
    ]


def test_wiki_links_become_their_labels():
    assert structure.unwiki("the [[Soviet Union|Soviet]] and [[Imre_Nagy]]") == (
        "the Soviet and Imre Nagy"
    )


def test_rendering_nests_emphasis_inside_quotes_and_terms_and_escapes_everything():
    parsed = parse_md("# T\n\nThe *Petőfi <Circle>* met.\n")
    body, blocks = parsed.body, parsed.stored_blocks
    start = body.index("Petőfi")
    html = reading.render_article(
        body,
        blocks,
        [reading.Passage(7, 0, start + 6, (("Lesson", "/l/"),))],
        [reading.Term(start, start + 6, "/glossary/p/", "def-1")],
    )
    assert (
        '<mark class="excerpt" id="excerpt-7">The <a class="term" href="/glossary/p/" '
        'aria-describedby="def-1"><em>Petőfi</em></a></mark>'
    ) in html
    assert "<em> &lt;Circle&gt;</em>" in html


def test_rendering_marks_other_scripts_with_their_language_and_direction():
    body = "Hebrew: המהפכה ההונגרית של 1956."
    html = reading.render_article(body, structure.paragraphs_as_blocks(body))
    assert '<span lang="he" dir="rtl">המהפכה ההונגרית של 1956</span>' in html


def test_an_edited_text_keeps_the_structure_of_unchanged_paragraphs():
    parsed = parse_md("# T\n\n## Heading\n\nFirst.\n\nSecond.\n")
    new_body = "Heading\n\nA new one.\n\nFirst.\n\nSecond."
    blocks = structure.carry_over(parsed.body, parsed.stored_blocks, new_body)
    assert [b["type"] for b in blocks] == ["heading", "paragraph", "paragraph", "paragraph"]
    assert structure.fits(blocks, new_body)
