"""Working days: the one home of the deadline arithmetic (DOMAIN §4, STYLE §2.1).

A year with an official schedule (``CalendarYear.is_official``) uses its stored special days only: statutory
holidays (休) are off, 调休 weekend days (调休上班) are working days, other days follow Monday to Friday. A year
without one uses weekends plus the statutory holidays the ``holidays`` package computes (its "observed" and
"substituted" days are left out, as the package cannot know the State Council's 调休), overlaid with whatever an
administrator has stored so far; every result touching such a year is ``provisional``.

Schedules are cached per process. A token in ``CalendarRevision`` changes on every edit, and each public call
compares it with one cheap query; callers handling thousands of rows take one ``load_calendar()`` snapshot (or call
``add_working_days_many``) and compute on it without further queries.
"""

from __future__ import annotations

import datetime
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credit_portal import access, audit, notifications
from credit_portal.errors import DomainError, ValidationFailed

from .choices import DayKind, ScheduleSource
from .models import CalendarRevision, CalendarYear, SpecialDay

MAX_WORKING_DAYS = 3660  # ten years: far beyond any legal deadline, and a bound on the day-by-day walk
MAX_API_WORKING_DAYS = 366  # the public endpoint: no deadline in DOMAIN §4 is longer than a year


class InvalidWorkingDays(DomainError):
    code = "invalid_working_days"
    default_message = _("工作日天数应为不小于 0 的整数。")


@dataclass(frozen=True)
class Due:
    """A deadline; ``provisional`` when a year it spans has no official holiday schedule (DOMAIN §4)."""

    date: datetime.date
    provisional: bool


@dataclass(frozen=True)
class YearSchedule:
    """The days off and the 调休 working days of one year."""

    year: int
    is_official: bool
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """Statutory holiday dates of a year from the ``holidays`` package, without observed or substituted days."""
    import holidays as holidays_package  # imported lazily: building the country classes is slow

    english = holidays_package.China(years=year, observed=False, language="en_US")
    chinese = holidays_package.China(years=year, observed=False, language="zh_CN")
    return {
        day: chinese.get(day, name)
        for day, name in english.items()
        if "observed" not in name.lower() and "substitute" not in name.lower() and "day off" not in name.lower()
    }


def _build_schedules(years: Iterable[int]) -> dict[int, YearSchedule]:
    """Read the given years from the database (two queries) and fill in provisional ones."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    official = dict(CalendarYear.objects.filter(year__in=wanted).values_list("year", "is_official"))
    stored: dict[int, tuple[set, set]] = {year: (set(), set()) for year in wanted}
    rows = SpecialDay.objects.filter(year__year__in=wanted).values_list("year__year", "date", "kind")
    for year, day, kind in rows:
        stored[year][0 if kind == DayKind.HOLIDAY else 1].add(day)
    schedules = {}
    for year in wanted:
        holidays, workdays = stored[year]
        is_official = official.get(year, False)
        if not is_official:
            # DOMAIN §4: until the notice is entered, weekends and statutory holidays; stored rows take precedence.
            holidays = (set(statutory_holidays(year)) - workdays) | holidays
        schedules[year] = YearSchedule(year, is_official, frozenset(holidays), frozenset(workdays))
    return schedules


class WorkingCalendar:
    """A snapshot of year schedules; years not loaded yet are read on first use."""

    def __init__(self, schedules: dict[int, YearSchedule] | None = None):
        self._schedules: dict[int, YearSchedule] = dict(schedules or {})
        self._lock = threading.Lock()

    def year(self, year: int) -> YearSchedule:
        schedule = self._schedules.get(year)
        if schedule is None:
            # Load a few years at once: a deadline walk usually continues into the next year.
            loaded = _build_schedules(y for y in range(year, year + 2) if y not in self._schedules)
            with self._lock:
                self._schedules.update(loaded)
            schedule = self._schedules[year]
        return schedule

    def preload(self, years: Iterable[int]) -> None:
        missing = [year for year in set(years) if year not in self._schedules]
        if missing:
            loaded = _build_schedules(missing)
            with self._lock:
                self._schedules.update(loaded)

    def is_working_day(self, day: datetime.date) -> bool:
        return self.year(day.year).is_working_day(day)

    def is_provisional(self, start: datetime.date, end: datetime.date) -> bool:
        """True when any year from start's to end's has no official schedule."""
        low, high = sorted((start.year, end.year))
        return any(not self.year(year).is_official for year in range(low, high + 1))

    def add_working_days(self, start: datetime.date, days: int) -> Due:
        """The ``days``-th working day after ``start``; 0 gives ``start`` itself (DOMAIN §4)."""
        _check_date(start)
        _check_days(days)
        day = start
        remaining = days
        # DOMAIN §4 and 民法典 Art. 201: the start day is not counted, so the walk begins the day after.
        try:
            while remaining:
                day += datetime.timedelta(days=1)
                if self.is_working_day(day):
                    remaining -= 1
        except OverflowError:
            raise InvalidWorkingDays(
                _("期限超出可计算的日期范围。"), code="date_out_of_range", field="start"
            ) from None
        return Due(date=day, provisional=self.is_provisional(start, day))

    def count_working_days(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``."""
        _check_date(start)
        _check_date(end)
        if end < start:
            return -self.count_working_days(end, start)
        count = 0
        day = start + datetime.timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += datetime.timedelta(days=1)
        return count

    def working_days_between(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """The working days after ``start`` up to and including ``end``, in order."""
        days = []
        day = start + datetime.timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days


def _check_date(day: datetime.date) -> None:
    # A datetime would never equal the stored dates; the caller converts it to the local date first.
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0 or days > MAX_WORKING_DAYS:
        raise InvalidWorkingDays(field="working_days")


# The per-process cache: the revision token it was built for, and the calendar itself.
_cache_lock = threading.Lock()
_cache: dict[str, object] = {"token": None, "calendar": WorkingCalendar()}


def _current_token() -> str | None:
    token = CalendarRevision.objects.values_list("token", flat=True).first()
    return str(token) if token is not None else None


def load_calendar(years: Iterable[int] = ()) -> WorkingCalendar:
    """The cached calendar, refreshed if the schedules changed since it was built, with ``years`` preloaded."""
    token = _current_token()
    with _cache_lock:
        if token is None or token != _cache["token"]:
            _cache["token"] = token
            _cache["calendar"] = WorkingCalendar()
        calendar: WorkingCalendar = _cache["calendar"]  # type: ignore[assignment]
    calendar.preload(years)
    return calendar


def bump_revision() -> None:
    """Mark every process's cached calendar stale; call inside the transaction that changes a schedule."""
    updated = CalendarRevision.objects.update(token=uuid.uuid4())
    if not updated:
        CalendarRevision.objects.create(token=uuid.uuid4())


def add_working_days(start: datetime.date, days: int) -> Due:
    """The deadline ``days`` working days after ``start``, the start day not counted (DOMAIN §4)."""
    return load_calendar().add_working_days(start, days)


def add_working_days_many(starts: Iterable[datetime.date], days: int) -> dict[datetime.date, Due]:
    """Deadlines for many start dates at once (imports): one calendar snapshot, one result per distinct date."""
    distinct = sorted(set(starts))
    if not distinct:
        return {}
    calendar = load_calendar(range(distinct[0].year, distinct[-1].year + 2))
    return {start: calendar.add_working_days(start, days) for start in distinct}


def count_working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; 0 when equal, negative when ``end`` is earlier."""
    return load_calendar().count_working_days(start, end)


def working_days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The working days after ``start`` up to and including ``end``."""
    return load_calendar().working_days_between(start, end)


def is_working_day(day: datetime.date) -> bool:
    """Whether public bodies work on ``day`` (weekday not off, or a 调休 working day)."""
    _check_date(day)
    return load_calendar().is_working_day(day)


def missing_official_years(*, today: datetime.date) -> list[int]:
    """The current year, and from November on the next one, when their official schedule is missing (DOMAIN §4)."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    official = set(CalendarYear.objects.filter(year__in=years, is_official=True).values_list("year", flat=True))
    return [year for year in years if year not in official]


# --- Writes: administrators enter a year's schedule (DOMAIN §4) ------------------------------------------------

MAX_RANGE_DAYS = 31  # no holiday span is longer; a longer range is a typing error
_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_LINE = re.compile(
    r"^" + _DATE + r"(?:\s*(?:至|到|~|～)\s*" + _DATE + r")?"
    r"(?:\s+(休|放假|调休上班|上班|班))?"
    r"(?:\s+(.*))?$"
)
_WORKDAY_WORDS = {"调休上班", "上班", "班"}


class ScheduleLineInvalid(DomainError):
    code = "invalid_schedule_line"


class ScheduleEmpty(DomainError):
    code = "empty_schedule"
    default_message = _("没有填写任何日期：每行填写一个日期或日期区间。")


@dataclass(frozen=True)
class ScheduleEntry:
    """One day of a pasted schedule, with the line it came from."""

    date: datetime.date
    kind: str
    name: str
    line: int


def _parse_date(text: str, *, line: int) -> datetime.date:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        raise ScheduleLineInvalid(
            _("第 %(line)s 行：“%(text)s”不是有效日期，请按 YYYY-MM-DD 填写。") % {"line": line, "text": text},
            code="invalid_date",
            field="schedule",
        ) from None


def parse_schedule(text: str, *, year: int) -> list[ScheduleEntry]:
    """Parse a pasted schedule, one date or range per line; every faulty line is reported with its number.

    Line format: ``YYYY-MM-DD [至 YYYY-MM-DD] [休|调休上班] [名称]``; the kind defaults to 休 (holiday), a blank line
    or one starting with ``#`` is skipped. Example: ``2027-02-06 至 2027-02-12 春节`` and ``2027-02-13 调休上班 春节``.
    """
    errors: list[DomainError] = []
    entries: list[ScheduleEntry] = []
    seen: dict[datetime.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(
                ScheduleLineInvalid(
                    _(
                        "第 %(line)s 行：无法识别“%(text)s”，格式应为“2027-02-06 至 2027-02-12 春节”或“2027-02-13 调休上班”。"
                    )
                    % {"line": number, "text": line},
                    code="unrecognised_line",
                    field="schedule",
                )
            )
            continue
        first_text, last_text, kind_word, name = match.groups()
        try:
            first = _parse_date(first_text, line=number)
            last = _parse_date(last_text, line=number) if last_text else first
        except ScheduleLineInvalid as error:
            errors.append(error)
            continue
        kind = DayKind.WORKDAY if kind_word in _WORKDAY_WORDS else DayKind.HOLIDAY
        problem = _check_range(first, last, kind=kind, year=year, line=number)
        if problem is not None:
            errors.append(problem)
            continue
        day = first
        while day <= last:
            if day in seen:
                errors.append(
                    ScheduleLineInvalid(
                        _("第 %(line)s 行：%(date)s 已在第 %(other)s 行填写过，同一天只能出现一次。")
                        % {"line": number, "date": day.isoformat(), "other": seen[day]},
                        code="duplicate_date",
                        field="schedule",
                    )
                )
                break
            seen[day] = number
            entries.append(ScheduleEntry(date=day, kind=kind, name=(name or "").strip()[:50], line=number))
            day += datetime.timedelta(days=1)
    if errors:
        raise ValidationFailed(errors)
    if not entries:
        raise ValidationFailed([ScheduleEmpty(field="schedule")])
    return entries


def _check_range(first, last, *, kind: str, year: int, line: int) -> ScheduleLineInvalid | None:
    params = {"line": line, "first": first.isoformat(), "last": last.isoformat(), "year": year}
    if last < first:
        message, code = _("第 %(line)s 行：结束日期 %(last)s 早于开始日期 %(first)s。"), "range_reversed"
    elif first.year != year or last.year != year:
        message, code = _("第 %(line)s 行：日期 %(first)s 至 %(last)s 不在 %(year)s 年内。"), "wrong_year"
    elif (last - first).days >= MAX_RANGE_DAYS:
        message, code = _("第 %(line)s 行：区间 %(first)s 至 %(last)s 超过 31 天，请检查日期。"), "range_too_long"
    elif kind == DayKind.WORKDAY and any(
        (first + datetime.timedelta(days=offset)).weekday() < 5 for offset in range((last - first).days + 1)
    ):
        message, code = (
            _("第 %(line)s 行：调休上班日应为周六或周日，%(first)s 至 %(last)s 含工作日。"),
            "workday_not_weekend",
        )
    else:
        return None
    return ScheduleLineInvalid(message % params, code=code, field="schedule")


@transaction.atomic
def save_year_schedule(
    *, by, year: int, entries: list[ScheduleEntry], notice: str = "", is_official: bool = True, request=None
) -> CalendarYear:
    """Replace a year's special days with an administrator's schedule and mark it official (DOMAIN §4)."""
    access.require_role(by, access.Role.ADMIN)
    calendar_year, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": ScheduleSource.ADMIN}
    )
    previous = {
        "is_official": calendar_year.is_official,
        "source": calendar_year.source,
        "notice": calendar_year.notice,
    }
    removed = calendar_year.special_days.all().delete()[0]
    SpecialDay.objects.bulk_create(
        [SpecialDay(date=entry.date, kind=entry.kind, name=entry.name, year=calendar_year) for entry in entries],
        batch_size=500,
    )
    calendar_year.source = ScheduleSource.OFFICIAL if notice else ScheduleSource.ADMIN
    calendar_year.is_official = is_official
    calendar_year.notice = notice
    calendar_year.updated_by = by
    calendar_year.full_clean()
    calendar_year.save()
    audit.record(
        calendar_year,
        action="calendar_schedule_saved",
        by=by,
        request=request,
        detail={
            "created": created,
            "previous": previous,
            "removed_days": removed,
            "holidays": sum(entry.kind == DayKind.HOLIDAY for entry in entries),
            "workdays": sum(entry.kind == DayKind.WORKDAY for entry in entries),
            "is_official": is_official,
            "notice": notice,
        },
    )
    bump_revision()
    return calendar_year


def record_calendar_edit(*, calendar_year: CalendarYear, by, action: str, detail: dict | None = None, request=None):
    """Audit an admin edit of a year or its days and make every process reload the schedules."""
    audit.record(calendar_year, action=action, by=by, detail=detail or {}, request=request)
    bump_revision()
    return calendar_year


def warn_missing_schedules(*, today: datetime.date) -> int:
    """Tell administrators, once per year, that a schedule is missing and deadlines are provisional (DOMAIN §4)."""
    years = missing_official_years(today=today)
    if not years:
        return 0
    admins = list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=access.GROUP_NAMES[access.Role.ADMIN]))
        .distinct()
        .values_list("pk", flat=True)
    )
    link = reverse("admin:workdays_calendaryear_bulk")
    sent = 0
    for year in years:
        message = _(
            "%(year)s 年的节假日安排尚未按国务院通知录入，该年的期限暂按周末和法定节假日计算（暂定）。"
            "请在“年度节假日安排”中批量录入。"
        ) % {"year": year}
        sent += notifications.notify_users(
            admins, kind="calendar_missing", message=message, link=link, dedupe_key=f"calendar_missing:{year}"
        )
    return sent


SEED_FIRST_YEAR, SEED_LAST_YEAR = 2004, 2026


@transaction.atomic
def seed_official_schedules(*, first_year: int = SEED_FIRST_YEAR, last_year: int = SEED_LAST_YEAR) -> int:
    """Store chinesecalendar's official schedules for the years not stored yet; returns the number of years added.

    Migration 0002 does the same on a fresh database; this is for databases emptied since (transactional tests,
    ``flush``) and for the ``seed_workdays`` command.
    """
    import chinese_calendar

    present = set(CalendarYear.objects.filter(year__range=(first_year, last_year)).values_list("year", flat=True))
    wanted = [year for year in range(first_year, last_year + 1) if year not in present]
    if not wanted:
        return 0
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=ScheduleSource.CHINESECALENDAR, is_official=True) for year in wanted]
    )
    year_ids = dict(CalendarYear.objects.filter(year__in=wanted).values_list("year", "pk"))
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    rows = [
        SpecialDay(date=day, kind=DayKind.HOLIDAY, name=names.get(name, name), year_id=year_ids[day.year])
        for day, name in chinese_calendar.holidays.items()
        if day.year in year_ids
    ] + [
        SpecialDay(date=day, kind=DayKind.WORKDAY, name=names.get(name, name), year_id=year_ids[day.year])
        for day, name in chinese_calendar.workdays.items()
        if day.year in year_ids and day.weekday() >= 5  # 调休 working days fall on weekends
    ]
    SpecialDay.objects.bulk_create(rows, batch_size=500)
    bump_revision()
    return len(wanted)
