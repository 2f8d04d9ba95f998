"""Property-based tests (hypothesis) of the code and ID validators, the working-day arithmetic and the import parser."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from credit_portal.workdays import services as workdays
from disclosure.imports import readers
from registry import codes

# Authority + entity-type prefixes the standard defines (GB 32100-2015 Table 1), e.g. "91", "92", "N2".
PREFIXES = sorted(codes._PREFIXES)
BODY = st.text(alphabet=codes.ALPHABET.replace("I", ""), min_size=9, max_size=9)
REGIONS = st.sampled_from(["120111", "120110", "110105", "310115", "440305"])


@st.composite
def valid_uscc(draw) -> str:
    first_17 = draw(st.sampled_from(PREFIXES)) + draw(REGIONS) + draw(BODY)
    return first_17 + codes.check_digit(first_17)


@st.composite
def valid_resident_id(draw) -> str:
    birth = draw(st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2020, 12, 31)))
    first_17 = draw(REGIONS) + birth.strftime("%Y%m%d") + draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return first_17 + ric.calc_check_digit(first_17 + "0")  # stdnum ignores the last character given


@given(valid_uscc())
def test_a_code_with_its_computed_check_character_is_valid(code):
    result = codes.validate_uscc(code)
    assert result.valid, result.errors
    assert codes.is_valid_uscc(code)


@given(valid_uscc(), st.integers(min_value=0, max_value=17), st.sampled_from(codes.ALPHABET))
def test_any_single_character_change_of_a_valid_code_is_caught(code, position, character):
    assume(code[position] != character)
    changed = code[:position] + character + code[position + 1 :]
    assert not codes.validate_uscc(changed).valid
    assert not codes.is_valid_uscc(changed)


@given(valid_uscc(), st.sampled_from([" ", "-", "\u3000"]))
def test_spaces_hyphens_and_full_width_forms_do_not_change_the_verdict(code, separator):
    spaced = separator.join([code[:6], code[6:12], code[12:]])
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code.lower())
    assert codes.validate_uscc(spaced).valid
    assert codes.validate_uscc(full_width).code == code


@given(st.text(max_size=40))
def test_the_code_validator_answers_any_text_without_raising(text):
    result = codes.validate_uscc(text)
    assert result.valid == (not result.errors)


@given(valid_resident_id())
def test_a_resident_id_with_its_check_digit_is_valid(number):
    assert codes.validate_id_number(number).valid


@given(valid_resident_id(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_of_a_resident_id_is_caught(number, position, character):
    assume(number[position] != character)
    changed = number[:position] + character + number[position + 1 :]
    assert not codes.validate_id_number(changed).valid


@given(st.text(max_size=30))
def test_the_id_validator_answers_any_text_without_raising(text):
    assert codes.validate_id_number(text).valid in (True, False)


DATES = st.dates(min_value=datetime.date(2016, 1, 1), max_value=datetime.date(2030, 12, 31))
FIXTURE_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@FIXTURE_SETTINGS
@given(DATES, st.integers(min_value=0, max_value=60))
def test_adding_then_counting_working_days_gives_the_same_number(db, start, days):
    due = workdays.add_working_days(start, days).date
    assert workdays.count_working_days(start, due) == days
    assert workdays.count_working_days(due, start) == -days


@pytest.mark.django_db
@FIXTURE_SETTINGS
@given(DATES, st.integers(min_value=1, max_value=60))
def test_a_deadline_always_falls_on_a_working_day(db, start, days):
    assert workdays.is_working_day(workdays.add_working_days(start, days).date)


@pytest.mark.django_db
@FIXTURE_SETTINGS
@given(DATES, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_deadlines_grow_with_the_number_of_working_days(db, start, fewer, more):
    fewer, more = sorted((fewer, more))
    first, second = workdays.add_working_days(start, fewer).date, workdays.add_working_days(start, more).date
    assert first <= second
    assert (first < second) == (fewer < more)


@pytest.mark.django_db
@FIXTURE_SETTINGS
@given(DATES, st.one_of(st.integers(max_value=-1), st.integers(min_value=workdays.MAX_WORKING_DAYS + 1)))
def test_out_of_range_working_days_are_refused_with_the_domain_error(db, start, days):
    with pytest.raises(workdays.InvalidWorkingDays):
        workdays.add_working_days(start, days)


CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)


@given(CELLS)
def test_parse_date_returns_a_date_or_the_cell_for_the_validator(value):
    parsed = readers.parse_date(value)
    assert isinstance(parsed, datetime.date | str) or parsed is value


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_parse_date_reads_the_formats_departments_type(day):
    for text in (day.isoformat(), day.strftime("%Y/%m/%d"), f"{day.year}年{day.month}月{day.day}日"):
        assert readers.parse_date(text) == day


@given(CELLS)
def test_amount_text_gives_text_and_keeps_the_value_of_numbers(value):
    text = readers.amount_text(value)
    assert isinstance(text, str)
    if isinstance(value, int) and not isinstance(value, bool):
        assert Decimal(text) == value


@given(CELLS, st.text(max_size=20))
def test_split_categories_gives_distinct_non_empty_names(value, content):
    categories = readers.split_categories(value, content=content)
    assert all(isinstance(name, str) and name and name == "".join(name.split()) for name in categories)
    assert len(categories) == len(set(categories))
