"""Error pages with DEBUG off: the site's header, what happened in words, and a way back;
under /api/ the same errors stay problem details."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from config import api
from operations import errors


def _is_site_page(html: str) -> None:
    assert 'class="site-header"' in html and 'href="/"' in html  # the header, a way home
    assert "All lessons" in html and 'role="search"' in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_a_missing_page_is_a_styled_404_with_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _is_site_page(html)
    assert "Page not found" in html and "<title>Page not found" in html


@pytest.mark.django_db
def test_api_errors_stay_problem_details(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.django_db
def test_a_forbidden_page_is_a_styled_403(settings):
    settings.DEBUG = False
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = api.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    _is_site_page(html)
    assert "You may not open this page" in html


@pytest.mark.django_db
def test_an_expired_form_is_a_styled_403(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    _is_site_page(html)
    assert "This form has expired" in html


@pytest.mark.django_db
def test_a_request_that_cannot_be_read_is_a_styled_400(client, settings):
    settings.DEBUG = False
    response = client.get("/", HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    html = response.content.decode()
    _is_site_page(html)
    assert "could not be read" in html


def test_a_fault_is_a_styled_500_without_the_database(settings):
    settings.DEBUG = False
    response = errors.server_error(RequestFactory().get("/lessons/x/"))
    assert response.status_code == 500
    html = response.content.decode()
    _is_site_page(html)
    assert "Something went wrong" in html


@pytest.mark.django_db
def test_a_fault_in_a_view_answers_the_styled_500_through_the_whole_stack(settings, monkeypatch):
    from lessons import selectors

    settings.DEBUG = False

    def broken():
        raise RuntimeError("a fault in the read layer")

    monkeypatch.setattr(selectors, "lessons_public", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    html = response.content.decode()
    _is_site_page(html)
    assert "Something went wrong" in html and "a fault in the read layer" not in html
