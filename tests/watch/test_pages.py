"""The staff pages: creating lists and endpoints, the secret shown once, actions on an endpoint (issue 12)."""

from __future__ import annotations

import pytest

from credit_portal.watch import webhooks
from credit_portal.watch.models import Watchlist, WebhookEndpoint

from .factories import code

pytestmark = pytest.mark.django_db


def test_a_clerk_creates_a_list_and_adds_a_code_on_the_pages(client, clerk):
    client.force_login(clerk)
    assert "关注清单" in client.get("/staff/watch/").content.decode()
    response = client.post("/staff/watch/", {"name": "重点企业"})
    watchlist = Watchlist.objects.get(owner=clerk)
    assert response.status_code == 302 and response["Location"] == f"/staff/watch/lists/{watchlist.pk}/"
    assert "同名" in client.post("/staff/watch/", {"name": "重点企业"}).content.decode()
    client.post(f"/staff/watch/lists/{watchlist.pk}/add/", {"uscc": code(1)})
    wrong = code(2)[:17] + ("1" if code(2)[17] != "1" else "2")
    page = client.post(f"/staff/watch/lists/{watchlist.pk}/add/", {"uscc": wrong}).content.decode()
    assert "第18位校验码应为" in page
    assert code(1) in client.get(f"/staff/watch/lists/{watchlist.pk}/").content.decode()
    client.post(f"/staff/watch/lists/{watchlist.pk}/remove/", {"uscc": [code(1)]})
    assert not watchlist.subjects.exists()


def test_the_secret_is_shown_once_and_a_rotation_shows_the_new_one(client, clerk):
    client.force_login(clerk)
    page = client.post("/staff/watch/webhooks/", {"url": "https://bank.example.com/hook"}, follow=True)
    endpoint = WebhookEndpoint.objects.get(owner=clerk)
    secret = webhooks.secret_of(endpoint)
    assert secret in page.content.decode() and page["Cache-Control"] == "no-store"
    assert secret not in client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    page = client.post(f"/staff/watch/webhooks/{endpoint.pk}/rotate-secret/", follow=True).content.decode()
    endpoint.refresh_from_db()
    assert webhooks.secret_of(endpoint) != secret and webhooks.secret_of(endpoint) in page


def test_registering_and_rotating_answer_with_a_redirect_so_a_reload_repeats_neither(client, clerk):
    """Post/Redirect/Get: reloading the page that shows the secret neither registers again nor rotates again."""
    client.force_login(clerk)
    response = client.post("/staff/watch/webhooks/", {"url": "https://bank.example.com/hook"})
    endpoint = WebhookEndpoint.objects.get(owner=clerk)
    assert (response.status_code, response["Location"]) == (302, f"/staff/watch/webhooks/{endpoint.pk}/")
    assert webhooks.secret_of(endpoint) not in client.session[f"watch-new-secret-{endpoint.pk}"]  # encrypted
    assert webhooks.secret_of(endpoint) in client.get(response["Location"]).content.decode()
    response = client.post(f"/staff/watch/webhooks/{endpoint.pk}/rotate-secret/")
    assert (response.status_code, response["Location"]) == (302, f"/staff/watch/webhooks/{endpoint.pk}/")
    endpoint.refresh_from_db()
    rotated = webhooks.secret_of(endpoint)
    assert rotated in client.get(response["Location"]).content.decode()
    assert rotated not in client.get(response["Location"]).content.decode()  # the reload
    endpoint.refresh_from_db()
    assert webhooks.secret_of(endpoint) == rotated and WebhookEndpoint.objects.count() == 1


def test_http_addresses_are_refused_on_the_page(client, clerk):
    client.force_login(clerk)
    page = client.post("/staff/watch/webhooks/", {"url": "http://bank.example.com/hook"}).content.decode()
    assert "必须使用 HTTPS" in page
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_actions_switch_off_on_and_delete(client, clerk):
    endpoint, _secret = webhooks.create_endpoint(owner=clerk, url="https://bank.example.com/hook")
    client.force_login(clerk)
    client.post(f"/staff/watch/webhooks/{endpoint.pk}/disable/")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    client.post(f"/staff/watch/webhooks/{endpoint.pk}/enable/")
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert client.post(f"/staff/watch/webhooks/{endpoint.pk}/explode/").status_code == 404
    client.post(f"/staff/watch/webhooks/{endpoint.pk}/delete/")
    assert not WebhookEndpoint.objects.exists()
