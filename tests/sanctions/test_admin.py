"""Administrators maintain list types and the measure catalogue in the admin (DOMAIN §1, §7)."""

from __future__ import annotations

import pytest

from sanctions.models import Measure

from .factories import list_type, measure

pytestmark = pytest.mark.django_db


def test_administrator_edits_a_measures_matters_in_the_admin(client, administrator):
    client.force_login(administrator)
    item = measure("C1-01")
    page = client.get(f"/admin/sanctions/measure/{item.pk}/change/")
    assert page.status_code == 200
    assert "适用业务事项" in page.content.decode()
    response = client.post(
        f"/admin/sanctions/measure/{item.pk}/change/",
        {
            "code": item.code,
            "name": item.name,
            "measure_class": item.measure_class,
            "kind": item.kind,
            "obligation": "may",
            "text": item.text,
            "legal_basis": item.legal_basis,
            "applying_authority": item.applying_authority,
            "matters": ["government_procurement", "bidding"],
            "is_active": "on",
            "ListType_measures-TOTAL_FORMS": "0",
            "ListType_measures-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Measure.objects.get(pk=item.pk)
    assert (item.obligation, item.matters) == ("may", ["government_procurement", "bidding"])


def test_list_type_admin_pages_render(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/sanctions/listtype/").status_code == 200
    assert client.get(f"/admin/sanctions/listtype/{list_type('wage_arrears').pk}/change/").status_code == 200
    assert client.get("/admin/sanctions/listentry/").status_code == 200
    assert client.get("/admin/sanctions/creditcheck/").status_code == 200
