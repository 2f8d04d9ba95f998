"""Department writes: codes checked by GB 32100, administrators only, audit rows."""

from __future__ import annotations

import pytest

from django.utils import translation

from credit_portal.errors import DomainError, PermissionDenied, ValidationFailed
from credit_portal.models import AuditEvent
from registry import services
from tests.registry.factories import make_uscc

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_department_with_a_normalised_code(administrator):
    code = make_uscc("1", "1", seed=1)
    department = services.create_department(by=administrator, name="区审计局", uscc=code.lower(), short_name="审计局")
    assert department.uscc == code and department.region_code == "120111"
    assert AuditEvent.objects.filter(action="created", object_id=str(department.pk)).exists()


def test_a_department_code_with_a_wrong_check_character_is_refused_on_the_uscc_field(administrator):
    code = make_uscc("1", "1", seed=2)
    with pytest.raises(ValidationFailed) as caught:
        services.create_department(
            by=administrator, name="区审计局", uscc=code[:17] + ("0" if code[17] != "0" else "1")
        )
    assert {(e.field, e.code) for e in caught.value.errors} == {("uscc", "check_digit")}


def test_only_administrators_change_departments(clerk, reviewer, department_a):
    for user in (clerk, reviewer):
        with pytest.raises(PermissionDenied):
            services.update_department(department=department_a, by=user, name="改名")
        with pytest.raises(PermissionDenied):
            services.create_department(by=user, name="区新局", uscc=make_uscc("1", "1", seed=3))


def test_a_department_is_renamed_and_deactivated(administrator, department_a):
    department = services.update_department(
        department=department_a, by=administrator, name="区市场监督管理局", is_active=False
    )
    department.refresh_from_db()
    assert (department.name, department.is_active) == ("区市场监督管理局", False)


def test_fields_that_cannot_be_changed_are_listed_in_the_readers_language(administrator, department_a):
    with pytest.raises(DomainError) as refused:
        services.update_department(department=department_a, by=administrator, pk=1, created_at=None)
    assert "created_at、pk" in str(refused.value.message)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.update_department(department=department_a, by=administrator, pk=1, created_at=None)
    assert str(refused.value.message) == "These fields cannot be changed: created_at, pk."
