"""Scoping: a user never sees or changes another user's lists, matches, endpoints or deliveries (STYLE §2.5)."""

from __future__ import annotations

import pytest

from credit_portal.watch import services, webhooks
from credit_portal.watch.models import Watchlist, WatchMatch, WebhookDelivery, WebhookEndpoint

from .factories import change, code

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(clerk):
    watchlist = services.create_watchlist(owner=clerk, name="甲的清单")
    services.add_code(watchlist=watchlist, by=clerk, code=code(1))
    endpoint, _secret = webhooks.create_endpoint(owner=clerk, url="https://a.example.com/hook")
    change(code(1))
    services.match_changes()
    return watchlist, endpoint, WebhookDelivery.objects.get()


def test_the_api_shows_each_user_only_their_own_rows(api_for, clerk, clerk_b, administrator, owned):
    watchlist, endpoint, delivery = owned
    for user in (clerk_b, administrator):
        api = api_for(user)
        for path in ("watchlists", "changes", "webhooks", "deliveries"):
            assert api.get(f"/api/v1/watch/{path}/").json()["count"] == 0, (user, path)
        assert api.get(f"/api/v1/watch/watchlists/{watchlist.pk}/").status_code == 404
        assert api.get(f"/api/v1/watch/watchlists/{watchlist.pk}/subjects/").status_code == 404
        assert api.post(f"/api/v1/watch/watchlists/{watchlist.pk}/subjects/", {"uscc": code(2)}).status_code == 404
        assert api.delete(f"/api/v1/watch/watchlists/{watchlist.pk}/").status_code == 404
        assert api.get(f"/api/v1/watch/webhooks/{endpoint.pk}/").status_code == 404
        assert api.post(f"/api/v1/watch/webhooks/{endpoint.pk}/rotate-secret/").status_code == 404
        assert api.post(f"/api/v1/watch/deliveries/{delivery.pk}/redeliver/").status_code == 404
    api = api_for(clerk)
    assert api.get("/api/v1/watch/watchlists/").json()["results"][0]["code_count"] == 1
    assert api.get("/api/v1/watch/changes/").json()["count"] == 1
    assert api.get("/api/v1/watch/deliveries/").json()["results"][0]["delivery_id"] == delivery.delivery_id
    assert "secret" not in api.get(f"/api/v1/watch/webhooks/{endpoint.pk}/").json()


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get("/api/v1/watch/watchlists/").status_code in (401, 403)


def test_the_pages_show_each_user_only_their_own_rows(client, clerk_b, owned):
    watchlist, endpoint, delivery = owned
    client.force_login(clerk_b)
    assert "甲的清单" not in client.get("/staff/watch/").content.decode()
    assert client.get(f"/staff/watch/lists/{watchlist.pk}/").status_code == 404
    assert client.get(f"/staff/watch/lists/{watchlist.pk}/delete/").status_code == 404
    assert client.post(f"/staff/watch/lists/{watchlist.pk}/delete/").status_code == 404
    assert client.get(f"/staff/watch/webhooks/{endpoint.pk}/").status_code == 404
    assert client.get(f"/staff/watch/webhooks/{endpoint.pk}/delete/").status_code == 404
    assert client.post(f"/staff/watch/webhooks/{endpoint.pk}/delete/").status_code == 404
    assert (
        Watchlist.objects.filter(pk=watchlist.pk).exists() and WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    )
    assert client.post(f"/staff/watch/deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert "a.example.com" not in client.get("/staff/watch/webhooks/").content.decode()


def test_an_api_client_account_without_a_staff_role_keeps_its_own_lists(api_for, clerk, owned):
    from tests.registry.factories import UserFactory

    service_account = UserFactory(username="svc_bank")  # what a managed API client's account looks like
    api = api_for(service_account)
    created = api.post("/api/v1/watch/watchlists/", {"name": "甲的清单"}, format="json")
    assert created.status_code == 201
    assert api.post("/api/v1/watch/webhooks/", {"url": "https://bank.example.com/h"}, format="json").json()["secret"]
    assert api.get("/api/v1/watch/watchlists/").json()["count"] == 1
    assert not WatchMatch.objects.filter(owner=service_account).exists()


@pytest.mark.parametrize("path", ["watchlists", "changes", "deliveries", "webhooks"])
def test_list_endpoints_query_count_does_not_grow_with_rows(api_for, clerk, path, django_assert_max_num_queries):
    for n in range(3):
        watchlist = services.create_watchlist(owner=clerk, name=f"清单{n}")
        services.add_code(watchlist=watchlist, by=clerk, code=code(n))
        webhooks.create_endpoint(owner=clerk, url=f"https://h{n}.example.com/")
        change(code(n))
    services.match_changes()
    api = api_for(clerk)
    with django_assert_max_num_queries(6):
        response = api.get(f"/api/v1/watch/{path}/")
    assert response.json()["count"] >= 3
