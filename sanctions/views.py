"""Pages of the sanctions app: public 红黑名单, staff list entries, credit checks, feedback, statistics."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from credit_portal import access
from credit_portal.errors import DomainError, NotFound, ValidationFailed
from credit_portal.paginators import CappedPaginator
from credit_portal.spreadsheets import csv_row, xlsx_row
from registry import codes as subject_codes
from registry import services as registry_services
from registry.models import Subject

from . import forms, selectors, services, transitions, uploads
from .choices import BusinessMatter, CheckItemStatus, CheckSource, EntryStatus, FeedbackOutcome, ListColor
from .filters import PublicListEntryFilter, StaffListEntryFilter

PAGE_SIZE = 20
ITEMS_PER_PAGE = 100


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _require_staff(request: HttpRequest, *roles: str) -> None:
    if access.role_of(request.user) not in (roles or (access.Role.CLERK, access.Role.REVIEWER, access.Role.ADMIN)):
        raise DjangoPermissionDenied


def _form_errors(form, error: DomainError) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else [error]
    for item in errors:
        field = item.field if item.field in form.fields else None
        form.add_error(field, str(item.message))


# --- Public --------------------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    """红黑名单查询: current published entries, by name or code, list type and colour (DOMAIN §6)."""
    form = forms.PublicListSearchForm(request.GET or None)
    params = request.GET.copy()
    filterset = PublicListEntryFilter(params, queryset=selectors.public_list_entries())
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sanctions/public_list.html",
        {"form": form, "page": page, "query": _query_without_page(request), "colors": ListColor},
    )


def public_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One current entry with its list type's basis, validity and removal rule."""
    entry = get_object_or_404(selectors.public_list_entries(), pk=pk)
    return render(request, "sanctions/public_entry.html", {"entry": entry})


# --- Staff: list entries -------------------------------------------------------------------------------------


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    """红黑名单管理: the entries the user may see, with their workflow status."""
    _require_staff(request)
    filterset = StaffListEntryFilter(request.GET or None, queryset=selectors.list_entries_for_staff(user=request.user))
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sanctions/entries.html",
        {
            "filterset": filterset,
            "page": page,
            "query": _query_without_page(request),
            "statuses": EntryStatus.choices,
            "can_propose": access.is_clerk(request.user),
        },
    )


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """A clerk proposes a subject for a list (DOMAIN §6)."""
    _require_staff(request, access.Role.CLERK)
    form = forms.ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = Subject.objects.filter(uscc=subject_codes.normalise(data["uscc"])).first()
            if subject is None:
                subject = registry_services.resolve_subject(
                    by=request.user,
                    category=data["subject_category"],
                    name=data["subject_name"],
                    uscc=data["uscc"],
                    legal_representative=data["legal_representative"],
                )
            entry = services.propose_listing(
                by=request.user,
                department=request.user.department,
                list_type=data["list_type"],
                subject=subject,
                reason=data["reason"],
                facts=data["facts"],
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, gettext("已提出列入建议。"))
            return redirect("sanctions-entry", pk=entry.pk)
    return render(request, "sanctions/propose.html", {"form": form})


ACTIONS = {
    # action: (form, service, target status, roles)
    "serve-notice": (forms.NoticeForm, services.serve_notice, EntryStatus.NOTICE_SERVED, (access.Role.CLERK,)),
    "record-statement": (
        forms.StatementForm,
        services.record_statement,
        EntryStatus.STATEMENT_RECORDED,
        (access.Role.CLERK,),
    ),
    "decide": (
        forms.DecideForm,
        services.decide_listing,
        EntryStatus.DECIDED,
        (access.Role.REVIEWER, access.Role.ADMIN),
    ),
    "reject": (
        forms.RejectForm,
        services.reject_listing,
        EntryStatus.REJECTED,
        (access.Role.REVIEWER, access.Role.ADMIN),
    ),
    "start-public-notice": (
        forms.PublicNoticeForm,
        services.start_public_notice,
        EntryStatus.PUBLIC_NOTICE,
        (access.Role.REVIEWER, access.Role.ADMIN),
    ),
    "publish": (
        forms.PublishForm,
        services.publish_listing,
        EntryStatus.PUBLISHED,
        (access.Role.REVIEWER, access.Role.ADMIN),
    ),
    "remove": (
        forms.RemoveForm,
        services.remove_listing,
        EntryStatus.REMOVED,
        (access.Role.REVIEWER, access.Role.ADMIN),
    ),
}

ACTION_LABELS = {
    "serve-notice": _("送达告知书"),
    "record-statement": _("记录陈述申辩"),
    "decide": _("作出列入决定"),
    "reject": _("不予列入"),
    "start-public-notice": _("开始公示"),
    "publish": _("公开"),
    "remove": _("移出名单"),
}


def _available_actions(entry, user) -> list[dict]:
    role = access.role_of(user)
    available = []
    for name, (form_class, _service, target, roles) in ACTIONS.items():
        if role in roles and transitions.can_move(entry, target):
            if name == "publish" and entry.is_red and entry.status != EntryStatus.PUBLIC_NOTICE:
                continue
            available.append({"name": name, "label": ACTION_LABELS[name], "form": form_class(prefix=name)})
    return available


def _staff_entry(request: HttpRequest, pk: int):
    queryset = selectors.list_entries_for_staff(user=request.user).prefetch_related("steps__by")
    return get_object_or_404(queryset, pk=pk)


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry: its steps with dates, people and documents, and the next actions the user may take."""
    _require_staff(request)
    entry = _staff_entry(request, pk)
    return render(
        request, "sanctions/entry.html", {"entry": entry, "actions": _available_actions(entry, request.user)}
    )


@login_required
@require_POST
def entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow step from the entry page."""
    if action not in ACTIONS:
        raise Http404
    form_class, service, _target, roles = ACTIONS[action]
    _require_staff(request, *roles)
    entry = _staff_entry(request, pk)
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "") or key == "note"}
        try:
            service(entry=entry, by=request.user, **data)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, gettext("已办理：%(action)s。") % {"action": ACTION_LABELS[action]})
    else:
        messages.error(
            request, pgettext("list separator", "；").join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("sanctions-entry", pk=entry.pk)


# --- Staff: credit checks ------------------------------------------------------------------------------------


@login_required
def credit_check(request: HttpRequest) -> HttpResponse:
    """信用核查: the single/batch form and upload (clerks) and the history of checks."""
    _require_staff(request, access.Role.CLERK, access.Role.REVIEWER, access.Role.ADMIN)
    is_clerk = access.is_clerk(request.user)
    form = forms.CreditCheckForm(request.POST or None, prefix="check")
    upload_form = forms.CheckUploadForm(prefix="upload")
    if request.method == "POST" and is_clerk and form.is_valid():
        try:
            check, _results = services.run_credit_check(
                by=request.user,
                matter=form.cleaned_data["matter"],
                codes=form.cleaned_data["codes"],
                purpose=form.cleaned_data["purpose"],
                source=CheckSource.PAGE,
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("sanctions-check-detail", pk=check.pk)
    history = Paginator(selectors.credit_checks_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sanctions/credit_check.html",
        {"form": form, "upload_form": upload_form, "history": history, "is_clerk": is_clerk},
    )


@login_required
@require_POST
def credit_check_upload(request: HttpRequest) -> HttpResponse:
    """A batch check from an uploaded csv/xlsx of codes."""
    _require_staff(request, access.Role.CLERK)
    upload_form = forms.CheckUploadForm(request.POST, request.FILES, prefix="upload")
    if upload_form.is_valid():
        try:
            codes = uploads.read_codes(upload_form.cleaned_data["file"], limit=settings.CREDIT_CHECK_MAX_SUBJECTS)
            check, _results = services.run_credit_check(
                by=request.user,
                matter=upload_form.cleaned_data["matter"],
                codes=codes,
                purpose=upload_form.cleaned_data["purpose"],
                source=CheckSource.UPLOAD,
            )
        except DomainError as error:
            _form_errors(upload_form, error)
        else:
            return redirect("sanctions-check-detail", pk=check.pk)
    history = Paginator(selectors.credit_checks_for(user=request.user), PAGE_SIZE).get_page(1)
    return render(
        request,
        "sanctions/credit_check.html",
        {
            "form": forms.CreditCheckForm(prefix="check"),
            "upload_form": upload_form,
            "history": history,
            "is_clerk": True,
        },
    )


def _scoped_check(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.credit_checks_for(user=request.user), pk=pk)


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The result table of one check, with the feedback form for its hits."""
    _require_staff(request)
    check = _scoped_check(request, pk)
    items = selectors.check_items(check=check)
    only_hits = request.GET.get("hits") == "1"
    if only_hits:
        items = items.filter(has_hits=True)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for item in page.object_list:
        given = {row.measure_id: row for row in item.feedback.all()}
        measures = [
            {**measure, "feedback": given.get(measure["id"]), "field": f"fb-{item.pk}-{measure['id']}"}
            for measure in item.result.get("measures", [])
        ]
        rows.append({"item": item, "measures": measures})
    can_feedback = access.is_clerk(request.user) and request.user.department_id == check.department_id
    return render(
        request,
        "sanctions/check_detail.html",
        {
            "check": check,
            "page": page,
            "rows": rows,
            "only_hits": only_hits,
            "can_feedback": can_feedback,
            "outcomes": FeedbackOutcome.choices,
            "statuses": CheckItemStatus,
        },
    )


@login_required
@require_POST
def check_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Record 已实施 / 未实施 (with reason) for the measures shown on the result page."""
    _require_staff(request, access.Role.CLERK)
    check = _scoped_check(request, pk)
    rows = []
    for key, value in request.POST.items():
        if not key.startswith("fb-") or not key.endswith("-outcome") or not value:
            continue
        _prefix, item_id, measure_id, _suffix = key.split("-")
        reason = request.POST.get(f"fb-{item_id}-{measure_id}-reason", "")
        rows.append({"item": int(item_id), "measure": int(measure_id), "outcome": value, "reason": reason})
    if not rows:
        messages.warning(request, gettext("请至少选择一项措施的实施情况。"))
    else:
        try:
            saved = services.record_feedback(check=check, by=request.user, rows=rows)
        except NotFound:
            raise Http404 from None
        except ValidationFailed as error:
            for item in error.errors:
                messages.error(request, str(item.message))
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, gettext("已记录 %(count)s 项措施的实施情况。") % {"count": len(saved)})
    return redirect(request.POST.get("next") or check.get_absolute_url())


def _export_rows(check) -> list[list]:
    header = [
        gettext("序号"),
        gettext("查询代码"),
        gettext("核查结果"),
        gettext("主体名称"),
        gettext("名单命中"),
        gettext("公示中的行政处罚（条）"),
        gettext("应当/可以实施的措施"),
        gettext("说明"),
    ]
    rows = [header]
    separator = pgettext("list separator", "；")
    for item in selectors.check_items(check=check).prefetch_related(None):
        result = item.result
        hits = separator.join(
            gettext("%(list)s（%(color)s，%(start)s至%(end)s）")
            % {
                "list": hit["list_type_name"],
                "color": hit["color_label"],
                "start": hit["valid_from"],
                "end": hit["valid_to"] or "—",
            }
            for hit in result.get("list_hits", [])
        )
        measures = separator.join(f"{m['code']} {m['name']}" for m in result.get("measures", []))
        errors = separator.join(error["message"] for error in result.get("errors", []))
        rows.append(
            [
                item.position + 1,
                item.query,
                str(CheckItemStatus(item.status).label),
                result.get("subject_name", ""),
                hits,
                result.get("penalties", {}).get("count", 0),
                measures,
                errors,
            ]
        )
    return rows


@login_required
def check_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The result table as csv or xlsx."""
    _require_staff(request)
    check = _scoped_check(request, pk)
    rows = _export_rows(check)
    filename = f"credit-check-{check.pk}-{timezone.localtime(check.at):%Y%m%d%H%M}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 csv correctly only with a BOM
        csv.writer(buffer).writerows(csv_row(row) for row in rows)  # no cell a spreadsheet would run as a formula
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(gettext("核查结果"))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(
            output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """联合奖惩反馈统计 for the credit office: applied / not applied by department, measure and list type."""
    _require_staff(request, access.Role.REVIEWER, access.Role.ADMIN)
    return render(
        request,
        "sanctions/statistics.html",
        {"stats": selectors.feedback_statistics(user=request.user), "matters": BusinessMatter},
    )
