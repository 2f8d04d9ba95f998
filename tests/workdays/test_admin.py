"""Administrators enter a year's schedule: the bulk form, the year page with its days, the audit trail (DOMAIN §4)."""

import datetime

import pytest

from credit_portal.errors import ValidationFailed
from credit_portal.models import AuditEvent
from credit_portal.workdays import services
from credit_portal.workdays.choices import DayKind, ScheduleSource
from credit_portal.workdays.models import CalendarYear, SpecialDay
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
BULK_URL = "/admin/workdays/calendaryear/bulk/"
SCHEDULE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知
2027-01-01 元旦
2027-02-05 至 2027-02-11 春节
2027-02-20 调休上班 春节
"""


def errors_of(text: str, year: int = 2027) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as raised:
        services.parse_schedule(text, year=year)
    return [(error.code, str(error.message)) for error in raised.value.errors]


def test_parse_schedule_expands_ranges_and_reads_kinds():
    entries = services.parse_schedule(SCHEDULE_2027, year=2027)
    assert len(entries) == 9
    assert entries[1] == services.ScheduleEntry(D(2027, 2, 5), DayKind.HOLIDAY, "春节", line=4)
    assert entries[-1] == services.ScheduleEntry(D(2027, 2, 20), DayKind.WORKDAY, "春节", line=5)


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("2027-01-01 元旦\n2027-02-30 春节", "invalid_date", "第 2 行"),
        ("2027-01-01 元旦\n\n明天放假", "unrecognised_line", "第 3 行"),
        ("2026-12-31 元旦", "wrong_year", "第 1 行"),
        ("2027-02-11 至 2027-02-05 春节", "range_reversed", "第 1 行"),
        ("2027-01-01 至 2027-03-01 寒假", "range_too_long", "第 1 行"),
        ("2027-02-05 至 2027-02-11 春节\n2027-02-17 调休上班", "workday_not_weekend", "第 2 行"),
        ("2027-02-05 至 2027-02-11 春节\n2027-02-08 春节", "duplicate_date", "第 2 行"),
        ("# 只有注释\n", "empty_schedule", "没有填写任何日期"),
    ],
)
def test_each_faulty_line_is_reported_with_its_number(text, code, fragment):
    errors = errors_of(text)
    assert [error_code for error_code, _message in errors] == [code]
    assert fragment in errors[0][1]


def test_several_faulty_lines_are_all_reported():
    errors = errors_of("2027-13-01 春节\n2027-01-01 元旦\n2028-01-01 元旦")
    assert [message[:5] for _code, message in errors] == ["第 1 行", "第 3 行"]


def test_bulk_form_saves_the_year_as_official_with_an_audit_row(client, administrator):
    client.force_login(administrator)
    assert client.get(BULK_URL).status_code == 200
    response = client.post(
        BULK_URL, {"year": "2027", "notice": "国办发明电〔2026〕9号", "is_official": "on", "schedule": SCHEDULE_2027}
    )
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert (year.is_official, year.source, year.updated_by) == (True, ScheduleSource.OFFICIAL, administrator)
    assert year.special_days.count() == 9
    event = AuditEvent.objects.get(action="calendar_schedule_saved", object_id=str(year.pk))
    assert event.actor == administrator
    assert event.detail["holidays"] == 8 and event.detail["workdays"] == 1
    assert services.add_working_days(D(2027, 2, 4), 1) == services.Due(D(2027, 2, 12), False)


def test_bulk_form_replaces_the_previous_days_of_the_year(client, administrator):
    client.force_login(administrator)
    client.post(BULK_URL, {"year": "2027", "is_official": "on", "schedule": SCHEDULE_2027})
    client.post(BULK_URL, {"year": "2027", "is_official": "on", "schedule": "2027-01-01 元旦"})
    assert list(SpecialDay.objects.filter(year__year=2027).values_list("date", flat=True)) == [D(2027, 1, 1)]


def test_bulk_form_shows_errors_naming_the_line_and_saves_nothing(client, administrator):
    client.force_login(administrator)
    response = client.post(
        BULK_URL, {"year": "2027", "is_official": "on", "schedule": "2027-01-01 元旦\n2027-02-31 春节"}
    )
    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar_schedule_saved").exists()


def test_reviewer_cannot_use_the_bulk_form(client):
    reviewer = UserFactory(username="staff_reviewer", role="reviewer", is_staff=True)
    client.force_login(reviewer)
    assert client.get(BULK_URL).status_code == 403
    assert client.post(BULK_URL, {"year": "2027", "schedule": "2027-01-01 元旦"}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_save_year_schedule_refuses_non_administrators(clerk):
    with pytest.raises(services.DomainError) as raised:
        services.save_year_schedule(by=clerk, year=2027, entries=services.parse_schedule("2027-01-01", year=2027))
    assert raised.value.code == "permission_denied"


def test_admin_year_page_with_inline_days_makes_2027_official(client, administrator):
    assert services.add_working_days(D(2027, 2, 4), 1).provisional is True
    client.force_login(administrator)
    response = client.post(
        "/admin/workdays/calendaryear/add/",
        {
            "year": "2027",
            "source": ScheduleSource.ADMIN,
            "is_official": "on",
            "notice": "国办发明电〔2026〕9号",
            "special_days-TOTAL_FORMS": "2",
            "special_days-INITIAL_FORMS": "0",
            "special_days-MIN_NUM_FORMS": "0",
            "special_days-MAX_NUM_FORMS": "1000",
            "special_days-0-date": "2027-02-09",
            "special_days-0-kind": DayKind.HOLIDAY,
            "special_days-0-name": "春节",
            "special_days-1-date": "2027-02-20",
            "special_days-1-kind": DayKind.WORKDAY,
            "special_days-1-name": "春节",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.updated_by == administrator
    event = AuditEvent.objects.get(action="calendar_year_added", object_id=str(year.pk))
    assert {day["date"] for day in event.detail["days_saved"]} == {"2027-02-09", "2027-02-20"}
    # Official now: only the entered days count, so 2027-02-05 (除夕 in the holidays package) is a working day.
    assert services.add_working_days(D(2027, 2, 4), 1) == services.Due(D(2027, 2, 5), False)
    assert services.is_working_day(D(2027, 2, 20))


def test_admin_inline_day_outside_the_year_is_refused(client, administrator):
    year = CalendarYear.objects.get(year=2026)
    client.force_login(administrator)
    response = client.post(
        f"/admin/workdays/calendaryear/{year.pk}/change/",
        {
            "year": "2026",
            "source": year.source,
            "is_official": "on",
            "notice": year.notice,
            "special_days-TOTAL_FORMS": "1",
            "special_days-INITIAL_FORMS": "0",
            "special_days-MIN_NUM_FORMS": "0",
            "special_days-MAX_NUM_FORMS": "1000",
            "special_days-0-date": "2027-01-05",
            "special_days-0-kind": DayKind.HOLIDAY,
            "special_days-0-name": "错年",
        },
    )
    assert response.status_code == 200
    assert "不在 2026 年内" in response.content.decode()
    assert not SpecialDay.objects.filter(date=D(2027, 1, 5)).exists()


def test_admin_year_list_query_count_does_not_grow_with_years(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/workdays/calendaryear/")
    assert response.status_code == 200
    assert "批量录入年度安排" in response.content.decode()
