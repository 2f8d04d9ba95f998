"""Pages: public subject search and profile, the credit report and its verification, staff dashboards (issue 8)."""

from __future__ import annotations

import csv
import datetime
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from credit_portal import access
from credit_portal.spreadsheets import csv_row
from sanctions.evaluation import selectors as evaluation_selectors

from . import dashboards, forms, selectors, services
from .throttles import ReportDownloadThrottle

THROTTLED_MESSAGE = _("报告下载过于频繁，请稍后再试。")


def _search(request: HttpRequest, template: str) -> HttpResponse:
    form = forms.SubjectSearchForm(request.GET or None)
    term = form.cleaned_data["q"] if form.is_valid() else ""
    subjects = list(selectors.search_public_subjects(term=term)[: selectors.SEARCH_LIMIT]) if term else []
    return render(
        request, template, {"form": form, "term": term, "subjects": subjects, "limit": selectors.SEARCH_LIMIT}
    )


def subject_search(request: HttpRequest) -> HttpResponse:
    """Subjects by name or exact code, with their public record counts (DOMAIN §13)."""
    return _search(request, "reports/subject_search.html")


def credit_report(request: HttpRequest) -> HttpResponse:
    """Where the public finds a subject and downloads its 公共信用信息报告."""
    return _search(request, "reports/credit_report.html")


def subject_profile(request: HttpRequest, key: str) -> HttpResponse:
    """Everything public about one subject (by id or code); natural persons masked (DOMAIN §10)."""
    subject = selectors.public_subject(key=key)
    if subject is None:
        raise Http404
    profile = selectors.subject_profile(subject=subject)
    if not profile.is_public:
        raise Http404
    # 分级分类监管: the supervision suggestion of the grade is shown to department staff only (issue 11).
    supervision = (
        evaluation_selectors.supervision(subject_id=subject.pk) if access.is_staff_member(request.user) else None
    )
    return render(
        request, "reports/profile.html", {"profile": profile, "subject": subject, "supervision": supervision}
    )


@require_POST
def credit_report_download(request: HttpRequest, key: str) -> HttpResponse:
    """Issue and send the PDF; anonymous visitors are limited per address (REPORTS_DOWNLOAD_RATE)."""
    subject = selectors.public_subject(key=key)
    if subject is None:
        raise Http404
    if subject.is_natural_person and not selectors.subject_profile(subject=subject).is_public:
        raise Http404
    if not ReportDownloadThrottle().allow_request(request, None):
        return render(request, "reports/throttled.html", {"message": THROTTLED_MESSAGE}, status=429)
    report, content = services.issue_credit_report(
        subject=subject, site_url=request.build_absolute_uri("/"), by=request.user
    )
    response = HttpResponse(content, content_type="application/pdf")
    title = _("公共信用信息报告")
    filename = f"{title}-{report.number}.pdf"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{report.number}.pdf\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response


def credit_report_verify(request: HttpRequest) -> HttpResponse:
    """Confirms a report's number, subject and time; a forged number or code finds nothing (404)."""
    if not request.GET:
        return render(request, "reports/verify.html", {"form": forms.VerifyForm()})
    form = forms.VerifyForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/verify.html", {"form": form}, status=400)
    report = selectors.issued_report(number=form.cleaned_data["number"], code=form.cleaned_data["code"])
    if report is None:
        return render(request, "reports/verify.html", {"form": form, "not_found": True}, status=404)
    return render(
        request,
        "reports/verify.html",
        {"form": form, "report": report, "generated_at": timezone.localtime(report.generated_at)},
    )


# --- staff -------------------------------------------------------------------------------------------------------


def _dashboard_filters(request: HttpRequest) -> tuple[forms.DashboardFilterForm, dashboards.Filters]:
    if not access.is_staff_member(request.user):
        raise Http404
    form = forms.DashboardFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or (date_to.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    department = data.get("department")
    if access.is_clerk(request.user):
        department = request.user.department  # a clerk's charts are their own department's (access scoping)
    if not form.is_bound:  # show the period the charts cover
        form = forms.DashboardFilterForm(initial={"date_from": date_from, "date_to": date_to}, user=request.user)
    return form, dashboards.Filters(department=department, date_from=date_from, date_to=date_to)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Staff charts with filters; each chart's table can be downloaded as CSV."""
    form, filters = _dashboard_filters(request)
    charts = dashboards.build_all(user=request.user, filters=filters)
    return render(
        request,
        "reports/dashboards.html",
        {"form": form, "filters": filters, "charts": charts, "query": request.GET.urlencode()},
    )


@login_required
def dashboard_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's data as CSV (UTF-8 with BOM so that spreadsheet programs read the Chinese)."""
    if key not in dashboards.CHARTS:
        raise Http404
    _form, filters = _dashboard_filters(request)
    chart = dashboards.CHARTS[key](user=request.user, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{filters.date_from}-{filters.date_to}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(csv_row(chart.columns))
    for row in chart.rows:
        writer.writerow(csv_row(row))  # department names and labels: no cell may start a formula (issue 9 §5)
    return response
