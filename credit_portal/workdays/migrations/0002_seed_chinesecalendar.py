"""Seed the official schedules 2004–2026 from the chinesecalendar package (DOMAIN §4)."""

import uuid

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026
# Notice numbers known for the latest years; administrators add the older ones in the admin if needed.
NOTICES = {2025: "国办发明电〔2024〕12号", 2026: "国办发明电〔2025〕7号"}


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    chinese_names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}

    years = {
        year: CalendarYear(
            year=year, source="chinesecalendar", is_official=True, notice=NOTICES.get(year, "")
        )
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    }
    CalendarYear.objects.bulk_create(years.values())
    # bulk_create does not return primary keys on every backend (older SQLite), so read them back.
    year_ids = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "pk"))

    rows = []
    for day, name in chinese_calendar.holidays.items():
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            rows.append(SpecialDay(date=day, kind="holiday", name=chinese_names.get(name, name), year_id=year_ids[day.year]))
    for day, name in chinese_calendar.workdays.items():
        # The package lists only 调休 working days here, and they fall on Saturdays or Sundays.
        if FIRST_YEAR <= day.year <= LAST_YEAR and day.weekday() >= 5:
            rows.append(SpecialDay(date=day, kind="workday", name=chinese_names.get(name, name), year_id=year_ids[day.year]))
    SpecialDay.objects.bulk_create(rows, batch_size=500)
    CalendarRevision.objects.create(token=uuid.uuid4())


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarYear").objects.filter(source="chinesecalendar").delete()
    apps.get_model("workdays", "CalendarRevision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
