"""Pages of the campaigns app: public campaign, role-model and complaint pages, and the office's work pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from credit_portal import access
from credit_portal.errors import DomainError, NotFound

from . import exports, forms, selectors, services
from .choices import KEY_DATE_SPANS, KeyDate, RoleModelKind
from .filters import CampaignFilter, RoleModelFilter, StarMerchantFilter
from .models import Campaign, CampaignMaterial, Complaint, SpecialAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: HttpRequest, queryset, per_page: int = 20):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _key_date_calendar() -> list[dict]:
    """The key dates of the year in calendar order (DOMAIN §9)."""
    entries = []
    for code, (m1, d1, m2, d2) in KEY_DATE_SPANS.items():
        start = gettext("%(month)s月%(day)s日") % {"month": m1, "day": d1}
        end = gettext("%(month)s月%(day)s日") % {"month": m2, "day": d2}
        span = start if (m1, d1) == (m2, d2) else f"{start}—{end}"
        entries.append({"code": code, "label": KeyDate(code).label, "span": span, "sort": (m1, d1)})
    return sorted(entries, key=lambda entry: entry["sort"])


# --- Public -----------------------------------------------------------------------------------------------------
def home(request: HttpRequest) -> HttpResponse:
    """诚信建设: current and past campaigns, the key-date calendar and the public services."""
    today = timezone.localdate()
    campaigns = CampaignFilter(request.GET, queryset=selectors.public_campaigns()).qs
    context = {
        "current": list(campaigns.filter(end_date__gte=today).order_by("start_date")[:12]),
        "past": _page(request, campaigns.filter(end_date__lt=today)),
        "calendar": _key_date_calendar(),
        "role_models": list(selectors.public_role_models()[:6]),
    }
    return render(request, "campaigns/home.html", context)


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        campaign = selectors.public_campaign(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    return render(request, "campaigns/campaign_detail.html", {"campaign": campaign})


def material(request: HttpRequest, pk: int) -> FileResponse:
    """A material of a published campaign; files are never served straight from the media folder."""
    item = get_object_or_404(CampaignMaterial.objects.filter(campaign__in=Campaign.objects.public()), pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=item.kind != "image")


def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/calendar.html", {"calendar": _key_date_calendar()})


def special_actions(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/special_actions.html", {"actions": selectors.public_special_actions()})


def role_models(request: HttpRequest) -> HttpResponse:
    filterset = RoleModelFilter(request.GET, queryset=selectors.public_role_models())
    return render(
        request,
        "campaigns/role_models.html",
        {"filter": filterset, "page": _page(request, filterset.qs), "kinds": RoleModelKind.choices},
    )


def star_merchants(request: HttpRequest) -> HttpResponse:
    filterset = StarMerchantFilter(request.GET, queryset=selectors.public_star_merchants())
    return render(
        request, "campaigns/star_merchants.html", {"filter": filterset, "page": _page(request, filterset.qs)}
    )


def complaint_new(request: HttpRequest) -> HttpResponse:
    """The public files a complaint without an account and gets a tracking number."""
    form = forms.ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            complaint = services.file_complaint(request=request, **data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            return render(request, "campaigns/complaint_filed.html", {"complaint": complaint})
    return render(request, "campaigns/complaint_form.html", {"form": form})


def complaint_track(request: HttpRequest) -> HttpResponse:
    """Follow a complaint by its tracking number: status, department, deadline, answer; no complainant data."""
    form = forms.TrackingForm(request.GET or None)
    complaint = None
    searched = False
    if form.is_valid():
        searched = True
        complaint = selectors.complaint_by_tracking_number(tracking_number=form.cleaned_data["number"])
    return render(
        request, "campaigns/complaint_track.html", {"form": form, "complaint": complaint, "searched": searched}
    )


# --- Staff ------------------------------------------------------------------------------------------------------
def _staff_only(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise Http404


def _month(request: HttpRequest) -> datetime.date:
    value = request.GET.get("month", "")
    try:
        return datetime.date.fromisoformat(value[:7] + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The office's campaigns desk: campaigns to publish and this month's figures."""
    _staff_only(request)
    period = _month(request)
    context = {
        "campaigns": _page(request, selectors.campaigns_for_staff(user=request.user)),
        "summary": selectors.monthly_summary(period=period) if access.sees_all_departments(request.user) else None,
        "period": period,
    }
    return render(request, "campaigns/staff/home.html", context)


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Create a draft campaign; it reaches the public pages once published."""
    _staff_only(request)
    if not request.user.has_perm("campaigns.add_campaign"):
        raise Http404
    from registry.models import Department

    choices = Department.objects.active() if access.sees_all_departments(request.user) else None
    form = forms.CampaignForm(request.POST or None, organiser_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participating = data.pop("participating_departments")
        try:
            services.create_campaign(by=request.user, participating_departments=participating, **data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("活动已保存为草稿，发布后对外公开。"))
            return redirect("campaigns-staff")
    return render(request, "campaigns/staff/campaign_form.html", {"form": form})


@login_required
@require_POST
def campaign_publication(request: HttpRequest, pk: int, publish: bool) -> HttpResponse:
    _staff_only(request)
    if not request.user.has_perm("campaigns.publish_campaign"):
        raise Http404
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    try:
        if publish:
            services.publish_campaign(campaign=campaign, by=request.user)
            messages.success(request, _("活动已发布。"))
        else:
            services.unpublish_campaign(campaign=campaign, by=request.user)
            messages.success(request, _("活动已撤下。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("campaigns-staff")


@login_required
def staff_actions(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    period = _month(request)
    missing = selectors.missing_action_reports(period=period)
    if not access.sees_all_departments(request.user):
        missing = missing.filter(department=request.user.department_id)
    context = {
        "actions": selectors.special_actions_for_staff(user=request.user, period=period),
        "missing": missing,
        "period": period,
    }
    return render(request, "campaigns/staff/actions.html", context)


@login_required
def staff_action_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit files its monthly progress on one special action (404 outside the unit's actions)."""
    _staff_only(request)
    action = get_object_or_404(SpecialAction.objects.visible_to(request.user), pk=pk)
    form = forms.ActionReportForm(
        request.POST or None, request.FILES or None, initial={"period": timezone.localdate().replace(day=1)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_action_report(by=request.user, action=action, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        except ValidationError as error:  # full_clean: e.g. the month's report already exists
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("进展已报送。"))
            return redirect("campaigns-staff-actions")
    reports = selectors.action_reports_for_staff(user=request.user).filter(action=action)[:24]
    return render(request, "campaigns/staff/action_report.html", {"action": action, "form": form, "reports": reports})


@login_required
def staff_tasks(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    tasks = selectors.ledger_for_staff(user=request.user)
    if request.GET.get("overdue"):
        tasks = tasks.filter(is_overdue=True)
    return render(request, "campaigns/staff/tasks.html", {"tasks": tasks})


@login_required
def staff_tasks_xlsx(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    content = exports.ledger_xlsx(selectors.ledger_for_staff(user=request.user))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    return response


@login_required
def staff_task(request: HttpRequest, pk: int) -> HttpResponse:
    """One ledger task with its reports; a responsible clerk reports progress here (404 for other departments)."""
    _staff_only(request)
    task = get_object_or_404(selectors.ledger_for_staff(user=request.user), pk=pk)
    form = forms.TaskReportForm(request.POST or None, initial={"status": task.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_task_progress(by=request.user, task=task, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("进展已报送。"))
            return redirect("campaigns-staff-task", pk=task.pk)
    reports = selectors.task_reports_for_staff(user=request.user, task=task)
    return render(request, "campaigns/staff/task.html", {"task": task, "form": form, "reports": reports})


@login_required
def staff_complaints(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    complaints = selectors.complaints_for_staff(user=request.user)
    status = request.GET.get("status")
    if status:
        complaints = complaints.filter(status=status)
    if request.GET.get("overdue"):
        complaints = complaints.filter(is_overdue=True)
    return render(request, "campaigns/staff/complaints.html", {"page": _page(request, complaints)})


@login_required
def staff_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    """One complaint: the office routes or declines it; the assigned department answers it."""
    _staff_only(request)
    complaint = get_object_or_404(selectors.complaints_for_staff(user=request.user), pk=pk)
    assign_form = forms.AssignComplaintForm(request.POST if "assign" in request.POST else None)
    reject_form = forms.RejectComplaintForm(request.POST if "reject" in request.POST else None)
    answer_form = forms.AnswerComplaintForm(request.POST if "answer_submit" in request.POST else None)
    if request.method == "POST":
        try:
            if "assign" in request.POST and assign_form.is_valid():
                services.assign_complaint(by=request.user, complaint=complaint, **assign_form.cleaned_data)
                messages.success(request, _("已转办。"))
                return redirect("campaigns-staff-complaint", pk=pk)
            if "reject" in request.POST and reject_form.is_valid():
                services.reject_complaint(by=request.user, complaint=complaint, **reject_form.cleaned_data)
                messages.success(request, _("已作不予受理处理。"))
                return redirect("campaigns-staff-complaint", pk=pk)
            if "answer_submit" in request.POST and answer_form.is_valid():
                services.answer_complaint(by=request.user, complaint=complaint, **answer_form.cleaned_data)
                messages.success(request, _("已办结并答复。"))
                return redirect("campaigns-staff-complaint", pk=pk)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
    context = {
        "complaint": complaint,
        "assign_form": assign_form,
        "reject_form": reject_form,
        "answer_form": answer_form,
        "may_assign": request.user.has_perm("campaigns.assign_complaint"),
        "may_answer": request.user.has_perm("campaigns.answer_complaint")
        and complaint.department_id == request.user.department_id,
    }
    return render(request, "campaigns/staff/complaint.html", context)


@login_required
def staff_evidence(request: HttpRequest, pk: int, item: int) -> FileResponse:
    """An evidence file of a complaint the user may see."""
    _staff_only(request)
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    evidence = get_object_or_404(complaint.evidence.all(), pk=item)
    return FileResponse(evidence.file.open("rb"), as_attachment=True)


@login_required
def staff_credit_talks(request: HttpRequest) -> HttpResponse:
    """Credit talks (约谈) of the user's department, or all of them for the office."""
    _staff_only(request)
    talks = selectors.credit_talks_for_staff(user=request.user)
    return render(request, "campaigns/staff/credit_talks.html", {"page": _page(request, talks)})


@login_required
def staff_summary(request: HttpRequest) -> HttpResponse:
    """Monthly summary for the civilisation office, as a page or (``?format=xlsx``) a workbook."""
    _staff_only(request)
    if not access.sees_all_departments(request.user):
        raise Http404
    summary = selectors.monthly_summary(period=_month(request))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.summary_xlsx(summary), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="summary-{summary.period:%Y-%m}.xlsx"'
        return response
    return render(request, "campaigns/staff/summary.html", {"summary": summary})
