"""Error pages speak Chinese and give a way back."""

import pytest

from django.template.loader import get_template

pytestmark = pytest.mark.django_db


def test_missing_page_gives_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert "返回首页" in html


def test_server_error_page_renders_without_a_request_context():
    # Django's server_error renders 500.html with no context at all.
    html = get_template("500.html").render()
    assert "系统繁忙" in html


def test_forbidden_page_is_chinese(rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_the_chinese_expired_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
