"""create_user: one role, a department for clerks, the API token as the last word."""

from __future__ import annotations

from io import StringIO

import pytest
from rest_framework.authtoken.models import Token

from django.core.management import CommandError, call_command

from credit_portal import access
from registry.models import User

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_create_user_prints_a_working_token_as_the_last_word(department_a, api_for, api_client):
    output = _run(
        "clerk_new", "--role", "clerk", "--department", department_a.uscc.lower(), "--password", "Long-pass-2026"
    )
    token = output.split()[-1]
    user = User.objects.get(username="clerk_new")
    assert Token.objects.get(user=user).key == token
    assert access.role_of(user) == "clerk" and user.department == department_a
    assert user.check_password("Long-pass-2026")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/registry/subjects/").status_code == 200


def test_running_it_again_changes_the_role_and_keeps_the_token(department_a):
    first = _run("someone", "--role", "clerk", "--department", department_a.uscc).split()[-1]
    second = _run("someone", "--role", "reviewer").split()[-1]
    user = User.objects.get(username="someone")
    user._cached_role = False
    assert first == second and access.role_of(user) == "reviewer"
    assert user.groups.count() == 1


def test_an_administrator_gets_admin_access(db):
    _run("boss", "--role", "admin")
    assert User.objects.get(username="boss").is_staff


def test_a_clerk_without_department_is_refused(db):
    with pytest.raises(CommandError, match="department"):
        _run("lonely", "--role", "clerk")
    assert not User.objects.filter(username="lonely").exists()


def test_an_unknown_department_is_refused(db):
    with pytest.raises(CommandError, match="no department"):
        _run("lost", "--role", "clerk", "--department", "91350100M000100Y43")
