"""Editors' Markdown is rendered, and anything that could run or restyle is removed."""

from html.parser import HTMLParser

import pytest

from history.markup import ALLOWED_TAGS, render_inline, render_markdown


def test_markdown_is_rendered_with_typography_kept():
    html = render_markdown("The **Petőfi Circle** met – ‘openly’…\n\n- Poznań\n- Budapest")
    assert "<strong>Petőfi Circle</strong>" in html
    assert "– ‘openly’…" in html
    assert "<li>Poznań</li>" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="https://x" onclick="alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_script_and_raw_html_never_survive(attack):
    tags = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Collector().feed(render_markdown(attack))
    assert all(tag in ALLOWED_TAGS for tag, _ in tags)
    for _, attrs in tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").startswith("javascript")


def test_links_are_kept_with_a_safe_rel():
    html = render_markdown("[Source](https://example.org/a?b=1)")
    assert 'href="https://example.org/a?b=1"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_top_level_headings_become_h2():
    assert render_markdown("# Title") == "<h2>Title</h2>\n"


def test_inline_has_no_paragraph():
    assert render_inline("*1956*") == "<em>1956</em>"
    assert render_markdown("") == render_inline("  ") == ""
