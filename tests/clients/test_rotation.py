"""Key rotation without downtime (issue 12): both keys work during the grace period, the old one fails after it."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from credit_portal.clients import gate
from credit_portal.clients.models import ApiKey

from .factories import approved_client, caller

pytestmark = pytest.mark.django_db

ME = "/api/v1/clients/me/"


def test_after_rotation_both_keys_work_until_the_grace_deadline_then_only_the_new_one(api_for, reviewer):
    client, old = approved_client(reviewer)
    response = api_for(reviewer).post(
        f"/api/v1/clients/manage/{client.pk}/rotate-key/", {"grace_hours": 48}, format="json"
    )
    assert response.status_code == 201, response.content
    new = response.json()["key"]
    assert new != old
    assert caller(old).get(ME).status_code == 200
    assert caller(new).get(ME).status_code == 200
    old_row = ApiKey.objects.get(prefix=old.split("_")[1])
    assert old_row.expires_at is not None and ApiKey.objects.get(prefix=response.json()["prefix"]).expires_at is None
    later = timezone.now() + datetime.timedelta(hours=49)
    with pytest.raises(gate.InvalidKey):
        gate.find_key(old, now=later)
    assert gate.find_key(new, now=later).client == client


def test_an_explicit_revoke_stops_the_old_key_at_once(api_for, reviewer):
    client, old = approved_client(reviewer)
    api = api_for(reviewer)
    new = api.post(f"/api/v1/clients/manage/{client.pk}/rotate-key/", {}, format="json").json()["key"]
    old_id = ApiKey.objects.get(prefix=old.split("_")[1]).pk
    assert api.post(f"/api/v1/clients/manage/{client.pk}/revoke-key/", {"key_id": old_id}).status_code == 200
    response = caller(old).get(ME)
    assert (response.status_code, response.json()["errors"][0]["code"]) == (401, "invalid_api_key")
    assert caller(new).get(ME).status_code == 200


def test_rotation_on_the_page_shows_the_new_key_once(client, reviewer):
    api_client_row, _old = approved_client(reviewer)
    client.force_login(reviewer)
    response = client.post(f"/staff/clients/{api_client_row.pk}/rotate-key/", {"grace_hours": "1"}, follow=True)
    assert response.status_code == 200
    assert caller(response.context["key"]).get(ME).status_code == 200


def test_reloading_the_new_key_page_issues_no_other_key_and_shows_it_no_more(client, reviewer):
    """The POST answers with a redirect: a reload repeats the GET, never the rotation (Post/Redirect/Get)."""
    api_client_row, _old = approved_client(reviewer)
    client.force_login(reviewer)
    response = client.post(f"/staff/clients/{api_client_row.pk}/rotate-key/", {"grace_hours": "1"})
    assert (response.status_code, response["Location"]) == (302, f"/staff/clients/{api_client_row.pk}/")
    assert response.content == b""
    sealed = client.session[f"clients-issued-key-{api_client_row.pk}"]
    shown = client.get(response["Location"])
    new = shown.context["key"]
    assert new not in sealed and new in shown.content.decode() and shown["Cache-Control"] == "no-store"
    again = client.get(response["Location"])
    assert new not in again.content.decode() and "key" not in again.context
    assert new.split("_")[1] in again.content.decode()  # the prefix only
    assert ApiKey.objects.filter(client=api_client_row).count() == 2
    assert f"clients-issued-key-{api_client_row.pk}" not in client.session
