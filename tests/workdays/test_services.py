"""The working-day arithmetic (DOMAIN §4)."""

import datetime

import pytest

from credit_portal.workdays import services

pytestmark = pytest.mark.django_db

D = datetime.date


def test_seven_working_days_from_friday_before_spring_festival_2026_skip_the_holiday():
    # 2026-02-13 (Fri): 02-14 (Sat, 调休上班) is day 1, 02-15..02-23 off, 02-24..02-27 days 2-5,
    # 02-28 (Sat, 调休上班) day 6, 03-02 (Mon) day 7.
    due = services.add_working_days(D(2026, 2, 13), 7)
    assert due == services.Due(date=D(2026, 3, 2), provisional=False)
