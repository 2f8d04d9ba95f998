"""Staff login and logout, with django-axes locking a username/address pair after repeated failures."""

import pytest

from django.conf import settings

from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"  # UserFactory's password


def test_login_page_is_in_chinese_and_labelled(client):
    html = client.get("/accounts/login/").content.decode()
    assert "工作人员登录" in html
    assert '<label for="id_username">用户名</label>' in html
    assert '<label for="id_password">密码</label>' in html


def test_clerk_logs_in_and_reaches_the_staff_home(client, clerk):
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/"
    assert "工作台" in response.content.decode()


def test_wrong_password_is_refused_with_a_chinese_message(client, clerk):
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_the_failure_limit_even_with_the_right_password(client, clerk):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "clerk_a", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已暂时锁定" in html
    assert f"锁定时长：{round(settings.AXES_COOLOFF_TIME * 60)} 分钟" in html
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, clerk):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "clerk_a", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_of_one_user_does_not_lock_another(client, clerk):
    UserFactory(username="clerk_other", role="clerk", department=clerk.department)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "clerk_a", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "clerk_other", "password": PASSWORD})
    assert response.status_code == 302


def test_test_client_login_and_api_tokens_still_work_with_the_lockout_backend(client, clerk, api_for):
    assert client.login(username="clerk_a", password=PASSWORD)
    assert api_for(clerk).get("/api/v1/registry/departments/").status_code == 200


def test_logout_by_post_returns_home(client, clerk):
    client.force_login(clerk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/staff/").status_code == 302


def test_administrators_may_lift_lockouts_in_the_admin(administrator):
    from credit_portal.access import ensure_role_groups

    ensure_role_groups()
    administrator = type(administrator).objects.get(pk=administrator.pk)
    assert administrator.has_perm("axes.delete_accessattempt")
    assert administrator.has_perm("axes.view_accessattempt")
