"""The OpenAPI schema validates, and the interactive docs load under the CSP with no CDN."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command


def test_the_schema_validates_without_a_single_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/users/{id}/deactivate/" in text
    assert "bearerAuth" in text


@pytest.mark.django_db
def test_every_operation_documents_its_errors_with_the_error_body(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if operation.get("security") == [{}]:
                # Public (web-to-lead): no credentials asked, so no 401 or 403 either.
                assert "400" in operation["responses"], (method, path)
                continue
            for code in ("401", "403"):
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path)
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]


@pytest.mark.django_db
def test_the_docs_page_loads_its_assets_from_this_server_under_the_csp(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/") for s in sources), sources
    for script in re.findall(
        r"<script(?![^>]*\bsrc=)[^>]*>", html
    ):  # inline scripts need the nonce
        nonce = re.search(r"'nonce-([^']+)'", csp)
        assert nonce is not None
        assert f'nonce="{nonce.group(1)}"' in script, script
    assert "style=" not in html
    assert "<style" not in html  # style-src 'self': the page's rules come from a static file
    assert "/static/api/swagger.css" in html
