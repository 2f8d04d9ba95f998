"""Deadlines (DOMAIN §4) and publication periods under each rule set (DOMAIN §5), read from the policy tables."""

from __future__ import annotations

import datetime

import pytest

from disclosure import policy
from disclosure.choices import DeadlineKind, RecordKind, Timeliness
from disclosure.models import DeadlinePolicy, Penalty, PublicationPeriodRule
from tests.disclosure.factories import PenaltyFactory

pytestmark = pytest.mark.django_db


def penalty(decision_date, categories=("fine",), severity="general", procedure="ordinary", special=False) -> Penalty:
    return Penalty(
        decision_date=decision_date,
        penalty_categories=list(categories),
        severity=severity,
        procedure=procedure,
        is_special_case=special,
        department_id=None,
    )


def end_and_shortest(record: Penalty) -> tuple[datetime.date | None, datetime.date | None]:
    policy.apply_period(record)
    return record.publication_end_date, record.shortest_end_date


def test_due_date_is_the_seventh_working_day_across_national_day_with_tiaoxiu(department_a):
    # 2024 国庆: 1-7 October off; Sunday 29 September and Saturday 12 October are 调休 working days.
    record = PenaltyFactory.build(department=department_a, decision_date=datetime.date(2024, 9, 27))
    due = policy.publication_due(record)
    assert due.date == datetime.date(2024, 10, 12)
    assert due.provisional is False


def test_due_date_skips_spring_festival(department_a):
    # 2024 春节: 10-17 February off, Sunday 4 and Saturday 18 February are working days.
    record = PenaltyFactory.build(department=department_a, decision_date=datetime.date(2024, 2, 8))
    assert policy.publication_due(record).date == datetime.date(2024, 2, 23)


def test_a_year_without_official_schedule_gives_a_provisional_due_date(department_a):
    record = PenaltyFactory.build(department=department_a, decision_date=datetime.date(2031, 3, 3))
    assert policy.publication_due(record).provisional is True


def test_deadline_days_come_from_the_policy_table_and_a_department_row_wins(department_a, department_b):
    on = datetime.date(2024, 5, 1)
    assert policy.deadline_days(department_a, RecordKind.PENALTY, on) == 7
    DeadlinePolicy.objects.create(
        record_kind=RecordKind.PENALTY,
        department=department_a,
        working_days=20,
        effective_from=datetime.date(2024, 1, 1),
    )
    assert policy.deadline_days(department_a, RecordKind.PENALTY, on) == 20
    assert policy.deadline_days(department_b, RecordKind.PENALTY, on) == 7
    assert policy.deadline_days(department_a, RecordKind.PENALTY, datetime.date(2023, 12, 31)) == 7


def test_revocation_deadline_is_three_working_days(department_a):
    assert (
        policy.deadline_days(
            department_a, RecordKind.PENALTY, datetime.date(2024, 5, 1), deadline=DeadlineKind.REVOCATION
        )
        == 3
    )


def test_2019_rules_general_one_year_serious_three_years():
    assert end_and_shortest(penalty(datetime.date(2020, 1, 10))) == (
        datetime.date(2021, 1, 10),
        datetime.date(2020, 4, 10),
    )
    assert end_and_shortest(penalty(datetime.date(2020, 1, 10), severity="serious")) == (
        datetime.date(2023, 1, 10),
        datetime.date(2020, 7, 10),
    )


def test_2019_special_serious_case_is_the_full_three_years_and_not_repairable():
    record = penalty(datetime.date(2020, 1, 10), severity="serious", special=True)
    assert end_and_shortest(record) == (datetime.date(2023, 1, 10), datetime.date(2023, 1, 10))
    assert record.is_repairable is False


def test_2023_rules_special_equipment_cases_have_a_one_year_shortest_period():
    record = penalty(datetime.date(2023, 6, 1), special=True)
    assert end_and_shortest(record) == (datetime.date(2026, 6, 1), datetime.date(2024, 6, 1))
    assert record.is_repairable is True


def test_2023_rules_serious_up_to_three_years_shortest_three_months():
    assert end_and_shortest(penalty(datetime.date(2023, 6, 1), severity="serious")) == (
        datetime.date(2026, 6, 1),
        datetime.date(2023, 9, 1),
    )


def test_2026_rules_revocation_is_one_to_three_years():
    record = penalty(datetime.date(2026, 5, 1), categories=["revoke_licence"], severity="general")
    assert end_and_shortest(record) == (datetime.date(2029, 5, 1), datetime.date(2027, 5, 1))


def test_several_categories_take_the_longest_period():
    record = penalty(datetime.date(2026, 5, 1), categories=["fine", "order_suspension"], severity="general")
    assert end_and_shortest(record)[0] == datetime.date(2029, 5, 1)
    only_fine = penalty(datetime.date(2026, 5, 1), categories=["fine"], severity="general")
    assert end_and_shortest(only_fine)[0] == datetime.date(2027, 5, 1)


def test_2026_warning_only_simple_procedure_is_not_published():
    record = penalty(datetime.date(2026, 5, 1), categories=["warning"], procedure="simple", severity="minor")
    assert policy.is_publishable(record) is False
    assert record.publication_end_date is None
    both = penalty(datetime.date(2026, 5, 1), categories=["warning", "public_criticism"], procedure="simple")
    assert policy.is_publishable(both) is False


def test_2026_warning_with_a_fine_or_ordinary_procedure_is_published():
    assert policy.is_publishable(
        penalty(datetime.date(2026, 5, 1), categories=["warning", "fine"], procedure="simple")
    )
    assert policy.is_publishable(penalty(datetime.date(2026, 5, 1), categories=["warning"], procedure="ordinary"))


def test_warning_only_simple_procedure_before_2026_is_published():
    assert policy.is_publishable(penalty(datetime.date(2025, 5, 1), categories=["warning"], procedure="simple"))


def test_periods_are_capped_at_five_years():
    PublicationPeriodRule.objects.create(
        effective_from=datetime.date(2026, 4, 1), penalty_category="detention", shortest_months=12, longest_months=120
    )
    record = penalty(datetime.date(2026, 5, 1), categories=["detention"])
    assert end_and_shortest(record)[0] == datetime.date(2031, 5, 1)


def test_an_edited_rule_changes_the_period_without_code():
    PublicationPeriodRule.objects.filter(effective_from=datetime.date(2019, 7, 1), severity="general").update(
        longest_months=6
    )
    assert end_and_shortest(penalty(datetime.date(2020, 1, 10)))[0] == datetime.date(2020, 7, 10)


def test_timeliness_on_time_late_overdue_pending():
    record = penalty(datetime.date(2024, 3, 15))
    record.is_publishable = True
    record.publication_due_date = datetime.date(2024, 3, 26)
    assert policy.timeliness(record, published_on=datetime.date(2024, 3, 26)) == Timeliness.ON_TIME
    assert policy.timeliness(record, published_on=datetime.date(2024, 3, 27)) == Timeliness.LATE
    assert policy.timeliness(record, today=datetime.date(2024, 3, 27)) == Timeliness.OVERDUE
    assert policy.timeliness(record, today=datetime.date(2024, 3, 26)) == Timeliness.PENDING
    record.is_publishable = False
    assert policy.timeliness(record, today=datetime.date(2024, 4, 30)) == Timeliness.NOT_REQUIRED
