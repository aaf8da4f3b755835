"""The API docs (Swagger UI from drf-spectacular-sidecar) work under the site's CSP."""


def test_api_docs_load_from_our_own_files_without_csp_errors(page, live_server, db):
    console = []
    page.on("console", lambda message: console.append((message.type, message.text)))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("text=History lessons API")
    page.wait_for_selector(".opblock-tag-section")
    assert page.locator(".opblock").count() > 20
    errors = [text for kind, text in console if kind == "error"]
    assert not errors, errors
    assert all(url.startswith(live_server.url) for url in requests), "no CDN"
