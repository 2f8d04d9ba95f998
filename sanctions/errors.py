"""Refusals of the sanctions app, each with a stable code (STYLE §2.4)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError


class ErrorCode:
    """Stable machine-readable codes of this app (saleor keeps one enum per app)."""

    OVERLAPPING_ENTRY = "overlapping_entry"
    LIST_TYPE_INACTIVE = "list_type_inactive"
    WRONG_LIST_COLOR = "wrong_list_color"
    STATEMENT_PERIOD_RUNNING = "statement_period_running"
    PUBLIC_NOTICE_RUNNING = "public_notice_running"
    VALIDITY_INVALID = "validity_invalid"
    REPAIR_NOT_ALLOWED = "repair_not_allowed"
    UNKNOWN_MATTER = "unknown_matter"
    TOO_MANY_SUBJECTS = "too_many_subjects"
    NO_SUBJECTS = "no_subjects"
    INVALID_CODE = "invalid_code"
    UNKNOWN_SUBJECT = "unknown_subject"
    REASON_REQUIRED = "reason_required"
    MEASURE_NOT_IN_RESULT = "measure_not_in_result"
    UNKNOWN_ITEM = "unknown_item"
    UNKNOWN_OUTCOME = "unknown_outcome"
    BAD_FILE = "bad_file"


class SanctionsError(DomainError):
    code = "sanctions_error"


class OverlappingEntry(SanctionsError):
    code = ErrorCode.OVERLAPPING_ENTRY
    default_message = _("该主体已有同一名单类型的在办或有效记录，不能重复列入；请先处理原记录。")
