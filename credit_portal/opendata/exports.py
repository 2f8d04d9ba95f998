"""The open-data files: datasets, their public fields, and streaming writers for csv and JSON Lines (issue 12).

Rows are the public API's own serializers applied to its own public querysets, so a file says exactly what the
public API says (DOMAIN §3, §10): no ID number, a natural person's name masked, free text scrubbed.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.api.public_views import PublicLicensingDetailSerializer, PublicPenaltyDetailSerializer
from disclosure.models import Licensing, Penalty
from disclosure.public_search import PUBLIC_LICENSING_FIELDS, PUBLIC_PENALTY_FIELDS
from sanctions.api.serializers import PublicListEntryDetailSerializer
from sanctions.selectors import public_list_entries

from .models import ChangeEvent

CHUNK = 2000
# OWASP "CSV injection": a cell a spreadsheet would read as a formula is prefixed with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    rows: Callable[[datetime.date], Iterator[dict]]
    columns: Callable[[], list[str]]


def _serialized(queryset: QuerySet, serializer) -> Iterator[dict]:
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield serializer(obj).data


def penalty_rows(day: datetime.date) -> Iterator[dict]:
    """Penalties in publication on the day, in id order."""
    queryset = (
        Penalty.objects.public(today=day).select_related("department").only(*PUBLIC_PENALTY_FIELDS).order_by("pk")
    )
    return _serialized(queryset, PublicPenaltyDetailSerializer)


def licensing_rows(day: datetime.date) -> Iterator[dict]:
    """Licensings valid and public on the day, in id order."""
    queryset = (
        Licensing.objects.public(today=day).select_related("department").only(*PUBLIC_LICENSING_FIELDS).order_by("pk")
    )
    return _serialized(queryset, PublicLicensingDetailSerializer)


def list_entry_rows(day: datetime.date) -> Iterator[dict]:
    """List entries published and current on the day, in id order."""
    return _serialized(public_list_entries(today=day).order_by("pk"), PublicListEntryDetailSerializer)


def changes_of_day(day: datetime.date) -> QuerySet[ChangeEvent]:
    """The feed's events that occurred on the (local) day: the daily delta."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return ChangeEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=start + datetime.timedelta(days=1))


def change_row(event: ChangeEvent) -> dict:
    return {
        "id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "kind": event.kind,
        "action": event.action,
        "object_id": event.object_id,
        "uscc": event.uscc,
        "summary": event.summary,
    }


def change_rows(day: datetime.date) -> Iterator[dict]:
    for event in changes_of_day(day).order_by("pk").iterator(chunk_size=CHUNK):
        yield change_row(event)


CHANGE_COLUMNS = ["id", "occurred_at", "kind", "action", "object_id", "uscc", "summary"]


def _fields(serializer) -> Callable[[], list[str]]:
    return lambda: list(serializer().fields)


DATASETS = (
    Dataset("penalties", _("行政处罚"), penalty_rows, _fields(PublicPenaltyDetailSerializer)),
    Dataset("licensings", _("行政许可"), licensing_rows, _fields(PublicLicensingDetailSerializer)),
    Dataset("list_entries", _("红黑名单"), list_entry_rows, _fields(PublicListEntryDetailSerializer)),
    Dataset("changes", _("当日变化"), change_rows, lambda: list(CHANGE_COLUMNS)),
)


def safe_cell(value) -> str:
    """A csv cell: lists joined with ';' (DOMAIN §3), objects as JSON, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(item) for item in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write(path: Path, *, dataset: Dataset, fmt: str, day: datetime.date) -> int:
    """Stream one dataset into one file; returns the number of data rows."""
    count = 0
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for row in dataset.rows(day):
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                count += 1
        return count
    # UTF-8 with BOM: spreadsheet programs then read the Chinese text right.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        header = dataset.columns()
        writer.writerow(header)
        for row in dataset.rows(day):
            writer.writerow([safe_cell(row.get(name)) for name in header])
            count += 1
    return count


# The format description on the public page: each column's meaning, after the standard's field names (DOMAIN §3).
FIELD_LABELS = {
    "id": _("记录编号（本平台，稳定）"),
    "subject_name": _("行政相对人名称（自然人姓名已脱敏）"),
    "subject_category": _("行政相对人类别代码"),
    "subject_category_label": _("行政相对人类别"),
    "uscc": _("统一社会信用代码（自然人为空）"),
    "legal_representative": _("法定代表人（自然人为空）"),
    "document_number": _("决定文书号"),
    "decision_date": _("决定日期"),
    "authority_name": _("决定机关"),
    "authority_uscc": _("决定机关统一社会信用代码"),
    "department": _("数据来源单位"),
    "department_uscc": _("数据来源单位统一社会信用代码"),
    "published_at": _("公示时间"),
    "is_under_objection": _("异议处理中"),
    "notice": _("提示"),
    "violation_type": _("违法行为类型"),
    "penalty_categories": _("处罚类别代码（以 ; 分隔）"),
    "penalty_category_labels": _("处罚类别（以 ; 分隔）"),
    "fine_amount": _("罚款金额（万元）"),
    "confiscated_amount": _("没收违法所得、没收非法财物的金额（万元）"),
    "licence_name_and_number": _("暂扣或吊销证照名称及编号"),
    "severity": _("失信严重程度代码"),
    "severity_label": _("失信严重程度"),
    "publication_end_date": _("公示截止期"),
    "violation_facts": _("违法事实"),
    "legal_basis": _("处罚依据 / 名单设列依据"),
    "content": _("处罚或许可内容"),
    "remarks": _("备注"),
    "penalty_valid_to": _("处罚有效期"),
    "decision_document_name": _("行政许可决定文书名称"),
    "licence_category": _("许可类别代码"),
    "licence_category_label": _("许可类别"),
    "licence_name": _("许可证书名称"),
    "licence_number": _("许可编号"),
    "valid_from": _("有效期自"),
    "valid_to": _("有效期至"),
    "current_state": _("当前状态代码"),
    "current_state_label": _("当前状态"),
    "list_type": _("名单类型代码"),
    "list_type_name": _("名单类型"),
    "color": _("红名单或黑名单代码"),
    "color_label": _("红名单或黑名单"),
    "reason": _("列入事由"),
    "decision_document_number": _("认定决定书文号"),
    "issuing_authority": _("名单设列机关"),
    "early_removal_rule": _("提前移出规则"),
    "occurred_at": _("变化发生时间"),
    "kind": _("数据类别：licensing / penalty / list_entry / grade（公共信用综合评价等级）"),
    "action": _(
        "变化：published / corrected / withdrawn / expired / repaired / listed / removed / "
        "objection_opened（异议处理中）/ objection_closed（异议办结）/ grade_changed（等级变化）"
    ),
    "object_id": _("所涉记录编号（等级变化为主体编号）"),
    "summary": _("公开摘要（JSON）"),
}


def field_table() -> list[dict]:
    """Datasets with their columns and meanings, for the public format description."""
    return [
        {
            "name": dataset.name,
            "label": dataset.label,
            "fields": [(column, FIELD_LABELS.get(column, "")) for column in dataset.columns()],
        }
        for dataset in DATASETS
    ]
