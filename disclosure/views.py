"""Clerk and reviewer pages of the 双公示 records: lists, filing and correction forms, detail, publish, withdraw,
and the compliance dashboard. Each view parses input, calls one service or selector and renders (STYLE §2.2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from credit_portal import access
from credit_portal.errors import DomainError, ValidationFailed

from . import selectors, services, transitions
from .choices import RecordKind, RecordStatus
from .filters import StaffLicensingFilter, StaffPenaltyFilter
from .forms import ComplianceFilterForm, LicensingForm, PenaltyForm, RevocationForm, WithdrawForm

PER_PAGE = 50


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    slug: str
    form: type
    filter: type

    @property
    def url_prefix(self) -> str:
        return f"disclosure-{self.code}"

    @property
    def list_url_name(self) -> str:
        return f"disclosure-{self.slug}"

    def file(self, **kwargs):
        return getattr(services, f"file_{self.code}")(**kwargs)

    def correct(self, record, **kwargs):
        return getattr(services, f"correct_{self.code}")(**{self.code: record}, **kwargs)

    def publish(self, record, **kwargs):
        return getattr(services, f"publish_{self.code}")(**{self.code: record}, **kwargs)

    def withdraw(self, record, **kwargs):
        return getattr(services, f"withdraw_{self.code}")(**{self.code: record}, **kwargs)


KINDS = {
    RecordKind.PENALTY: Kind(RecordKind.PENALTY, _("行政处罚"), "penalties", PenaltyForm, StaffPenaltyFilter),
    RecordKind.LICENSING: Kind(RecordKind.LICENSING, _("行政许可"), "licensings", LicensingForm, StaffLicensingFilter),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _require_staff(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise Http404


def _record(request: HttpRequest, kind: Kind, pk: int):
    """The record through the user's scope; outside it the same 404 as a missing one (STYLE §2.5)."""
    _require_staff(request)
    return get_object_or_404(selectors.records_for_staff(user=request.user, kind=kind.code), pk=pk)


def _add_errors(form, error: DomainError) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else [error]
    for item in errors:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))


@login_required
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    """A department's records (all departments for the credit office) with filters and deadline badges."""
    _require_staff(request)
    config = _kind(kind)
    queryset = selectors.records_for_staff(user=request.user, kind=config.code).order_by("-decision_date", "-pk")
    filterset = config.filter(request.GET or None, queryset=queryset)
    if not access.sees_all_departments(request.user):
        filterset.form.fields.pop("department", None)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/record_list.html",
        {
            "kind": config,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_file": request.user.has_perm(f"disclosure.add_{config.code}") and access.is_clerk(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    """File a record for the clerk's department; errors come from the validation module, per field."""
    config = _kind(kind)
    if not (access.is_clerk(request.user) and request.user.department_id):
        raise Http404
    form = config.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = config.file(by=request.user, department=request.user.department, data=form.record_data())
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("记录已保存，请在期限内公示。"))
            return redirect(record.get_absolute_url())
    return render(request, "disclosure/record_form.html", {"kind": config, "form": form, "record": None})


@login_required
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Correct a draft in place, or a published record as a new version (history kept, upstream told)."""
    config = _kind(kind)
    record = _record(request, config, pk)
    if not (access.is_clerk(request.user) and record.department_id == request.user.department_id):
        raise Http404
    if record.status not in transitions.CORRECTABLE:
        messages.error(request, gettext("该记录已关闭，不能修改。"))
        return redirect(record.get_absolute_url())
    form = config.form(request.POST or None, instance=record, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            record = config.correct(
                record, by=request.user, changes=form.record_data(), reason=form.cleaned_data.get("reason", "")
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("记录已更新。"))
            return redirect(record.get_absolute_url())
    return render(request, "disclosure/record_form.html", {"kind": config, "form": form, "record": record})


@login_required
def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One record with its versions, audit trail and upstream delivery status."""
    config = _kind(kind)
    record = _record(request, config, pk)
    is_own_clerk = access.is_clerk(request.user) and record.department_id == request.user.department_id
    return render(
        request,
        "disclosure/record_detail.html",
        {
            "kind": config,
            "record": record,
            "versions": selectors.record_versions(record),
            "audit_events": selectors.record_audit_events(record),
            "outbox_events": selectors.record_outbox_events(record)[:20],
            "may_publish": is_own_clerk
            and transitions.can_move(record, RecordStatus.PUBLISHED)
            and request.user.has_perm(f"disclosure.publish_{config.code}"),
            "may_withdraw": is_own_clerk
            and transitions.can_move(record, RecordStatus.WITHDRAWN)
            and request.user.has_perm(f"disclosure.withdraw_{config.code}"),
            "may_edit": is_own_clerk and record.status in transitions.CORRECTABLE,
            "revocation_form": RevocationForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def record_publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    config = _kind(kind)
    record = _record(request, config, pk)
    if not request.user.has_perm(f"disclosure.publish_{config.code}"):
        raise Http404
    try:
        record = config.publish(record, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, gettext("记录已公示，并已排队报送上级平台。"))
    return redirect(record.get_absolute_url())


@login_required
def record_withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Withdraw (撤销) a record with its reason and document."""
    config = _kind(kind)
    record = _record(request, config, pk)
    if not request.user.has_perm(f"disclosure.withdraw_{config.code}"):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = config.withdraw(
                record,
                by=request.user,
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data["document"],
                revoked_on=form.cleaned_data["revoked_on"],
            )
        except ValidationFailed as failed:
            for item in failed.errors:
                field = {"withdrawal_reason": "reason", "withdrawal_document": "document"}.get(item.field, item.field)
                form.add_error(field if field in form.fields else None, str(item.message))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, gettext("记录已撤销。"))
            return redirect(record.get_absolute_url())
    return render(request, "disclosure/record_withdraw.html", {"kind": config, "record": record, "form": form})


@login_required
@require_POST
def record_revocation(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Note that a published decision was revoked or changed: the 3-working-day clock starts (DOMAIN §4)."""
    config = _kind(kind)
    record = _record(request, config, pk)
    if not request.user.has_perm(f"disclosure.withdraw_{config.code}"):
        raise Http404
    form = RevocationForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写决定被撤销或变更的日期。"))
        return redirect(record.get_absolute_url())
    try:
        record = getattr(services, f"note_{config.code}_revocation")(
            **{config.code: record}, by=request.user, revoked_on=form.cleaned_data["revoked_on"]
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            gettext("已登记。请在%(date)s前撤销或更正该记录。") % {"date": record.withdrawal_due_date.isoformat()},
        )
    return redirect(record.get_absolute_url())


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """合规率 per department: on time, late, overdue; a clerk sees their own department, the credit office all."""
    _require_staff(request)
    form = ComplianceFilterForm(request.GET or None)
    date_from = date_to = None
    if form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    rows = selectors.compliance_by_department(user=request.user, date_from=date_from, date_to=date_to)
    today = timezone.localdate()
    return render(
        request,
        "disclosure/compliance.html",
        {
            "form": form,
            "rows": rows,
            "totals": selectors.compliance_totals(rows),
            "per_month": selectors.records_per_month(
                user=request.user, since=datetime.date(today.year - 1, today.month, 1)
            ),
            "overdue": selectors.overdue_records(user=request.user, limit=100),
            "sees_all": access.sees_all_departments(request.user),
        },
    )
