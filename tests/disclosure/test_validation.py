"""The DOMAIN §3 rules of the validation module, each by its field and code."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from disclosure.choices import PenaltyCategory
from disclosure.validation import clean_licensing_row, clean_penalty_row, parse_penalty_categories
from tests.disclosure.factories import licensing_data, penalty_data
from tests.registry.factories import make_resident_id

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 6, 1)


def codes_of(errors) -> set[tuple[str | None, str]]:
    return {(error.field, error.code) for error in errors}


def test_a_valid_penalty_has_no_errors_and_typed_values():
    cleaned, errors = clean_penalty_row(penalty_data(), today=TODAY)
    assert errors == []
    assert cleaned["decision_date"] == datetime.date(2024, 3, 15)
    assert cleaned["fine_amount"] == Decimal("2")
    assert cleaned["penalty_categories"] == [PenaltyCategory.FINE]


def test_a_valid_licensing_has_no_errors():
    cleaned, errors = clean_licensing_row(licensing_data(), today=TODAY)
    assert errors == []
    assert cleaned["valid_to"] == datetime.date(2029, 3, 14)


@pytest.mark.parametrize(
    "field", ["document_number", "violation_type", "violation_facts", "legal_basis", "content", "authority_name"]
)
def test_mandatory_penalty_fields_are_required(field):
    _cleaned, errors = clean_penalty_row(penalty_data(**{field: ""}), today=TODAY)
    assert (field, "required") in codes_of(errors)


@pytest.mark.parametrize("field", ["decision_document_name", "licence_category", "valid_from", "valid_to"])
def test_mandatory_licensing_fields_are_required(field):
    _cleaned, errors = clean_licensing_row(licensing_data(**{field: ""}), today=TODAY)
    assert (field, "required") in codes_of(errors)


def test_legal_entity_needs_uscc_and_legal_representative():
    _cleaned, errors = clean_penalty_row(penalty_data(uscc="", legal_representative=""), today=TODAY)
    assert {("uscc", "required"), ("legal_representative", "required")} <= codes_of(errors)


def test_natural_person_needs_id_type_and_number():
    data = penalty_data(subject_category="自然人", subject_name="张三明", uscc="", legal_representative="")
    _cleaned, errors = clean_penalty_row(data, today=TODAY)
    assert ("id_type", "required") in codes_of(errors)
    assert ("id_number", "required") in codes_of(errors)


def test_natural_person_with_valid_id_number_is_accepted():
    data = penalty_data(
        subject_category="natural_person",
        subject_name="张三明",
        uscc="",
        legal_representative="",
        id_type="身份证",
        id_number=make_resident_id(seed=5),
    )
    cleaned, errors = clean_penalty_row(data, today=TODAY)
    assert errors == []
    assert cleaned["id_type"] == "01"


def test_uscc_check_digit_error_names_the_field():
    data = penalty_data(uscc="91350100M000100Y44")
    _cleaned, errors = clean_penalty_row(data, today=TODAY)
    assert ("uscc", "check_digit") in codes_of(errors)


def test_authority_uscc_is_checked_too():
    _cleaned, errors = clean_penalty_row(penalty_data(authority_uscc="123"), today=TODAY)
    assert ("authority_uscc", "length") in codes_of(errors)


def test_placeholder_code_is_accepted_for_an_individual_business_with_registration_number():
    data = penalty_data(
        subject_category="个体工商户", uscc="00000000000000000X", registration_number="120111600123456"
    )
    cleaned, errors = clean_penalty_row(data, today=TODAY)
    assert errors == []
    assert cleaned["uscc"] == "00000000000000000X"


def test_impossible_date_is_refused():
    _cleaned, errors = clean_penalty_row(penalty_data(decision_date="2024-02-30"), today=TODAY)
    assert ("decision_date", "invalid_date") in codes_of(errors)


def test_decision_date_in_the_future_is_refused():
    _cleaned, errors = clean_penalty_row(penalty_data(decision_date="2024-06-02"), today=TODAY)
    assert ("decision_date", "future_date") in codes_of(errors)


def test_chinese_date_form_is_understood():
    cleaned, errors = clean_penalty_row(penalty_data(decision_date="2024年3月15日"), today=TODAY)
    assert errors == []
    assert cleaned["decision_date"] == datetime.date(2024, 3, 15)


def test_valid_to_before_valid_from_is_refused():
    _cleaned, errors = clean_licensing_row(licensing_data(valid_to="2024-03-14"), today=TODAY)
    assert ("valid_to", "valid_to_before_valid_from") in codes_of(errors)


def test_indefinite_licence_is_2099_12_31_and_later_is_refused():
    _cleaned, errors = clean_licensing_row(licensing_data(valid_to="2099-12-31"), today=TODAY)
    assert errors == []
    _cleaned, errors = clean_licensing_row(licensing_data(valid_to="2100-01-01"), today=TODAY)
    assert ("valid_to", "valid_to_too_late") in codes_of(errors)


def test_negative_amount_is_refused():
    _cleaned, errors = clean_penalty_row(penalty_data(fine_amount="-1"), today=TODAY)
    assert ("fine_amount", "negative_amount") in codes_of(errors)


def test_more_than_six_decimals_is_refused():
    _cleaned, errors = clean_penalty_row(penalty_data(fine_amount="0.1234567"), today=TODAY)
    assert ("fine_amount", "too_many_decimals") in codes_of(errors)
    cleaned, errors = clean_penalty_row(penalty_data(fine_amount="0.123456"), today=TODAY)
    assert errors == []


def test_amount_that_is_not_a_number_is_refused():
    _cleaned, errors = clean_penalty_row(penalty_data(fine_amount="两万"), today=TODAY)
    assert ("fine_amount", "invalid_amount") in codes_of(errors)


def test_fine_needs_fine_amount():
    _cleaned, errors = clean_penalty_row(penalty_data(fine_amount=""), today=TODAY)
    assert ("fine_amount", "fine_amount_required") in codes_of(errors)


def test_confiscation_needs_confiscated_amount():
    data = penalty_data(penalty_categories="没收违法所得", fine_amount="")
    _cleaned, errors = clean_penalty_row(data, today=TODAY)
    assert ("confiscated_amount", "confiscated_amount_required") in codes_of(errors)


@pytest.mark.parametrize("category", ["暂扣许可证件", "revoke_licence"])
def test_suspension_or_revocation_needs_the_licence_name(category):
    _cleaned, errors = clean_penalty_row(penalty_data(penalty_categories=category, fine_amount=""), today=TODAY)
    assert ("licence_name_and_number", "licence_name_required") in codes_of(errors)


def test_categories_accept_codes_labels_and_semicolons():
    cleaned, errors = clean_penalty_row(
        penalty_data(penalty_categories="警告；fine;没收违法所得", confiscated_amount="0.5"), today=TODAY
    )
    assert errors == []
    assert cleaned["penalty_categories"] == ["warning", "fine", "confiscate_gains"]


def test_unknown_category_is_refused_with_its_value():
    _cleaned, errors = clean_penalty_row(penalty_data(penalty_categories="罚款;打板子"), today=TODAY)
    assert ("penalty_categories", "invalid_penalty_category") in codes_of(errors)
    assert "打板子" in str(errors[0].message)


def test_missing_categories_are_refused():
    _cleaned, errors = clean_penalty_row(penalty_data(penalty_categories=""), today=TODAY)
    assert ("penalty_categories", "required") in codes_of(errors)


def test_old_pre_2021_values_are_mapped_not_refused():
    codes, unknown = parse_penalty_categories("没收违法所得、没收非法财物")
    assert (codes, unknown) == (["confiscate_gains", "confiscate_property"], [])
    codes, _unknown = parse_penalty_categories("暂扣或者吊销许可证、暂扣或者吊销执照", content="吊销食品经营许可证")
    assert codes == ["revoke_licence"]
    codes, _unknown = parse_penalty_categories("暂扣或者吊销许可证、暂扣或者吊销执照", content="责令改正")
    assert codes == ["suspend_licence", "revoke_licence"]


def test_code_lists_accept_chinese_labels():
    cleaned, errors = clean_penalty_row(penalty_data(severity="严重", procedure="简易程序"), today=TODAY)
    assert errors == []
    assert (cleaned["severity"], cleaned["procedure"]) == ("serious", "simple")
    _cleaned, errors = clean_penalty_row(penalty_data(severity="很严重"), today=TODAY)
    assert ("severity", "invalid_choice") in codes_of(errors)


def test_licence_category_accepts_label():
    cleaned, errors = clean_licensing_row(licensing_data(licence_category="特许"), today=TODAY)
    assert errors == [] and cleaned["licence_category"] == "special"


def test_errors_carry_chinese_messages():
    _cleaned, errors = clean_penalty_row(penalty_data(document_number=""), today=TODAY)
    assert all(str(error.message) for error in errors)
    assert "请填写" in str(errors[0].message)
