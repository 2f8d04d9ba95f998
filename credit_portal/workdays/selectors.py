"""Reads of the working-day calendar."""

from django.db.models import QuerySet

from .models import CalendarYear


def calendar_years() -> QuerySet[CalendarYear]:
    """Every stored year, newest first, without the editor column."""
    return CalendarYear.objects.only("year", "is_official", "source", "notice", "updated_at").order_by("-year")
