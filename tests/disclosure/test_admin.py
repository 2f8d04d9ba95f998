"""Administrators edit the policies; records in the admin are read-only and scoped."""

from __future__ import annotations

import pytest

from django.urls import reverse

from disclosure.models import DeadlinePolicy, PublicationPeriodRule
from tests.disclosure.factories import PenaltyFactory

pytestmark = pytest.mark.django_db


def test_administrator_sees_and_edits_the_policies(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:disclosure_publicationperiodrule_changelist")).status_code == 200
    policy = DeadlinePolicy.objects.filter(record_kind="penalty", deadline="publication").first()
    url = reverse("admin:disclosure_deadlinepolicy_change", args=[policy.pk])
    assert client.get(url).status_code == 200
    rule = PublicationPeriodRule.objects.first()
    assert client.get(reverse("admin:disclosure_publicationperiodrule_change", args=[rule.pk])).status_code == 200


def test_record_admin_lists_records_read_only(client, administrator, department_a):
    PenaltyFactory(department=department_a, subject_name="管理后台可见公司")
    client.force_login(administrator)
    response = client.get(reverse("admin:disclosure_penalty_changelist"))
    assert response.status_code == 200
    assert "管理后台可见公司" in response.content.decode()
    assert client.get(reverse("admin:disclosure_penalty_add")).status_code == 403
