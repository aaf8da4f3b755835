"""The OpenAPI schema is valid and complete; the docs are served from our own files."""

import pytest
from django.core.management import call_command


def test_the_schema_validates_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in [
        "/api/v1/lessons/{slug}/",
        "/api/v1/questions/{id}/answer/",
        "/api/v1/lessons/{slug}/cartridge.imscc",
        "/api/v1/articles/{slug}/annotations.jsonld",
    ]:
        assert path in text
    assert "application/problem+json" in text
    assert "code points" in text


@pytest.mark.django_db
def test_every_operation_documents_its_errors(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    import json

    document = json.loads(schema.content)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description") or operation.get("summary"), (method, path)
            codes = set(operation["responses"])
            assert {"404", "429"} <= codes, (method, path)
            if method in ("post", "patch"):
                assert {"400", "401", "403"} <= codes, (method, path)


def test_the_docs_page_uses_no_cdn_and_no_inline_script(client, db):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn" not in html.lower()
    assert "<script>" not in html and "<style>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
