"""Real texts on the learner site: their structure, scripts and long strings read well at
375 px, with no accessibility violations."""

import pytest

from tests.browser.conftest import axe_violations
from tests.corpus.conftest import CORPUS


@pytest.fixture
def corpus_articles(transactional_db):
    from history import services
    from publishing import services as publishing

    urls = {}
    for name, path in CORPUS.items():
        prepared = services.article_prepare_import(data=path.read_bytes(), name=path.name)
        article = services.article_import(prepared=prepared).article
        publishing.publish(obj=article, user=None)
        urls[name] = article.get_absolute_url()
    long = services.article_prepare_import(
        pasted="Long strings\n\nThe file is "
        + "748.00/6–2856/" * 12
        + " and "
        + "https://history.state.gov/historicaldocuments/frus1955-57v25/d70?"
        + "x" * 80
        + ".",
        name="long.txt",
    )
    article = services.article_import(prepared=long).article
    publishing.publish(obj=article, user=None)
    urls["long"] = article.get_absolute_url()
    return urls


def test_real_texts_fit_375_px_show_their_structure_and_pass_axe(
    browser, live_server, corpus_articles
):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for name, path in corpus_articles.items():
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at 375 px"
        assert axe_violations(page) == [], name
    page.goto(live_server.url + corpus_articles["frus"])
    assert page.locator(".source-text h2.heading").count() == 4
    assert page.locator(".source-text ol li").count() == 10
    assert page.locator(".source-text .notes p.note").count() == 7
    page.goto(live_server.url + corpus_articles["scripts"])
    hebrew = page.locator('span[lang="he"][dir="rtl"]')
    assert hebrew.first.inner_text().startswith("המהפכה")
    page.goto(live_server.url + corpus_articles["abstract"])
    assert page.locator(".source-text blockquote").count() == 1
    assert page.locator(".source-text em").count() >= 4
    context.close()
