"""Admin of API clients (terms changed through the service) and the demo clients (issue 12)."""

from __future__ import annotations

import io
import random

import pytest

from django.core.management.base import OutputWrapper
from django.utils import timezone

from credit_portal import access
from credit_portal.clients import demo
from credit_portal.clients.choices import ClientStatus, Scope
from credit_portal.clients.models import ApiClient

from .factories import approved_client, caller

pytestmark = pytest.mark.django_db


def test_changing_scopes_in_the_admin_moves_the_service_account_to_a_clerk_of_the_department(
    client, administrator, reviewer, department_a
):
    api_client_row, key = approved_client(reviewer)
    client.force_login(administrator)
    url = f"/admin/clients/apiclient/{api_client_row.pk}/change/"
    assert client.get("/admin/clients/apiclient/").status_code == 200
    page = client.get(url)
    assert page.status_code == 200
    data = {
        field: value
        for field, value in page.context["adminform"].form.initial.items()
        if field in page.context["adminform"].form.fields and value is not None
    }
    data.update(
        {
            "scopes": [Scope.PUBLIC_DATA, Scope.FILING],
            "department": department_a.pk,
            "keys-TOTAL_FORMS": "1",
            "keys-INITIAL_FORMS": "1",
            "keys-MIN_NUM_FORMS": "0",
            "keys-MAX_NUM_FORMS": "1000",
            "keys-0-id": api_client_row.keys.get().pk,
            "keys-0-client": api_client_row.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    api_client_row.refresh_from_db()
    assert api_client_row.scopes == ["public_data", "filing"]
    user = api_client_row.service_user
    user._cached_role = False
    assert (access.role_of(user), user.department) == (access.Role.CLERK, department_a)
    assert caller(key).get("/api/v1/disclosure/penalties/").status_code == 200


def test_the_office_list_api_runs_a_fixed_number_of_queries(api_for, reviewer, django_assert_max_num_queries):
    for number in range(5):
        approved_client(reviewer, name=f"系统{number}")
    api = api_for(reviewer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/clients/manage/")
    assert response.json()["count"] == 5


def test_the_demo_adds_two_approved_clients_whose_keys_work_and_one_application(reviewer, department_a):
    buffer = io.StringIO()
    out = OutputWrapper(buffer)  # as generate_demo passes it: one line per write
    assert demo.generate(rng=random.Random(1), today=timezone.localdate(), stdout=out, scale=100) == 3
    assert sorted(ApiClient.objects.values_list("status", flat=True)) == [
        ClientStatus.APPLIED,
        ClientStatus.APPROVED,
        ClientStatus.APPROVED,
    ]
    keys = [line.rsplit(" ", 1)[-1] for line in buffer.getvalue().splitlines() if "demo key" in line]
    assert len(keys) == 2
    assert caller(keys[0], address="127.0.0.1").get("/api/v1/clients/me/").status_code == 200
    assert demo.generate(rng=random.Random(1), today=timezone.localdate(), stdout=out, scale=100) == 0
