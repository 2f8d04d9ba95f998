"""Staff pages of credit commitments: the department's list, one commitment with its resolution, letters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.errors import DomainError
from registry import codes
from registry.models import Subject

from ..choices import ListColor
from ..models import ListType
from . import selectors, services
from .choices import CommitmentStatus, CommitmentType
from .forms import CommitmentForm

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
def commitment_new(request: HttpRequest) -> HttpResponse:
    """Record a subject's written commitment accepted by the clerk's department."""
    _require_staff(request)
    if not request.user.department_id or not request.user.has_perm("sanctions.add_commitment"):
        raise DjangoPermissionDenied
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("uscc")
        try:
            commitment = services.record_commitment(by=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("sanctions-commitment", pk=commitment.pk)
    return render(request, "sanctions/commitments/new.html", {"form": form})


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One commitment; its department's clerk records fulfilment or breach, and turns a breach into a listing."""
    _require_staff(request)
    commitment = get_object_or_404(selectors.commitments_for_staff(user=request.user), pk=pk)
    error = None
    own = access.is_admin(request.user) or request.user.department_id == commitment.department_id
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "list":
                list_type = ListType.objects.active().filter(pk=request.POST.get("list_type") or 0).first()
                if list_type is None:
                    raise services.CommitmentError(_("请选择黑名单类型。"), code="required", field="list_type")
                entry = services.propose_listing_for_commitment(
                    commitment=commitment, by=request.user, list_type=list_type
                )
                return redirect("sanctions-entry", pk=entry.pk)
            service = {"fulfil": services.fulfil_commitment, "break": services.mark_commitment_broken}.get(action)
            if service is None:
                raise Http404
            service(commitment=commitment, by=request.user, evidence=request.POST.get("evidence", ""))
        except DomainError as exc:
            error = exc
        else:
            return redirect("sanctions-commitment", pk=commitment.pk)
    can_resolve = (
        commitment.status == CommitmentStatus.PENDING and request.user.has_perm("sanctions.resolve_commitment") and own
    )
    # A broken commitment becomes a black-list proposal: notice, statement and decision follow (DOMAIN §6).
    can_list = (
        commitment.status == CommitmentStatus.BROKEN
        and not commitment.list_entry_id
        and request.user.has_perm("sanctions.add_listentry")
        and own
    )
    return render(
        request,
        "sanctions/commitments/detail.html",
        {
            "commitment": commitment,
            "error": error,
            "can_resolve": can_resolve,
            "can_list": can_list,
            "black_list_types": ListType.objects.active().filter(color=ListColor.BLACK) if can_list else [],
        },
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
