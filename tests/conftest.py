"""Actors and API clients shared by every test (STYLE §2.15)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.registry.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests hash with MD5: production's PBKDF2 (a million rounds) costs about a second per login or new user here.

    The workers of tests/integration run with the project's settings; they never hash a password.
    """
    from django.test.utils import override_settings

    override = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    override.enable()  # sends setting_changed, which clears the hasher cache
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (browser, integration) start from a flushed database: put the seeded data back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from credit_portal.seeding import reseed_reference_data

    reseed_reference_data()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread; the next test starts in the default language."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache, name statistics in the process: each test starts with none, whatever
    ran before it."""
    from django.core.cache import cache

    from registry.search import forget_gram_statistics

    cache.clear()
    forget_gram_statistics()
    yield


@pytest.fixture(autouse=True)
def _celery_eager_outside_integration(request, settings):
    """Tasks run in the test's process except in tests/integration, whose real workers consume the broker.

    With REDIS_URL set (CI's PostgreSQL run) the settings send tasks to Redis; a unit test has no worker there, so
    a task it starts (an import, a regrade) would wait forever in the queue instead of running.
    """
    if "tests/integration/" in str(request.node.fspath) or settings.CELERY_TASK_ALWAYS_EAGER:
        yield
        return
    from celery import current_app

    previous = current_app.conf.task_always_eager  # read before the settings change: Celery reads them lazily
    settings.CELERY_TASK_ALWAYS_EAGER = True
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = previous


@pytest.fixture
def department_a(db):
    return DepartmentFactory(name="区市场监管局", short_name="市场监管局")


@pytest.fixture
def department_b(db):
    return DepartmentFactory(name="区税务局", short_name="税务局")


@pytest.fixture
def clerk(department_a):
    """A clerk of department A."""
    return UserFactory(username="clerk_a", role="clerk", department=department_a)


@pytest.fixture
def clerk_b(department_b):
    """A clerk of department B."""
    return UserFactory(username="clerk_b", role="clerk", department=department_b)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role="reviewer")


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role="admin", is_staff=True)


def _api_client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_client():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def api_for():
    """api_for(user) -> an API client authenticated by the user's token."""
    return _api_client_for
