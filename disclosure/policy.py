"""Publication policy: deadlines and publication periods, read from the administrators' tables (DOMAIN §4, §5).

Nothing here is a literal rule: the number of working days, the periods per severity and category and the cap
come from ``DeadlinePolicy``, ``PublicationPeriodRule`` and settings, each effective-dated. A ``PolicyBook`` loads
the tables once, so a batch of 100,000 rows costs two queries; the module functions build one per call.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from django.conf import settings

from credit_portal.workdays import services as workdays

from .choices import DeadlineKind, RecordKind, Timeliness
from .models import DeadlinePolicy, Licensing, Penalty, PublicationPeriodRule

# Local regulations cap the display of negative information at 5 years (DOMAIN §5); a setting may lower it.
DEFAULT_MAX_PUBLICATION_MONTHS = 60


@dataclass(frozen=True)
class Period:
    """What the rule set in force on the decision date says about one penalty (DOMAIN §5)."""

    is_publishable: bool
    shortest_months: int
    longest_months: int
    is_repairable: bool


def max_publication_months() -> int:
    return int(getattr(settings, "DISCLOSURE_MAX_PUBLICATION_MONTHS", DEFAULT_MAX_PUBLICATION_MONTHS))


class PolicyBook:
    """The deadline and period tables, loaded once."""

    def __init__(self) -> None:
        self.deadlines = list(DeadlinePolicy.objects.order_by("effective_from", "pk"))
        self.rules = list(PublicationPeriodRule.objects.order_by("effective_from", "pk"))
        self._periods: dict[tuple, Period] = {}

    def deadline_policy(
        self, *, department_id: int | None, kind: str, on: datetime.date, deadline: str = DeadlineKind.PUBLICATION
    ) -> DeadlinePolicy | None:
        """The row in force on ``on``: the department's own before the general one, the latest effective first."""
        candidates = [
            row
            for row in self.deadlines
            if row.record_kind == kind and row.deadline == deadline and row.department_id in (None, department_id)
        ]
        if not candidates:
            return None
        in_force = [row for row in candidates if row.effective_from <= on] or [candidates[0]]  # older dates: first row
        own = [row for row in in_force if row.department_id == department_id and department_id is not None]
        return (own or [row for row in in_force if row.department_id is None] or in_force)[-1]

    def deadline_days(
        self, *, department_id: int | None, kind: str, on: datetime.date, deadline: str = DeadlineKind.PUBLICATION
    ) -> int:
        row = self.deadline_policy(department_id=department_id, kind=kind, on=on, deadline=deadline)
        if row is None:
            raise PolicyMissing(kind, deadline)
        return row.working_days

    def reminder_days(self, *, department_id: int | None, kind: str, on: datetime.date) -> int:
        row = self.deadline_policy(department_id=department_id, kind=kind, on=on)
        return row.reminder_days if row is not None else 0

    def rule_set(self, on: datetime.date) -> list[PublicationPeriodRule]:
        """Rows of the latest rule set in force on ``on`` (the earliest set for older decisions)."""
        if not self.rules:
            return []
        dates = sorted({row.effective_from for row in self.rules})
        in_force = [day for day in dates if day <= on]
        effective = in_force[-1] if in_force else dates[0]
        return [row for row in self.rules if row.effective_from == effective]

    def period(
        self,
        *,
        decision_date: datetime.date,
        categories: list[str],
        severity: str,
        procedure: str,
        is_special_case: bool,
    ) -> Period:
        """The penalty's period: several categories take the longest (DOMAIN §5), capped by the 5-year limit."""
        key = (decision_date, tuple(categories), severity, procedure, is_special_case)
        if key in self._periods:
            return self._periods[key]
        rows = self.rule_set(decision_date)

        def matches(row: PublicationPeriodRule) -> bool:
            return (
                (not row.severity or row.severity == severity)
                and (not row.procedure or row.procedure == procedure)
                and (not row.is_special_case or is_special_case)
            )

        matching = [
            row for row in rows if matches(row) and (not row.penalty_category or row.penalty_category in categories)
        ]
        # Not published only when every category of the decision is one the rules keep unpublished (2026 rules).
        unpublished = {row.penalty_category for row in matching if not row.is_published and row.penalty_category}
        if categories and set(categories) <= unpublished:
            period = Period(is_publishable=False, shortest_months=0, longest_months=0, is_repairable=True)
        else:
            published = [row for row in matching if row.is_published]
            cap = max_publication_months()
            if published:
                longest = min(max(row.longest_months for row in published), cap)
                shortest = min(max(row.shortest_months for row in published), longest)
                repairable = all(row.is_repairable for row in published)
            else:  # no row applies: the cap, the safe side for the public, until an administrator adds one
                longest, shortest, repairable = cap, 0, True
            period = Period(
                is_publishable=True, shortest_months=shortest, longest_months=longest, is_repairable=repairable
            )
        self._periods[key] = period
        return period

    def penalty_period(self, penalty: Penalty) -> Period:
        return self.period(
            decision_date=penalty.decision_date,
            categories=list(penalty.penalty_categories),
            severity=penalty.severity,
            procedure=penalty.procedure,
            is_special_case=penalty.is_special_case,
        )


class PolicyMissing(LookupError):
    def __init__(self, kind: str, deadline: str):
        super().__init__(f"no DeadlinePolicy for {kind}/{deadline}")


@lru_cache(maxsize=16384)
def _add_months(day: datetime.date, months: int) -> datetime.date:
    # A pure function of two immutable values, cached: an import of 100,000 rows has a few hundred decision dates.
    return day + relativedelta(months=months)


def deadline_days(department, kind: str, on: datetime.date, *, deadline: str = DeadlineKind.PUBLICATION) -> int:
    """Working days a department has to publish (or withdraw) a record decided on ``on`` (DOMAIN §4)."""
    return PolicyBook().deadline_days(
        department_id=getattr(department, "pk", department), kind=kind, on=on, deadline=deadline
    )


def publication_due(record: Licensing | Penalty, *, book: PolicyBook | None = None) -> workdays.Due:
    """The 7th (per policy) working day after the decision day, the decision day not counted (DOMAIN §4)."""
    book = book or PolicyBook()
    days = book.deadline_days(department_id=record.department_id, kind=record.record_kind, on=record.decision_date)
    return workdays.add_working_days(record.decision_date, days)


def withdrawal_due(record: Licensing | Penalty, *, revoked_on: datetime.date) -> workdays.Due:
    """3 working days (per policy) after a revocation to withdraw or correct (DOMAIN §4)."""
    days = deadline_days(record.department_id, record.record_kind, revoked_on, deadline=DeadlineKind.REVOCATION)
    return workdays.add_working_days(revoked_on, days)


def apply_period(record: Licensing | Penalty, *, book: PolicyBook | None = None) -> None:
    """Set is_publishable, publication_end_date and (penalties) shortest_end_date, is_repairable in memory."""
    for name, value in period_columns(record.record_kind, _Attributes(record), book=book).items():
        setattr(record, name, value)


class _Attributes:
    """A model instance read like a row: ``values["decision_date"]`` (deferred fields still load)."""

    def __init__(self, record):
        self.record = record

    def __getitem__(self, name: str):
        return getattr(self.record, name)


def period_columns(kind: str, values, *, book: PolicyBook | None = None) -> dict:
    """``apply_period``'s columns from a record's column values (a mapping: a row being filed, or a record)."""
    if kind == RecordKind.LICENSING:
        # DOMAIN §5: licences are shown while valid
        return {"is_publishable": True, "publication_end_date": values["valid_to"]}
    return penalty_period_columns(
        book or PolicyBook(),
        decision_date=values["decision_date"],
        categories=list(values["penalty_categories"]),
        severity=values["severity"],
        procedure=values["procedure"],
        is_special_case=values["is_special_case"],
    )


def penalty_period_columns(
    book: PolicyBook,
    *,
    decision_date: datetime.date,
    categories: list[str],
    severity: str,
    procedure: str,
    is_special_case: bool,
) -> dict:
    """is_publishable, is_repairable, publication_end_date and shortest_end_date of a penalty (DOMAIN §5)."""
    period = book.period(
        decision_date=decision_date,
        categories=categories,
        severity=severity,
        procedure=procedure,
        is_special_case=is_special_case,
    )
    if period.is_publishable:
        return {
            "is_publishable": True,
            "is_repairable": period.is_repairable,
            "publication_end_date": _add_months(decision_date, period.longest_months),
            "shortest_end_date": _add_months(decision_date, period.shortest_months),
        }
    return {
        "is_publishable": False,
        "is_repairable": period.is_repairable,
        "publication_end_date": None,
        "shortest_end_date": None,
    }


def publication_end_date(record: Licensing | Penalty) -> datetime.date | None:
    """End of the longest period (penalties) or of validity (licences) (DOMAIN §5)."""
    apply_period(record)
    return record.publication_end_date


def shortest_end_date(record: Penalty) -> datetime.date | None:
    """End of the shortest period: from then on the subject may apply for repair (DOMAIN §5, §8)."""
    apply_period(record)
    return getattr(record, "shortest_end_date", None)


def is_publishable(record: Licensing | Penalty) -> bool:
    """False for penalties the rules keep unpublished (warning or 通报批评 only, simple procedure, 2026 rules)."""
    apply_period(record)
    return record.is_publishable


def timeliness(
    record: Licensing | Penalty, *, published_on: datetime.date | None = None, today: datetime.date | None = None
) -> str:
    """On time, late (迟报) or, unpublished, pending or overdue against the due date (DOMAIN §4)."""
    return timeliness_of(
        is_publishable=record.is_publishable, due=record.publication_due_date, published_on=published_on, today=today
    )


def timeliness_of(
    *,
    is_publishable: bool,
    due: datetime.date | None,
    published_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> str:
    """``timeliness`` from the plain values (bulk filing works on rows, not model instances)."""
    if not is_publishable:
        return Timeliness.NOT_REQUIRED
    if due is None:
        return Timeliness.PENDING
    if published_on is not None:
        return Timeliness.ON_TIME if published_on <= due else Timeliness.LATE
    if today is not None and today > due:
        return Timeliness.OVERDUE
    return Timeliness.PENDING
