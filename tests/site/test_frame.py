"""The site's frame is rendered once per process and built pages are joined into it."""

import pytest
from django.shortcuts import render
from django.test import RequestFactory

from learner.views import _frame, render_page
from publishing.live import with_origin


@pytest.mark.parametrize("document", [False, True], ids=["page", "print document"])
def test_a_page_in_the_kept_frame_is_the_frame_rendered_for_the_request(document):
    request = RequestFactory().get("/lessons/x/")
    fields = {
        "title": "Petőfi & <“Poznań”> — 1956",
        "lang": "hu",
        "head": '<meta name="description" content="A &amp; B">',
        "html": "<h1>Petőfi</h1><p>Read <a href='/articles/a/'>the source</a>.</p>",
    }
    joined = render_page(request, document=document, **fields)
    origin = "http://testserver"
    rendered = render(
        request,
        "learner/page.html",
        {
            **fields,
            "head": with_origin(fields["head"], origin),
            "html": with_origin(fields["html"], origin),
            "document": document,
        },
    )
    assert joined.content == rendered.content
    assert "Petőfi &amp; &lt;“Poznań”&gt;" in joined.content.decode()


def test_the_frame_is_rendered_once_and_again_when_settings_change(settings):
    _frame.cache_clear()
    _frame(False)
    _frame(False)
    assert _frame.cache_info().misses == 1
    settings.STATIC_URL = "/assets/"
    assert "/assets/css/site.css" in "".join(_frame(False))
