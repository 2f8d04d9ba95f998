"""The calendar's bulk form in a real browser: a faulty line is named, a correct schedule is saved (DOMAIN §4)."""

import pytest

from credit_portal.workdays import services
from credit_portal.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_pastes_the_2027_schedule(page, screenshot, administrator):
    services.seed_official_schedules()  # a transactional test may start after another one emptied the tables
    page.goto("/admin/login/?next=/admin/workdays/calendaryear/bulk/")
    page.fill("#id_username", administrator.username)
    page.fill("#id_password", "Correct-Horse-42")
    page.click("input[type=submit]")
    page.fill("#id_year", "2027")
    page.fill("#id_notice", "国办发明电〔2026〕9号")
    page.fill("#id_schedule", "2027-01-01 元旦\n2027-02-31 春节")
    page.click("input[type=submit]")
    assert page.get_by_text("第 2 行").count() == 1
    screenshot(page, "workdays-bulk-form-error")
    page.fill("#id_schedule", "2027-01-01 元旦\n2027-02-05 至 2027-02-11 春节\n2027-02-20 调休上班 春节")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/workdays/calendaryear/*/change/")
    assert CalendarYear.objects.get(year=2027).is_official
    screenshot(page, "workdays-year-change")
