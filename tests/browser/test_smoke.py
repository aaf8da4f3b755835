"""The browser harness works: Chromium opens the site and an editor logs in to the admin."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_editor_logs_in_to_the_admin_and_sees_the_content(page, live_server, editor_user):
    log_in(page, live_server, editor_user.username)
    expect(page.get_by_role("link", name="Lessons", exact=True).first).to_be_visible()
    expect(page.get_by_role("link", name="Articles", exact=True)).to_be_visible()


def test_axe_runs_under_the_sites_content_security_policy(page, live_server, db):
    from tests.browser.conftest import axe_violations

    response = page.goto(live_server.url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert axe_violations(page) == []


def test_axe_reports_a_real_violation(page):
    from tests.browser.conftest import axe_violations

    page.set_content("<html lang='en'><title>t</title><main><img src='x.png'></main></html>")
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
