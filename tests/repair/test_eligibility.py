"""Eligibility is checked at filing and refused with the rule's stable code (DOMAIN §8)."""

from __future__ import annotations

import datetime

import pytest

from credit_portal.errors import DomainError, ValidationFailed
from disclosure.choices import RecordStatus
from repair.choices import ApplicationKind, ApplicationStatus
from repair.eligibility import RULES
from repair.models import Application
from sanctions.choices import ListColor
from tests.disclosure.factories import LicensingFactory

from .factories import file, person_penalty, removable_entry, removable_type, repairable_penalty

pytestmark = pytest.mark.django_db


def _refused(target, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        file(target, **kwargs)
    assert not Application.objects.exists()
    return caught.value


def test_eligible_repair_is_filed_with_a_tracking_number_and_accept_limit():
    application = file(repairable_penalty())
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.tracking_number.startswith("R2026112500001-")
    assert len(application.tracking_number.split("-")[1]) == 4
    assert application.accept_due_date == datetime.date(2026, 11, 27)  # 2 working days, filing day not counted


def test_shortest_period_not_over_is_refused_with_the_date():
    error = _refused(repairable_penalty(shortest_end_date=datetime.date(2026, 12, 2)))
    assert error.code == "shortest_period_not_over"
    assert "2026-12-02" in str(error.message)


def test_non_repairable_penalty_is_refused():
    assert _refused(repairable_penalty(is_repairable=False)).code == "not_repairable"


def test_list_type_without_early_removal_is_refused():
    entry = removable_entry(list_type=removable_type(early_removal_allowed=False))
    assert _refused(entry).code == "not_repairable"


def test_red_list_entry_is_not_repairable():
    entry = removable_entry(list_type=removable_type(color=ListColor.RED))
    assert _refused(entry).code == "not_repairable"


def test_list_minimum_months_not_over_is_refused():
    entry = removable_entry(list_type=removable_type(min_months_before_repair=12))  # listed 2026-03-02
    error = _refused(entry)
    assert error.code == "shortest_period_not_over"
    assert "2027-03-02" in str(error.message)


def test_repair_within_a_year_of_the_last_repair_is_refused(reviewer):
    from repair import services

    first = file(repairable_penalty(), today=datetime.date(2026, 6, 1))
    services.accept_application(application=first, by=reviewer, today=datetime.date(2026, 6, 1))
    services.approve_repair(application=first, by=reviewer, reason="已履行", today=datetime.date(2026, 6, 2))
    second_penalty = repairable_penalty(subject=first.subject)
    with pytest.raises(DomainError) as caught:
        file(second_penalty)
    assert caught.value.code == "repaired_within_cooloff"
    assert file(
        second_penalty, today=datetime.date(2027, 11, 26)
    )  # stop_by_repair stamps the real day.status == ApplicationStatus.SUBMITTED


def test_unpublished_record_is_refused():
    assert _refused(repairable_penalty(status=RecordStatus.DRAFT, published=False)).code == "not_published"


def test_duplicate_open_application_is_refused_with_the_first_tracking_number():
    penalty = repairable_penalty()
    first = file(penalty)
    with pytest.raises(DomainError) as caught:
        file(penalty)
    assert caught.value.code == "duplicate_open_application"
    assert first.tracking_number in str(caught.value.message)


def test_objection_and_repair_about_the_same_record_are_not_duplicates():
    penalty = repairable_penalty()
    file(penalty)
    assert file(penalty, kind=ApplicationKind.OBJECTION).status == ApplicationStatus.SUBMITTED


def test_wrong_subject_name_finds_no_record():
    assert _refused(repairable_penalty(), subject_name="别的公司").code == "record_not_found"


def test_licensing_cannot_be_repaired_but_can_be_objected_to():
    licensing = LicensingFactory(published=True, valid_to=datetime.date(2029, 1, 1))
    assert _refused(licensing).code == "repair_not_for_licensing"
    assert file(licensing, kind=ApplicationKind.OBJECTION).target_kind == "licensing"


def test_natural_person_is_identified_by_id_number_hash_and_the_number_is_not_stored():
    penalty, number = person_penalty()
    application = file(penalty, uscc="", id_number=number)
    assert application.subject_id == penalty.subject_id
    stored = " ".join(str(value) for value in Application.objects.filter(pk=application.pk).values().first().values())
    assert number not in stored


def test_natural_person_with_another_valid_id_number_finds_no_record():
    from tests.registry.factories import make_resident_id

    penalty, _number = person_penalty()
    assert _refused(penalty, uscc="", id_number=make_resident_id(seed=99999)).code == "record_not_found"


def test_missing_identifier_and_contact_are_field_errors():
    with pytest.raises(ValidationFailed) as caught:
        file(repairable_penalty(), uscc="", contact_phone="", contact_email="")
    assert {error.code for error in caught.value.errors} == {"identifier_required", "contact_required"}


def test_every_rule_has_a_chinese_message():
    assert all(str(message) for message in RULES.values())
    assert {
        "not_repairable",
        "shortest_period_not_over",
        "repaired_within_cooloff",
        "not_published",
        "duplicate_open_application",
    } <= set(RULES)


def test_today_default_is_used_when_not_given():
    from django.utils import timezone

    assert file(repairable_penalty(), today=None).submitted_on == timezone.localdate()
