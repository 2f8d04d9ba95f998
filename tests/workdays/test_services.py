"""The working-day arithmetic (DOMAIN §4): official schedules, 调休, year boundaries, provisional years."""

import datetime

import chinese_calendar
import pytest

from credit_portal.workdays import services
from credit_portal.workdays.choices import DayKind
from credit_portal.workdays.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db

D = datetime.date


def test_seed_holds_every_chinesecalendar_day_of_2004_to_2026_with_chinese_names():
    expected_holidays = {day for day in chinese_calendar.holidays if 2004 <= day.year <= 2026}
    expected_workdays = {day for day in chinese_calendar.workdays if 2004 <= day.year <= 2026 and day.weekday() >= 5}
    stored = SpecialDay.objects.filter(year__year__range=(2004, 2026))
    assert set(stored.filter(kind=DayKind.HOLIDAY).values_list("date", flat=True)) == expected_holidays
    assert set(stored.filter(kind=DayKind.WORKDAY).values_list("date", flat=True)) == expected_workdays
    assert SpecialDay.objects.get(date=D(2026, 2, 17)).name == "春节"
    assert CalendarYear.objects.filter(year__range=(2004, 2026), is_official=True).count() == 23
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_seven_working_days_from_friday_before_spring_festival_2026_skip_the_holiday():
    # 2026-02-13 (Fri): 02-14 (Sat, 调休上班) is day 1, 02-15..02-23 off, 02-24..02-27 days 2-5,
    # 02-28 (Sat, 调休上班) day 6, 03-02 (Mon) day 7.
    due = services.add_working_days(D(2026, 2, 13), 7)
    assert due == services.Due(date=D(2026, 3, 2), provisional=False)


def test_spring_festival_2026_days_off_and_tiaoxiu_saturdays():
    assert services.is_working_day(D(2026, 2, 14))  # Saturday, 调休上班
    assert services.is_working_day(D(2026, 2, 28))  # Saturday, 调休上班
    assert not any(services.is_working_day(D(2026, 2, day)) for day in range(15, 24))
    assert services.is_working_day(D(2026, 2, 24))


def test_national_day_2025_tiaoxiu_saturday_counts_as_working_day():
    # 10-01..10-08 off (国庆 with 中秋); 10-09 Thu day 1, 10-10 Fri day 2, 10-11 Sat (调休上班) day 3.
    assert services.add_working_days(D(2025, 9, 30), 3) == services.Due(D(2025, 10, 11), False)
    assert services.is_working_day(D(2025, 9, 28))  # Sunday, 调休上班
    assert not services.is_working_day(D(2025, 10, 6))  # Monday, 中秋


def test_national_day_2026_tiaoxiu_saturday_counts_as_working_day():
    # 10-01..10-07 off; 10-08 Thu day 1, 10-09 Fri day 2, 10-10 Sat (调休上班) day 3.
    assert services.add_working_days(D(2026, 9, 30), 3) == services.Due(D(2026, 10, 10), False)
    assert services.add_working_days(D(2026, 9, 30), 1).date == D(2026, 10, 8)


def test_start_day_is_not_counted_even_when_it_is_a_working_day():
    assert services.add_working_days(D(2026, 3, 2), 1).date == D(2026, 3, 3)  # Monday -> Tuesday


def test_start_on_a_weekend_counts_from_the_next_working_day():
    assert services.add_working_days(D(2026, 3, 7), 1).date == D(2026, 3, 9)  # Saturday -> Monday


def test_zero_days_returns_the_start_day_itself():
    assert services.add_working_days(D(2026, 2, 16), 0) == services.Due(D(2026, 2, 16), False)
    assert services.add_working_days(D(2027, 3, 1), 0) == services.Due(D(2027, 3, 1), True)


@pytest.mark.parametrize("days", [-1, 3661, 1.5, True])
def test_negative_fractional_or_absurd_day_counts_are_refused(days):
    with pytest.raises(services.InvalidWorkingDays) as raised:
        services.add_working_days(D(2026, 3, 2), days)
    assert raised.value.code == "invalid_working_days"


def test_deadline_crossing_into_2027_is_provisional():
    # 12-29..12-31 days 1-3; 2027-01-01 (元旦, from the holidays package) off; 01-04..01-07 days 4-7.
    assert services.add_working_days(D(2026, 12, 28), 7) == services.Due(D(2027, 1, 7), True)


def test_deadline_inside_2026_is_not_provisional():
    assert services.add_working_days(D(2026, 12, 20), 3) == services.Due(D(2026, 12, 23), False)


def test_2027_without_schedule_uses_statutory_holidays_only():
    assert not services.is_working_day(D(2027, 1, 1))  # 元旦
    assert not services.is_working_day(D(2027, 2, 5))  # 除夕 (Friday)
    assert not services.is_working_day(D(2027, 2, 8))  # 春节 (Monday)
    # The package's "observed" substitutes are not statutory: Tuesday 02-09 stays a working day until the notice.
    assert services.is_working_day(D(2027, 2, 9))
    assert services.add_working_days(D(2027, 2, 4), 1) == services.Due(D(2027, 2, 9), True)


def test_statutory_holidays_of_2027_are_the_thirteen_days_of_the_2025_rules():
    days = services.statutory_holidays(2027)
    assert len(days) == 13
    assert days[D(2027, 1, 1)] == "元旦"
    assert not any("补假" in name for name in days.values())


def test_administrator_schedule_makes_2027_official_and_changes_results(administrator):
    assert services.add_working_days(D(2027, 2, 4), 1) == services.Due(D(2027, 2, 9), True)
    entries = services.parse_schedule(
        "2027-01-01 元旦\n2027-02-05 至 2027-02-11 春节\n2027-02-20 调休上班 春节", year=2027
    )
    services.save_year_schedule(by=administrator, year=2027, entries=entries, notice="国办发明电〔2026〕9号")
    # 02-05..02-11 off now; 02-12 Fri day 1. 02-20 (Sat) is a working day.
    assert services.add_working_days(D(2027, 2, 4), 1) == services.Due(D(2027, 2, 12), False)
    assert services.is_working_day(D(2027, 2, 20))
    assert services.add_working_days(D(2026, 12, 28), 7).provisional is False
    assert services.missing_official_years(today=D(2026, 11, 25)) == []


def test_provisional_year_keeps_days_an_administrator_stored_without_marking_it_official(administrator):
    entries = services.parse_schedule("2027-02-09 春节", year=2027)
    services.save_year_schedule(by=administrator, year=2027, entries=entries, is_official=False)
    assert not services.is_working_day(D(2027, 2, 9))  # the stored day
    assert not services.is_working_day(D(2027, 1, 1))  # still the statutory holiday
    assert services.add_working_days(D(2027, 2, 4), 1) == services.Due(D(2027, 2, 10), True)


def test_count_working_days_excludes_the_start_and_includes_the_end():
    assert services.count_working_days(D(2026, 2, 13), D(2026, 3, 2)) == 7
    assert services.count_working_days(D(2026, 3, 2), D(2026, 2, 13)) == -7
    assert services.count_working_days(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert services.count_working_days(D(2026, 9, 30), D(2026, 10, 7)) == 0


@pytest.mark.parametrize("start", [D(2025, 9, 26), D(2026, 2, 11), D(2026, 12, 24), D(2027, 4, 30)])
@pytest.mark.parametrize("days", [1, 3, 7, 20])
def test_count_working_days_inverts_add_working_days(start, days):
    due = services.add_working_days(start, days)
    assert services.count_working_days(start, due.date) == days


def test_working_days_between_lists_the_counted_days():
    assert services.working_days_between(D(2026, 2, 13), D(2026, 2, 25)) == [
        D(2026, 2, 14),
        D(2026, 2, 24),
        D(2026, 2, 25),
    ]


def test_add_working_days_many_matches_single_calls_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    starts = [D(2026, 1, 1) + datetime.timedelta(days=offset) for offset in range(0, 420, 3)]
    services.load_calendar()  # the revision token; a fresh process also reads the years below
    with django_assert_max_num_queries(5):
        many = services.add_working_days_many(starts, 7)
    assert len(many) == len(starts)
    assert all(many[start] == services.add_working_days(start, 7) for start in starts)


def test_repeated_calls_read_only_the_revision_token(django_assert_num_queries):
    services.add_working_days(D(2026, 5, 6), 7)
    with django_assert_num_queries(1):
        services.add_working_days(D(2026, 5, 7), 7)


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        (D(2026, 11, 25), [2027]),
        (D(2026, 10, 31), []),
        (D(2026, 12, 31), [2027]),
        (
            D(2027, 3, 1),
            [
                2027,
            ],
        ),
    ],
)
def test_missing_official_years_checks_next_year_from_november(today, missing):
    assert services.missing_official_years(today=today) == missing


def test_a_deadline_beyond_the_last_representable_date_is_refused():
    with pytest.raises(services.InvalidWorkingDays) as raised:
        services.add_working_days(D(9999, 12, 30), 5)
    assert (raised.value.code, raised.value.field) == ("date_out_of_range", "start")


def test_seed_restores_an_emptied_calendar_once():
    CalendarYear.objects.all().delete()
    assert services.add_working_days(D(2026, 2, 13), 7).provisional is True  # no schedule: weekends and holidays
    assert services.seed_official_schedules() == 23
    assert services.seed_official_schedules() == 0
    assert services.add_working_days(D(2026, 2, 13), 7) == services.Due(D(2026, 3, 2), False)


def test_an_edit_outside_the_services_also_refreshes_the_cached_calendar():
    assert services.is_working_day(D(2026, 2, 14))
    SpecialDay.objects.filter(date=D(2026, 2, 14)).delete()
    assert not services.is_working_day(D(2026, 2, 14))
    day = SpecialDay.objects.get(date=D(2026, 2, 23))
    day.kind = DayKind.WORKDAY
    day.save()
    assert services.is_working_day(D(2026, 2, 23))


def test_a_datetime_start_is_refused_rather_than_silently_missing_holidays():
    with pytest.raises(TypeError):
        services.add_working_days(datetime.datetime(2026, 2, 13, 9, 0), 7)
