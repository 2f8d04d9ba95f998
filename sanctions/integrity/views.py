"""Pages of government integrity: the credit office's ranking and filing pages, and the public summary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from credit_portal import access
from credit_portal.errors import DomainError, ValidationFailed

from ..models import GovernmentRecord, IntegrityAssessment
from . import selectors, services
from .choices import AssessmentStatus
from .forms import AssessmentForm, GovernmentRecordForm, YearForm


def _require_office(request: HttpRequest) -> None:
    """The credit office (reviewers) and administrators; clerks assess no department, their own included."""
    if not access.sees_all_departments(request.user) or not access.is_staff_member(request.user):
        raise DjangoPermissionDenied


def _year(request: HttpRequest, default: int) -> int:
    form = YearForm(request.GET)
    return (form.cleaned_data.get("year") if form.is_valid() else None) or default


def _form_errors(form, error: DomainError) -> None:
    for item in error.errors if isinstance(error, ValidationFailed) else [error]:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """政务诚信评价: the year's departments by score, with the criteria detail, and the agencies' records."""
    _require_office(request)
    years = selectors.assessment_years()
    year = _year(request, years[0] if years else timezone.localdate().year)
    return render(
        request,
        "sanctions/integrity/ranking.html",
        {
            "year": year,
            "years": years,
            "ranking": selectors.ranking(year=year),
            "records": selectors.government_records_for_office()[:100],
        },
    )


@login_required
def assess(request: HttpRequest) -> HttpResponse:
    """Record or revise a department's assessment of a year while it is a draft."""
    _require_office(request)
    existing = None
    if request.method == "GET" and request.GET.get("department", "").isdigit():
        existing = IntegrityAssessment.objects.filter(
            department_id=request.GET["department"], year=_year(request, timezone.localdate().year)
        ).first()
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_assessment(
                    by=request.user,
                    year=data["year"],
                    department=data["department"],
                    items=data["items"],
                    remarks=data["remarks"],
                )
            except DomainError as error:
                _form_errors(form, error)
            else:
                return redirect(f"{reverse('sanctions-integrity')}?year={data['year']}")
    elif existing is not None:
        form = AssessmentForm(
            initial={"year": existing.year, "department": existing.department_id, "remarks": existing.remarks},
            items=existing.items,
        )
    else:
        form = AssessmentForm(initial={"year": _year(request, timezone.localdate().year)})
    return render(
        request,
        "sanctions/integrity/assess.html",
        {"form": form, "is_final": existing is not None and existing.status == AssessmentStatus.FINAL},
    )


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """Fix an assessment: from then on it is in the public summary and can no longer change."""
    _require_office(request)
    assessment = get_object_or_404(IntegrityAssessment, pk=pk)
    services.finalise_assessment(assessment=assessment, by=request.user)
    return redirect(f"{reverse('sanctions-integrity')}?year={assessment.year}")


@login_required
def file_record(request: HttpRequest) -> HttpResponse:
    """File an agency's dishonesty record (judgment not honoured, broken contract or promise, penalty)."""
    _require_office(request)
    form = GovernmentRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.file_government_record(
                by=request.user,
                subject=data["subject"],
                kind=data["kind"],
                description=data["description"],
                occurred_date=data["occurred_date"],
            )
        except DomainError as error:
            form.add_error("uscc" if error.field == "subject" else None, str(error.message))
        else:
            return redirect("sanctions-integrity")
    return render(request, "sanctions/integrity/record_form.html", {"form": form})


@login_required
@require_POST
def publish_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a filed record public."""
    _require_office(request)
    services.publish_government_record(record=get_object_or_404(GovernmentRecord, pk=pk), by=request.user)
    return redirect("sanctions-integrity")


def public_summary(request: HttpRequest) -> HttpResponse:
    """政务诚信 for the public: the fixed ranking of a year and the agencies' published dishonesty records."""
    years = selectors.assessment_years(final_only=True)
    year = _year(request, years[0] if years else timezone.localdate().year)
    return render(
        request,
        "sanctions/integrity/public.html",
        {
            "year": year,
            "years": years,
            "summary": selectors.public_summary(year=year),
            "records": selectors.public_government_records()[:200],
        },
    )
