"""Every list page and list endpoint answers in a number of queries that does not grow with its rows (issue 10 §2).

Every URL that needs no path parameter (list pages, list endpoints, dashboards, admin changelists) is requested by
the administrator (who sees every department's rows) and by an anonymous visitor, first on a demo of 6 subjects
(rolled back), then on one of 200 subjects, where it must stay within the small count plus SLACK
(``django_assert_max_num_queries``). An N+1 query shows as a count that grows with the rows of the page. Each URL is
asked twice and the second answer is counted, so that per-process caches (content types, roles) do not count.
URLs that do not answer 200 to the actor (login redirects, POST-only endpoints) are skipped for that actor.
"""

from __future__ import annotations

import io
import itertools
import tempfile

import pytest
from rest_framework.authtoken.models import Token

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from credit_portal import access
from tests.registry.factories import UserFactory
from tests.security.urlwalk import walk

SMALL, LARGE = 6, 200  # subjects of generate_demo: a few rows of each kind, then many more
# Queries an empty small page skips (a prefetch or a per-kind lookup runs only when there are rows to attach to).
SLACK = 2
# A GET that changes state rather than listing anything.
SKIPPED = {"logout", "account-logout"}
ROUTES = [route for route in walk() if not route.kwargs and route.name.split(":")[-1] not in SKIPPED]
_ADDRESSES = (f"10.77.{a}.{b}" for a, b in itertools.product(range(256), range(1, 255)))


def _clients():
    administrator = UserFactory(username="perf_admin", role=access.Role.ADMIN, is_staff=True, is_superuser=False)
    session = Client()
    session.force_login(administrator)
    token = Token.objects.get_or_create(user=administrator)[0].key
    return {"administrator": (session, token), "anonymous": (Client(), None)}


def _count(client: Client, token: str | None, path: str) -> tuple[int, int]:
    """(status, queries) of the second of two identical requests."""
    extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token and path.startswith("/api/") else {}
    for _attempt in range(2):
        cache.clear()  # no answer served from a cache: the queries are what a cold cache costs
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, REMOTE_ADDR=next(_ADDRESSES), **extra)
    return response.status_code, len(queries)


def _path(route) -> str:
    return "/" + route.route.replace("^", "").replace("$", "").replace("\\.", ".")


@pytest.fixture(scope="module")
def large_demo(django_db_setup, django_db_blocker):
    """Counts of the small demo (rolled back), then the large demo with the clients, kept for the module's tests."""
    with django_db_blocker.unblock(), tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            small: dict[tuple[str, str], tuple[int, int]] = {}
            with transaction.atomic():
                call_command("generate_demo", subjects=SMALL, seed=11, stdout=io.StringIO())
                for actor, (client, token) in _clients().items():
                    for route in ROUTES:
                        small[(actor, route.name)] = _count(client, token, _path(route))
                transaction.set_rollback(True)
            call_command("generate_demo", subjects=LARGE, seed=11, stdout=io.StringIO())
            yield small, _clients()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["administrator", "anonymous"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_queries_do_not_grow_with_rows(large_demo, actor, route, django_assert_max_num_queries):
    small_counts, clients = large_demo
    status, small = small_counts[(actor, route.name)]
    if status != 200:
        pytest.skip(f"not a page for {actor} (status {status})")
    client, token = clients[actor]
    path = _path(route)
    extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token and path.startswith("/api/") else {}
    cache.clear()
    client.get(path, REMOTE_ADDR=next(_ADDRESSES), **extra)  # warm-up, as for the small count
    cache.clear()
    with django_assert_max_num_queries(small + SLACK):
        response = client.get(path, REMOTE_ADDR=next(_ADDRESSES), **extra)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_large_demo_fills_the_lists(large_demo):
    """The comparison means something only if the large lists hold many rows where the small ones held a few."""
    from disclosure.models import Licensing, Penalty
    from registry.models import Subject

    assert Penalty.objects.public().count() >= 10
    assert Licensing.objects.public().count() >= 10
    assert Subject.objects.count() >= 100
