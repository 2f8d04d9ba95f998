"""Staff pages of credit commitments: the department's list, one commitment with its resolution, letters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from credit_portal import access
from credit_portal.errors import DomainError
from registry import codes
from registry.models import Subject

from . import selectors, services
from .choices import CommitmentStatus, CommitmentType

PAGE_SIZE = 20


def _require_staff(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise DjangoPermissionDenied


@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    """信用承诺管理: the commitments the user may see; ``?overdue=1`` shows those past their deadline."""
    _require_staff(request)
    queryset = selectors.commitments_for_staff(user=request.user)
    if request.GET.get("overdue") == "1":
        queryset = queryset.filter(is_overdue=True, status=CommitmentStatus.PENDING)
    if request.GET.get("status") in CommitmentStatus.values:
        queryset = queryset.filter(status=request.GET["status"])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sanctions/commitments/list.html",
        {"page": page, "statuses": CommitmentStatus.choices, "types": CommitmentType.choices},
    )


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One commitment; its department's clerk records fulfilment or breach with the evidence."""
    _require_staff(request)
    commitment = get_object_or_404(selectors.commitments_for_staff(user=request.user), pk=pk)
    error = None
    if request.method == "POST":
        service = {
            "fulfil": services.fulfil_commitment,
            "break": services.mark_commitment_broken,
        }.get(request.POST.get("action"))
        if service is None:
            raise Http404
        try:
            service(commitment=commitment, by=request.user, evidence=request.POST.get("evidence", ""))
        except DomainError as exc:
            error = exc
        else:
            return redirect("sanctions-commitment", pk=commitment.pk)
    can_resolve = (
        commitment.status == CommitmentStatus.PENDING
        and request.user.has_perm("sanctions.resolve_commitment")
        and (access.is_admin(request.user) or request.user.department_id == commitment.department_id)
    )
    return render(
        request,
        "sanctions/commitments/detail.html",
        {"commitment": commitment, "error": error, "can_resolve": can_resolve},
    )


@login_required
def commitment_letter(request: HttpRequest, kind: str) -> HttpResponse:
    """The standard commitment letter of one type, filled with a subject's data, as a plain-text download."""
    _require_staff(request)
    if kind not in CommitmentType.values:
        raise Http404
    subject = None
    if request.GET.get("subject", "").isdigit():
        subject = get_object_or_404(Subject, pk=request.GET["subject"])
    elif request.GET.get("uscc"):
        subject = get_object_or_404(Subject, uscc=codes.normalise(request.GET["uscc"]))
    text = render_to_string(
        f"sanctions/commitments/letters/{kind}.txt",
        {
            "subject": subject,
            "type_label": CommitmentType(kind).label,
            "matter": request.GET.get("matter", ""),
            "department": request.user.department,
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="commitment-{kind}.txt"'
    return response
