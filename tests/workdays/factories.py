"""Factories of the working-day calendar."""

import factory

from credit_portal.workdays.choices import DayKind, ScheduleSource
from credit_portal.workdays.models import CalendarYear, SpecialDay


class CalendarYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2030
    source = ScheduleSource.ADMIN
    is_official = False


class SpecialDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialDay

    year = factory.SubFactory(CalendarYearFactory, year=factory.SelfAttribute("..date.year"))
    kind = DayKind.HOLIDAY
    name = "测试假日"
