"""The rules of the 双公示 standard, in one place: forms, API and import all clean a record here (DOMAIN §3).

``clean_licensing_row`` and ``clean_penalty_row`` take the API field names with plain values (text, ``date`` or
ISO text, ``Decimal`` or text, a list or ``;``-separated text of categories) and return ``(cleaned, errors)``:
``cleaned`` holds model values ready to file, ``errors`` one ``DomainError`` (field, code, Chinese message) per
failed rule. The subject block is checked by ``registry.services.parse_subject``, the one home of code checks.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError, ValidationFailed
from registry import codes
from registry.choices import IdType, SubjectCategory
from registry.services import SubjectInput, parse_subject

from .choices import (
    CONFISCATION_CATEGORIES,
    LICENCE_CATEGORIES,
    InfoScope,
    LicenceCategory,
    LicenceState,
    PenaltyCategory,
    Procedure,
    RecordKind,
    Severity,
)
from .models import INDEFINITE

SUBJECT_FIELDS = (
    "subject_name",
    "subject_category",
    "uscc",
    "registration_number",
    "organization_code",
    "tax_registration_number",
    "institution_certificate_number",
    "social_org_registration_number",
    "legal_representative",
    "id_type",
    "id_number",
)
COMMON_TEXT = {
    # field: (max length, required)
    "document_number": (100, True),
    "authority_name": (200, True),
    "content": (None, True),
    "remarks": (None, False),
}
LICENSING_TEXT = {
    "decision_document_name": (200, True),
    "licence_name": (200, False),
    "licence_number": (100, False),
}
PENALTY_TEXT = {
    "violation_type": (200, True),
    "violation_facts": (None, True),
    "legal_basis": (None, True),
    "licence_name_and_number": (300, False),
}
# Pre-2021 values of 处罚类别 (行政处罚法 before its 2021 revision): mapped, never refused (DOMAIN §3).
OLD_CATEGORY_VALUES: dict[str, tuple[str, ...]] = {
    "没收违法所得、没收非法财物": (PenaltyCategory.CONFISCATE_GAINS, PenaltyCategory.CONFISCATE_PROPERTY),
    "没收违法所得,没收非法财物": (PenaltyCategory.CONFISCATE_GAINS, PenaltyCategory.CONFISCATE_PROPERTY),
}
# 暂扣或者吊销许可证、暂扣或者吊销执照: the content says which; when it does not, both (the longer period applies).
OLD_LICENCE_VALUES = frozenset(
    {
        "暂扣或者吊销许可证、暂扣或者吊销执照",
        "暂扣或者吊销许可证",
        "暂扣或者吊销执照",
        "暂扣或吊销许可证、暂扣或吊销执照",
    }
)
CATEGORY_SEPARATORS = re.compile(r"[;；|\n]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
MAX_AMOUNT = Decimal("999999999999.999999")  # 18 digits, 6 after the point (the model's DecimalField)
# Subject blocks an import remembers as parsed (a file often names one subject on several rows).
SUBJECT_MEMO_SIZE = 10_000

RECORD_FIELDS = {
    RecordKind.LICENSING: (
        *SUBJECT_FIELDS,
        "legal_representative_id_type",
        "legal_representative_id_number",
        *COMMON_TEXT,
        "authority_uscc",
        "decision_date",
        "info_scope",
        *LICENSING_TEXT,
        "licence_category",
        "valid_from",
        "valid_to",
        "current_state",
    ),
    RecordKind.PENALTY: (
        *SUBJECT_FIELDS,
        "legal_representative_id_type",
        "legal_representative_id_number",
        *COMMON_TEXT,
        "authority_uscc",
        "decision_date",
        "info_scope",
        *PENALTY_TEXT,
        "penalty_categories",
        "fine_amount",
        "confiscated_amount",
        "penalty_valid_to",
        "severity",
        "procedure",
        "is_special_case",
    ),
}


def _error(field: str, code: str, message) -> DomainError:
    return DomainError(message, code=code, field=field)


def _text(value: Any) -> str:
    if type(value) is str:  # the common case first: called about 30 times per imported row
        return value.strip()
    if value is None:
        return ""
    return str(value).strip()


class _Cleaner:
    """Collects cleaned values and errors for one record."""

    def __init__(self, data: Mapping[str, Any], today: datetime.date, subjects: dict | None = None):
        self.data = data
        self.today = today
        self.subjects = subjects
        self.cleaned: dict[str, Any] = {}
        self.errors: list[DomainError] = []
        # The parsed subject block, kept so that bulk filing resolves subjects without parsing them again.
        self.subject_input: SubjectInput | None = None

    def add(self, field: str, code: str, message) -> None:
        self.errors.append(_error(field, code, message))

    def has_error(self, field: str) -> bool:
        return any(error.field == field for error in self.errors)

    def text(self, field: str, max_length: int | None, required: bool) -> None:
        value = _text(self.data.get(field))
        if required and not value:
            self.add(field, "required", _("请填写此项。"))
        elif max_length and len(value) > max_length:
            self.add(
                field,
                "max_length",
                _("最多%(limit)d个字符，当前为%(length)d个。") % {"limit": max_length, "length": len(value)},
            )
        self.cleaned[field] = value

    def choice(self, field: str, choices: type[models.TextChoices], *, default: str | None = None) -> None:
        value = _text(self.data.get(field))
        if not value:
            if default is None:
                self.add(field, "required", _("请填写此项。"))
            self.cleaned[field] = default or ""
            return
        parsed = parse_choice(value, choices)
        if parsed is None:
            self.add(
                field,
                "invalid_choice",
                _("“%(value)s”不是有效的取值，可用：%(allowed)s。")
                % {"value": value, "allowed": "、".join(str(label) for _code, label in choices.choices)},
            )
        self.cleaned[field] = parsed or ""

    def date(self, field: str, *, required: bool, not_future: bool) -> datetime.date | None:
        raw = self.data.get(field)
        if raw in (None, ""):
            if required:
                self.add(field, "required", _("请填写此项。"))
            self.cleaned[field] = None
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.add(
                field, "invalid_date", _("“%(value)s”不是有效日期，请按 2024-03-15 的格式填写。") % {"value": raw}
            )
        elif not_future and parsed > self.today:
            self.add(field, "future_date", _("日期不能晚于今天（%(today)s）。") % {"today": self.today.isoformat()})
        self.cleaned[field] = parsed
        return parsed

    def amount(self, field: str) -> Decimal | None:
        raw = self.data.get(field)
        if raw in (None, ""):
            self.cleaned[field] = None
            return None
        try:
            value = raw if isinstance(raw, Decimal) else Decimal(_text(raw).replace(",", ""))
        except InvalidOperation:
            self.add(
                field, "invalid_amount", _("“%(value)s”不是有效的金额，请填写以万元为单位的数字。") % {"value": raw}
            )
            self.cleaned[field] = None
            return None
        if not value.is_finite():
            self.add(
                field, "invalid_amount", _("“%(value)s”不是有效的金额，请填写以万元为单位的数字。") % {"value": raw}
            )
            value = None
        elif value < 0:
            self.add(field, "negative_amount", _("金额不能为负数。"))
        elif value > MAX_AMOUNT:
            self.add(field, "amount_too_large", _("金额过大，请确认单位为万元。"))
        elif value.as_tuple().exponent < -6 and value != value.quantize(Decimal("0.000001")):
            self.add(field, "too_many_decimals", _("金额以万元为单位，最多保留6位小数。"))
        self.cleaned[field] = value
        return value

    def code(self, field: str, *, required: bool) -> None:
        value = codes.normalise(_text(self.data.get(field)))
        self.cleaned[field] = value
        if not value:
            if required:
                self.add(field, "required", _("请填写此项。"))
            return
        check = _VALID_CODES.get(value)
        if check is None:
            check = codes.validate_uscc(value)
            if check.valid and len(_VALID_CODES) < 4096:
                _VALID_CODES[value] = check  # a valid check carries no message: the same in every language
        self.cleaned[field] = check.code
        for error in check.errors:
            self.add(field, error.code, error.message)

    def subject(self) -> None:
        """The subject block: codes, identifiers and ID numbers by the registry's rules (DOMAIN §2, §3)."""
        values = {name: _text(self.data.get(name)) for name in SUBJECT_FIELDS}
        key = tuple(values.values())
        parsed = self.subjects.get(key) if self.subjects is not None else None
        if parsed is None:
            try:
                parsed = parse_subject(
                    category=values["subject_category"],
                    name=values["subject_name"],
                    **{
                        name: values[name]
                        for name in SUBJECT_FIELDS
                        if name not in ("subject_name", "subject_category")
                    },
                )
            except ValidationFailed as failed:
                self.errors.extend(failed.errors)
                parsed = None
            except DomainError as error:
                self.errors.append(error)
                parsed = None
            if parsed is not None and self.subjects is not None:
                if len(self.subjects) >= SUBJECT_MEMO_SIZE:
                    self.subjects.clear()  # bounded: memory stays flat in the file's size
                self.subjects[key] = parsed
        self.subject_input = parsed
        if parsed is not None:
            self.cleaned.update(
                subject_name=parsed.name,
                subject_category=parsed.category,
                # As filed: the placeholder of an individual business without a code is kept (DOMAIN §2).
                uscc=parsed.uscc or codes.normalise(values["uscc"]),
                legal_representative=parsed.legal_representative,
                id_type=parsed.id_type,
                id_number=parsed.id_number,
                **parsed.identifiers,
            )
        else:
            self.cleaned.update(values)
            self.cleaned["subject_category"] = parse_choice(values["subject_category"], SubjectCategory) or ""
        # 法定代表人证件类型/号码: optional, never published (DOMAIN §3).
        number = codes.normalise_id_number(_text(self.data.get("legal_representative_id_number")))
        id_type_text = _text(self.data.get("legal_representative_id_type"))
        id_type = parse_choice(id_type_text, IdType) if id_type_text else ""
        if id_type is None:
            self.add("legal_representative_id_type", "invalid_choice", _("证件类型无效。"))
            id_type = ""
        if number:
            check = codes.validate_id_number(number, id_type=id_type or IdType.RESIDENT_ID)
            for error in check.errors:
                self.add("legal_representative_id_number", error.code, error.message)
            id_type = id_type or IdType.RESIDENT_ID
        self.cleaned["legal_representative_id_type"] = id_type
        self.cleaned["legal_representative_id_number"] = number

    def common(self) -> None:
        self.subject()
        for field, (max_length, required) in COMMON_TEXT.items():
            self.text(field, max_length, required)
        self.code("authority_uscc", required=True)
        self.date("decision_date", required=True, not_future=True)
        self.choice("info_scope", InfoScope, default=InfoScope.PUBLIC)


# Authorities' codes found valid (a file names the same few authorities on every row): checked once per process.
_VALID_CODES: dict[str, codes.CodeCheck] = {}


@lru_cache(maxsize=1)
def _category_order() -> tuple[str, ...]:
    """处罚类别 codes in the standard's order (``PenaltyCategory.values`` rebuilds its list on every call)."""
    return tuple(PenaltyCategory.values)


@lru_cache(maxsize=64)
def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Code and standard Chinese label → code; built once per code list (imports clean 100,000 rows)."""
    with translation.override("zh-hans"):  # the standard's values, whatever the interface language
        lookup = {str(label): code for code, label in choices.choices}
    lookup.update({code: code for code in choices.values})
    return lookup


def parse_choice(value: Any, choices: type[models.TextChoices]) -> str | None:
    """Our code or the standard's Chinese label → our code (DOMAIN §11); None when it is neither."""
    return _choice_lookup(choices).get(_text(value))


def parse_date(value: Any) -> datetime.date | None:
    """A real calendar date from a ``date`` or common written forms; None when it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_penalty_categories(value: Any, *, content: str = "") -> tuple[list[str], list[str]]:
    """Codes, labels or pre-2021 values → (codes in the standard's order, the values not understood)."""
    items = value if isinstance(value, list | tuple) else CATEGORY_SEPARATORS.split(_text(value))
    found: set[str] = set()
    unknown: list[str] = []
    for item in (_text(entry) for entry in items):
        if not item:
            continue
        code = parse_choice(item, PenaltyCategory)
        if code is not None:
            found.add(code)
        elif item in OLD_CATEGORY_VALUES:
            found.update(OLD_CATEGORY_VALUES[item])
        elif item in OLD_LICENCE_VALUES:
            says_suspend, says_revoke = "暂扣" in content, "吊销" in content
            if says_suspend or not says_revoke:
                found.add(PenaltyCategory.SUSPEND_LICENCE)
            if says_revoke or not says_suspend:
                found.add(PenaltyCategory.REVOKE_LICENCE)
        else:
            unknown.append(item)
    return [code for code in _category_order() if code in found], unknown


def clean_licensing_row(
    data: Mapping[str, Any], *, today: datetime.date | None = None
) -> tuple[dict[str, Any], list[DomainError]]:
    """Clean one 行政许可 record (DOMAIN §3): ``(cleaned, errors)``."""
    cleaner = _clean_licensing(data, today or timezone.localdate())
    return cleaner.cleaned, cleaner.errors


def _clean_licensing(data: Mapping[str, Any], today: datetime.date, subjects: dict | None = None) -> _Cleaner:
    cleaner = _Cleaner(data, today, subjects)
    cleaner.common()
    for field, (max_length, required) in LICENSING_TEXT.items():
        cleaner.text(field, max_length, required)
    cleaner.choice("licence_category", LicenceCategory)
    cleaner.choice("current_state", LicenceState, default=LicenceState.VALID)
    valid_from = cleaner.date("valid_from", required=True, not_future=False)
    valid_to = cleaner.date("valid_to", required=True, not_future=False)
    if valid_from and valid_to and valid_to < valid_from:
        cleaner.add("valid_to", "valid_to_before_valid_from", _("有效期至不能早于有效期自。"))
    if valid_to and valid_to > INDEFINITE:
        cleaner.add("valid_to", "valid_to_too_late", _("长期有效的许可，有效期至请填写 2099-12-31。"))
    return cleaner


def clean_penalty_row(
    data: Mapping[str, Any], *, today: datetime.date | None = None
) -> tuple[dict[str, Any], list[DomainError]]:
    """Clean one 行政处罚 record (DOMAIN §3): ``(cleaned, errors)``."""
    cleaner = _clean_penalty(data, today or timezone.localdate())
    return cleaner.cleaned, cleaner.errors


def _clean_penalty(data: Mapping[str, Any], today: datetime.date, subjects: dict | None = None) -> _Cleaner:
    cleaner = _Cleaner(data, today, subjects)
    cleaner.common()
    for field, (max_length, required) in PENALTY_TEXT.items():
        cleaner.text(field, max_length, required)
    categories, unknown = parse_penalty_categories(
        data.get("penalty_categories"), content=cleaner.cleaned.get("content", "")
    )
    for item in unknown:
        cleaner.add(
            "penalty_categories",
            "invalid_penalty_category",
            _("“%(value)s”不是有效的处罚类别，可用：%(allowed)s（多个类别用分号分隔）。")
            % {"value": item, "allowed": "、".join(str(label) for _code, label in PenaltyCategory.choices)},
        )
    if not categories and not unknown:
        cleaner.add("penalty_categories", "required", _("请至少填写一个处罚类别。"))
    cleaner.cleaned["penalty_categories"] = categories
    fine = cleaner.amount("fine_amount")
    confiscated = cleaner.amount("confiscated_amount")
    if PenaltyCategory.FINE in categories and fine is None and not cleaner.has_error("fine_amount"):
        cleaner.add("fine_amount", "fine_amount_required", _("处罚类别含“罚款”时必须填写罚款金额（万元）。"))
    if (
        CONFISCATION_CATEGORIES & set(categories)
        and confiscated is None
        and not cleaner.has_error("confiscated_amount")
    ):
        cleaner.add(
            "confiscated_amount",
            "confiscated_amount_required",
            _("处罚类别含“没收”时必须填写没收违法所得、没收非法财物的金额（万元）。"),
        )
    if LICENCE_CATEGORIES & set(categories) and not cleaner.cleaned.get("licence_name_and_number"):
        cleaner.add(
            "licence_name_and_number",
            "licence_name_required",
            _("处罚类别含“暂扣”或“吊销”时必须填写暂扣或吊销证照名称及编号。"),
        )
    decision_date = cleaner.cleaned.get("decision_date")
    valid_to = cleaner.date("penalty_valid_to", required=False, not_future=False)
    if valid_to and decision_date and valid_to < decision_date:
        cleaner.add("penalty_valid_to", "valid_to_before_decision", _("处罚有效期不能早于处罚决定日期。"))
    cleaner.choice("severity", Severity, default=Severity.GENERAL)
    cleaner.choice("procedure", Procedure, default=Procedure.ORDINARY)
    cleaner.cleaned["is_special_case"] = _boolean(data.get("is_special_case"))
    return cleaner


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in {"1", "true", "yes", "on", "是"}


CLEANERS = {RecordKind.LICENSING: clean_licensing_row, RecordKind.PENALTY: clean_penalty_row}
_CLEANERS = {RecordKind.LICENSING: _clean_licensing, RecordKind.PENALTY: _clean_penalty}


def clean_row_for_filing(
    kind: str, data: Mapping[str, Any], *, today: datetime.date, subjects: dict | None = None
) -> tuple[dict[str, Any], list[DomainError], SubjectInput | None]:
    """``clean_*_row`` plus the parsed subject block (None when it failed), for the bulk filing of imports:
    the same rules, and the subject is not parsed a second time when it is resolved.

    ``subjects``: a dict the caller keeps for one file; a subject block already parsed without error in it
    (the same cells) is taken from there (parsing is a pure function of the cells). Failed blocks are parsed
    again, so that each row gets its own errors.
    """
    cleaner = _CLEANERS[kind](data, today, subjects)
    return cleaner.cleaned, cleaner.errors, cleaner.subject_input


def clean_record(kind: str, data: Mapping[str, Any], *, today: datetime.date | None = None) -> dict[str, Any]:
    """Clean one record or raise ``ValidationFailed`` listing every failed rule."""
    cleaned, errors = CLEANERS[kind](data, today=today)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def error_fields(errors: Iterable[DomainError]) -> set[str | None]:
    return {error.field for error in errors}
