"""重错码率 per department (DOMAIN §2): wrong codes, duplicates, legitimate placeholders, the 0.1% target."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registry import selectors
from registry.choices import SubjectCategory
from tests.registry.factories import NaturalPersonFactory, SubjectFactory, make_uscc

pytestmark = pytest.mark.django_db


def _row(department):
    return next(row for row in selectors.code_quality_by_department() if row.department == department)


def test_a_placeholder_business_with_registration_number_is_not_a_wrong_code(department_a):
    SubjectFactory(
        category=SubjectCategory.INDIVIDUAL_BUSINESS,
        uscc=None,
        registration_number="120111600000001",
        created_by_department=department_a,
    )
    row = _row(department_a)
    assert (row.total, row.invalid, row.rate, row.meets_target) == (1, 0, Decimal(0), True)


def test_an_organisation_without_any_code_is_a_wrong_code(department_a):
    SubjectFactory(uscc=None, created_by_department=department_a)
    assert _row(department_a).invalid == 1


def test_a_code_failing_the_structure_is_a_wrong_code(department_a):
    SubjectFactory(uscc=make_uscc("9", "9", seed=1), created_by_department=department_a)  # 9-9 is no type
    assert _row(department_a).invalid == 1


def test_the_same_registration_number_under_two_codes_is_a_duplicate(department_a, department_b):
    SubjectFactory(registration_number="120111000000042", created_by_department=department_a)
    SubjectFactory(registration_number="120111000000042", created_by_department=department_b)
    assert _row(department_a).duplicate == 1 and _row(department_b).duplicate == 1


def test_a_subject_both_wrong_and_duplicate_counts_once(department_a):
    code = make_uscc(seed=3)
    SubjectFactory(name="甲", uscc=code[:17] + ("0" if code[17] != "0" else "1"), created_by_department=department_a)
    SubjectFactory(name="甲", uscc=code, created_by_department=department_a)
    row = _row(department_a)
    assert (row.invalid, row.duplicate, row.wrong_or_duplicate, row.percent) == (1, 2, 2, Decimal("100.000"))


def test_natural_persons_are_not_counted(department_a):
    NaturalPersonFactory(created_by_department=department_a)
    assert _row(department_a).total == 0


def test_the_target_is_below_one_in_a_thousand(department_a):
    SubjectFactory.create_batch(999, created_by_department=department_a)
    SubjectFactory(uscc=None, created_by_department=department_a)
    row = _row(department_a)
    assert row.rate == Decimal("0.001") and not row.meets_target  # 1 in 1000 is not below 0.1%
    SubjectFactory(created_by_department=department_a)
    assert _row(department_a).meets_target  # 1 in 1001


def test_the_report_endpoint_query_count_does_not_grow_with_departments(
    api_for, reviewer, django_assert_max_num_queries
):
    from tests.registry.factories import DepartmentFactory

    client = api_for(reviewer)
    DepartmentFactory.create_batch(2)
    client.get("/api/v1/registry/code-quality/")
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/registry/code-quality/")
    DepartmentFactory.create_batch(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/registry/code-quality/")
    assert len(response.json()) == 12
