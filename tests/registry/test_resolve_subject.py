"""resolve_subject and resolve_subjects: matching, registering, updating with history, bulk with bad rows."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit_portal.errors import DomainError, ValidationFailed
from registry import codes, services
from registry.choices import SubjectCategory
from registry.models import Subject
from tests.registry.factories import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db


def _codes(error: ValidationFailed) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in error.errors}


def test_a_new_legal_entity_is_registered_with_the_filing_department(clerk):
    code = make_uscc("9", "1", seed=1)
    subject = services.resolve_subject(
        by=clerk, category="legal_entity", name="天津甲公司", uscc=code.lower(), legal_representative="王一"
    )
    assert subject.pk and subject.uscc == code
    assert subject.created_by_department == clerk.department
    assert subject.region_code == "120111"


def test_the_chinese_category_label_is_accepted(clerk):
    subject = services.resolve_subject(
        by=clerk, category="法人及非法人组织", name="天津乙公司", uscc=make_uscc(seed=2), legal_representative="王二"
    )
    assert subject.category == SubjectCategory.LEGAL_ENTITY


def test_the_same_code_matches_and_a_new_name_is_kept_in_history(clerk):
    code = make_uscc(seed=3)
    first = services.resolve_subject(
        by=clerk, category="legal_entity", name="旧名", uscc=code, legal_representative="甲"
    )
    again = services.resolve_subject(
        by=clerk, category="legal_entity", name="新名", uscc=code, legal_representative="乙"
    )
    assert again.pk == first.pk
    first.refresh_from_db()
    assert (first.name, first.legal_representative) == ("新名", "乙")
    history = list(first.history.order_by("history_date").values_list("name", "history_user_id"))
    assert history == [("旧名", clerk.pk), ("新名", clerk.pk)]
    assert Subject.objects.count() == 1


def test_an_unchanged_filing_writes_no_history(clerk):
    code = make_uscc(seed=4)
    for _ in range(2):
        subject = services.resolve_subject(
            by=clerk, category="legal_entity", name="甲", uscc=code, legal_representative="甲"
        )
    assert subject.history.count() == 1


def test_a_wrong_check_character_is_refused_with_the_expected_one(clerk):
    code = make_uscc(seed=5)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(by=clerk, category="legal_entity", name="甲", uscc=wrong, legal_representative="甲")
    assert ("uscc", "check_digit") in _codes(caught.value)
    assert f"“{code[17]}”" in caught.value.errors[0].message


def test_missing_name_code_and_representative_are_all_reported(clerk):
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(by=clerk, category="legal_entity", name=" ")
    assert _codes(caught.value) == {
        ("subject_name", "required"),
        ("uscc", "required"),
        ("legal_representative", "required"),
    }


def test_an_unknown_category_is_refused(clerk):
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(by=clerk, category="company", name="甲", uscc=make_uscc(seed=6))
    assert _codes(caught.value) == {("subject_category", "invalid_category")}


def test_the_placeholder_is_accepted_for_an_individual_business_with_a_registration_number(clerk):
    subject = services.resolve_subject(
        by=clerk,
        category="individual_business",
        name="西青区小王烧饼店",
        uscc=codes.PLACEHOLDER,
        registration_number="120111600123456",
        legal_representative="王小二",
    )
    assert subject.uscc is None and subject.registration_number == "120111600123456"
    again = services.resolve_subject(
        by=clerk,
        category="individual_business",
        name="西青区小王烧饼店",
        uscc=codes.PLACEHOLDER,
        registration_number="120111600123456",
        legal_representative="王小二",
    )
    assert again.pk == subject.pk


def test_a_placeholder_business_that_later_gets_a_code_is_the_same_subject(clerk):
    first = services.resolve_subject(
        by=clerk,
        category="individual_business",
        name="小店",
        uscc=codes.PLACEHOLDER,
        registration_number="120111600000001",
        legal_representative="李四",
    )
    code = make_uscc("9", "2", seed=7)
    later = services.resolve_subject(
        by=clerk,
        category="individual_business",
        name="小店",
        uscc=code,
        registration_number="120111600000001",
        legal_representative="李四",
    )
    assert later.pk == first.pk and later.uscc == code


def test_the_placeholder_is_refused_without_a_registration_number(clerk):
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(
            by=clerk, category="individual_business", name="小店", uscc=codes.PLACEHOLDER, legal_representative="李四"
        )
    assert ("uscc", "placeholder_not_allowed") in _codes(caught.value)


def test_the_placeholder_is_refused_for_a_legal_entity(clerk):
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(
            by=clerk,
            category="legal_entity",
            name="甲",
            uscc=codes.PLACEHOLDER,
            registration_number="120111000000001",
            legal_representative="李四",
        )
    assert ("uscc", "placeholder_not_allowed") in _codes(caught.value)


def test_a_natural_person_is_matched_by_id_number_and_stored_encrypted(clerk):
    number = make_resident_id(seed=1)
    person = services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=number
    )
    assert person.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert number not in person.id_number_encrypted
    assert person.reveal_id_number() == number
    again = services.resolve_subject(
        by=clerk, category="自然人", name="张三明", id_type="身份证", id_number=number.lower()
    )
    assert again.pk == person.pk


def test_a_bad_id_number_is_refused_on_the_id_number_field(clerk):
    number = make_resident_id(seed=1)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(by=clerk, category="natural_person", name="张三", id_type="01", id_number=wrong)
    assert _codes(caught.value) == {("id_number", "check_digit")}


def test_a_natural_person_may_not_carry_a_code(clerk):
    with pytest.raises(ValidationFailed) as caught:
        services.resolve_subject(
            by=clerk,
            category="natural_person",
            name="张三",
            uscc=make_uscc(seed=8),
            id_type="01",
            id_number=make_resident_id(seed=2),
        )
    assert ("uscc", "uscc_not_allowed") in _codes(caught.value)


def test_a_code_registered_under_another_category_is_a_conflict(clerk):
    code = make_uscc(seed=9)
    services.resolve_subject(by=clerk, category="legal_entity", name="甲", uscc=code, legal_representative="甲")
    with pytest.raises(DomainError) as caught:
        services.resolve_subject(
            by=clerk, category="individual_business", name="甲", uscc=code, legal_representative="甲"
        )
    assert caught.value.code == "subject_category_conflict"


def test_bulk_resolution_gives_one_result_per_row_in_order_with_bad_rows_mixed_in(clerk):
    existing_code = make_uscc(seed=10)
    existing = services.resolve_subject(
        by=clerk, category="legal_entity", name="旧名", uscc=existing_code, legal_representative="甲"
    )
    new_code = make_uscc(seed=11)
    number = make_resident_id(seed=3)
    rows = [
        {
            "subject_category": "legal_entity",
            "subject_name": "新名",
            "uscc": existing_code,
            "legal_representative": "甲",
        },
        {"category": "legal_entity", "name": "新公司", "uscc": new_code, "legal_representative": "乙"},
        {"category": "legal_entity", "name": "坏代码", "uscc": new_code[:17] + "I", "legal_representative": "丙"},
        {"category": "natural_person", "name": "李四", "id_type": "01", "id_number": number},
        {"category": "legal_entity", "name": "新公司", "uscc": new_code, "legal_representative": "乙"},
        {
            "category": "individual_business",
            "name": "小店",
            "uscc": codes.PLACEHOLDER,
            "registration_number": "120111600000009",
            "legal_representative": "丁",
        },
        {
            "category": "individual_business",
            "name": "缺注册号",
            "uscc": codes.PLACEHOLDER,
            "legal_representative": "戊",
        },
    ]
    with CaptureQueriesContext(connection) as queries:
        results = services.resolve_subjects(by=clerk, rows=rows)
    assert len(results) == 7
    assert results[0].pk == existing.pk and results[0].name == "新名"
    assert isinstance(results[1], Subject) and results[1].pk and results[1].uscc == new_code
    assert isinstance(results[2], ValidationFailed)
    assert {(e.field, e.code) for e in results[2].errors} == {("uscc", "invalid_character")}
    assert results[3].pk and results[3].id_number_hash
    assert results[4].pk == results[1].pk  # the same subject twice in one file
    assert results[5].pk and results[5].uscc is None
    assert isinstance(results[6], ValidationFailed)
    assert Subject.objects.count() == 4
    existing.refresh_from_db()
    assert existing.name == "新名" and existing.history.count() == 2
    assert Subject.objects.get(uscc=new_code).history.count() == 1
    assert len(queries) < 20


def test_bulk_query_count_does_not_grow_with_rows(clerk, django_assert_max_num_queries):
    rows = [
        {
            "category": "legal_entity",
            "name": f"公司{i}",
            "uscc": make_uscc(seed=1000 + i),
            "legal_representative": "甲",
        }
        for i in range(200)
    ]
    with django_assert_max_num_queries(15):
        results = services.resolve_subjects(by=clerk, rows=rows)
    assert all(isinstance(item, Subject) and item.pk for item in results)
