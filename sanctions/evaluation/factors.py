"""The factors of the public credit evaluation: what is counted for each subject and with which weight field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from disclosure.choices import RecordStatus, Severity
from disclosure.models import Penalty

from ..choices import EntryStatus, ListColor, RemovalReason
from ..commitments.choices import CommitmentStatus
from ..models import Commitment, ListEntry


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    weight_field: str


FACTORS: tuple[Factor, ...] = (
    Factor("penalty_minor", _("公示期内的轻微行政处罚"), "weight_penalty_minor"),
    Factor("penalty_general", _("公示期内的一般行政处罚"), "weight_penalty_general"),
    Factor("penalty_serious", _("公示期内的严重行政处罚"), "weight_penalty_serious"),
    Factor("black_entry", _("有效的黑名单记录"), "weight_black_entry"),
    Factor("red_entry", _("有效的红名单记录"), "weight_red_entry"),
    Factor("commitment_broken", _("未履行的信用承诺"), "weight_commitment_broken"),
    Factor("commitment_fulfilled", _("已履行的信用承诺"), "weight_commitment_fulfilled"),
    Factor("repair", _("完成的信用修复"), "weight_repair"),
)
FACTOR_LABELS = {factor.code: factor.label for factor in FACTORS}


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) per subject, zero when there is none."""
    counted = (
        queryset.filter(subject=OuterRef("pk")).order_by().values("subject").annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def factor_counts(*, today: date) -> dict[str, Coalesce]:
    """Annotations counting each factor over the subject's public record on ``today`` (one SQL statement)."""
    penalties = Penalty.objects.public(today=today)
    entries = ListEntry.objects.public(today=today)
    return {
        "penalty_minor": _count(penalties.filter(severity=Severity.MINOR)),
        "penalty_general": _count(penalties.filter(severity=Severity.GENERAL)),
        "penalty_serious": _count(penalties.filter(severity=Severity.SERIOUS)),
        "black_entry": _count(entries.filter(list_type__color=ListColor.BLACK)),
        "red_entry": _count(entries.filter(list_type__color=ListColor.RED)),
        "commitment_broken": _count(Commitment.objects.filter(status=CommitmentStatus.BROKEN)),
        "commitment_fulfilled": _count(Commitment.objects.filter(status=CommitmentStatus.FULFILLED)),
        # DOMAIN §8: a repair stops a penalty's publication or removes a list entry; both count as repaired.
        "repair": _count(ListEntry.objects.filter(status=EntryStatus.REMOVED, removal_reason=RemovalReason.REPAIRED))
        + _count(Penalty.objects.filter(status=RecordStatus.STOPPED_BY_REPAIR)),
    }
