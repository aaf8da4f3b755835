"""The API docs (Swagger UI from drf-spectacular-sidecar) work under the site's CSP.

The browser's requests are answered in process by Django's test client (through the whole
middleware stack, CSP included) rather than by the live server: a live-server test's flush
would remove the Editors and Publishers groups that later browser tests log in with.
"""

from playwright.sync_api import expect

ORIGIN = "http://localhost"  # trustworthy, like the HTTPS site


def _serve_from_django(page, client):
    def handle(route):
        request = route.request
        path = request.url[len(ORIGIN) :]
        response = client.generic(
            request.method, path, HTTP_ACCEPT=request.headers.get("accept", "*/*")
        )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)

    page.route(f"{ORIGIN}/**", handle)


def test_api_docs_load_from_our_own_files_without_csp_errors(page, client, db):
    console, requests = [], []
    page.on("console", lambda message: console.append((message.type, message.text)))
    page.on("request", lambda request: requests.append(request.url))
    _serve_from_django(page, client)
    response = page.goto(f"{ORIGIN}/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("text=History lessons API")
    page.wait_for_selector(".opblock-tag-section")
    expect(page.locator(".opblock").nth(20)).to_be_attached()  # drawn as they come
    errors = [text for kind, text in console if kind == "error"]
    assert not errors, errors
    assert all(url.startswith(ORIGIN) for url in requests), "no CDN"


def test_the_docs_page_reports_a_csp_violation_when_there_is_one(page, client, db):
    """The check above would see an inline script blocked by the CSP."""
    _serve_from_django(page, client)
    page.goto(f"{ORIGIN}/api/v1/docs/")
    # Wait for the report itself rather than a fixed time (which raced on a loaded machine).
    with page.expect_console_message(
        lambda message: message.type == "error" and "Content Security Policy" in message.text
    ):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = '1';"
            " document.body.appendChild(s); }"
        )
