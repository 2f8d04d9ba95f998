"""Columns of the national 双公示 import template: one definition for parsing, templates and error reports (DOMAIN §3)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

LICENSING = "licensing"
PENALTY = "penalty"
KINDS = (LICENSING, PENALTY)


@dataclass(frozen=True)
class Column:
    """One template column: the API field it fills, its header, the other headers accepted for it."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    # A required column must be present in the file; values required only in some cases (a code for legal
    # entities, a fine amount with 罚款) are checked per row by the validation module instead.
    required: bool = False
    # Computed by the portal (公示截止期): accepted in a file, never read.
    ignored: bool = False
    kinds: tuple[str, ...] = field(default=KINDS)


def _identifier(number: int, name: str, api_name: str) -> Column:
    # DOMAIN §3: short headers (统一社会信用代码) and the long forms 行政相对人代码_1（统一社会信用代码） are both accepted.
    return Column(api_name, name, aliases=(f"行政相对人代码_{number}（{name}）", f"行政相对人代码_{number}"))


SUBJECT_COLUMNS: tuple[Column, ...] = (
    Column("subject_name", "行政相对人名称", required=True),
    Column("subject_category", "行政相对人类别", required=True),
    _identifier(1, "统一社会信用代码", "uscc"),
    _identifier(2, "工商注册号", "registration_number"),
    _identifier(3, "组织机构代码", "organization_code"),
    _identifier(4, "税务登记号", "tax_registration_number"),
    _identifier(5, "事业单位证书号", "institution_certificate_number"),
    _identifier(6, "社会组织登记证号", "social_org_registration_number"),
    Column("legal_representative", "法定代表人", aliases=("法定代表人（负责人、经营者）",)),
    Column("legal_representative_id_type", "法定代表人证件类型"),
    Column("legal_representative_id_number", "法定代表人证件号码"),
    Column("id_type", "证件类型"),
    Column("id_number", "证件号码"),
    # The error column of the downloaded copy of a file's bad rows: the corrected copy imports as it is.
    Column("import_errors", "错误说明", ignored=True),
)

LICENSING_COLUMNS: tuple[Column, ...] = (
    Column("decision_document_name", "行政许可决定文书名称", required=True),
    Column("document_number", "行政许可决定文书号", required=True),
    Column("licence_category", "许可类别", required=True),
    Column("licence_name", "许可证书名称"),
    Column("licence_number", "许可编号"),
    Column("content", "许可内容", required=True),
    Column("decision_date", "许可决定日期", required=True),
    Column("valid_from", "有效期自", required=True),
    Column("valid_to", "有效期至", required=True),
    Column("authority_name", "许可机关", required=True),
    Column("authority_uscc", "许可机关统一社会信用代码", aliases=("许可机关代码",), required=True),
    Column("current_state", "当前状态"),
    Column("info_scope", "信息使用范围"),
    Column("source_department_name", "数据来源单位"),
    Column("source_department_uscc", "数据来源单位统一社会信用代码", aliases=("数据来源单位代码",)),
    Column("remarks", "备注"),
)

PENALTY_COLUMNS: tuple[Column, ...] = (
    Column("document_number", "行政处罚决定书文号", required=True),
    Column("violation_type", "违法行为类型", required=True),
    Column("violation_facts", "违法事实", required=True),
    Column("legal_basis", "处罚依据", required=True),
    Column("penalty_categories", "处罚类别", required=True),
    Column("content", "处罚内容", required=True),
    Column("fine_amount", "罚款金额（万元）", aliases=("罚款金额",)),
    Column(
        "confiscated_amount",
        "没收违法所得、没收非法财物的金额（万元）",
        aliases=("没收违法所得、没收非法财物的金额", "没收金额（万元）"),
    ),
    Column("licence_name_and_number", "暂扣或吊销证照名称及编号"),
    Column("decision_date", "处罚决定日期", required=True),
    Column("penalty_valid_to", "处罚有效期"),
    Column("publication_end_date", "公示截止期", ignored=True),
    Column("authority_name", "处罚机关", required=True),
    Column("authority_uscc", "处罚机关统一社会信用代码", aliases=("处罚机关代码",), required=True),
    Column("source_department_name", "数据来源单位"),
    Column("source_department_uscc", "数据来源单位统一社会信用代码", aliases=("数据来源单位代码",)),
    Column("remarks", "备注"),
    Column("severity", "失信严重程度"),
    Column("procedure", "案件程序类别"),
    Column("is_special_case", "特定严重失信情形", aliases=("是否特定严重失信情形",)),  # 是/否 (DOMAIN §5, 2019 rules)
    Column("info_scope", "信息使用范围"),
)

DATE_FIELDS = frozenset({"decision_date", "valid_from", "valid_to", "penalty_valid_to", "publication_end_date"})
AMOUNT_FIELDS = frozenset({"fine_amount", "confiscated_amount"})

KIND_LABELS = {LICENSING: _("行政许可"), PENALTY: _("行政处罚")}
# DOMAIN §11: code lists accept our code and the standard's Chinese value alike.
KIND_ALIASES = {LICENSING: LICENSING, PENALTY: PENALTY, "行政许可": LICENSING, "行政处罚": PENALTY}


def columns_for(kind: str) -> tuple[Column, ...]:
    """The template's columns for a record kind, subject block first."""
    return SUBJECT_COLUMNS + (LICENSING_COLUMNS if kind == LICENSING else PENALTY_COLUMNS)


def normalise_header(text: object) -> str:
    """Compare headers loosely: full-width forms, spaces, a leading or trailing * (mandatory mark) do not count."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return "".join(value.split()).strip("*")


def header_lookup(kind: str) -> dict[str, Column]:
    """Every accepted header spelling → its column."""
    lookup: dict[str, Column] = {}
    for column in columns_for(kind):
        for spelling in (column.header, *column.aliases):
            lookup[normalise_header(spelling)] = column
    return lookup


def label_of(kind: str, field_name: str | None) -> str:
    """The Chinese header of an API field, for error pages and reports."""
    for column in columns_for(kind):
        if column.field == field_name:
            return column.header
    return field_name or ""
