"""Pages of repair and objections: public forms and tracking, the credit office's review (DOMAIN §8)."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from credit_portal import access, audit
from credit_portal.errors import DomainError, NotFound
from credit_portal.workdays import services as workdays

from . import forms, selectors, services, transitions
from .api.views import TrackingThrottle
from .choices import ApplicationKind, ApplicationStatus
from .filters import ApplicationFilter
from .models import Material

# --- public ------------------------------------------------------------------------------------------------------


def _apply(request: HttpRequest, kind: str) -> HttpResponse:
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.file_application(kind=kind, request=request, **form.cleaned_data)
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            return render(request, "repair/filed.html", {"application": application})
    initial_number = request.GET.get("document_number", "")
    if initial_number and request.method == "GET":
        form.initial["document_number"] = initial_number
    return render(
        request, "repair/apply.html", {"form": form, "kind": kind, "kind_label": ApplicationKind(kind).label}
    )


@sensitive_post_parameters("id_number")
def repair_apply(request: HttpRequest) -> HttpResponse:
    """The public applies for credit repair without an account (DOMAIN §8)."""
    return _apply(request, ApplicationKind.REPAIR)


@sensitive_post_parameters("id_number")
def objection_apply(request: HttpRequest) -> HttpResponse:
    """The public files an objection about a published record or list entry (DOMAIN §8)."""
    return _apply(request, ApplicationKind.OBJECTION)


@sensitive_post_parameters("contact")
def track(request: HttpRequest) -> HttpResponse:
    """Status by tracking number and contact (posted, so the contact stays out of URLs and logs)."""
    if request.method != "POST":
        return render(request, "repair/track.html", {"form": forms.TrackingForm()})
    if _too_many_lookups(request):
        return render(request, "repair/track.html", {"form": forms.TrackingForm(), "throttled": True}, status=429)
    supplementing = "materials" in request.FILES or request.POST.get("supplement")
    form = (forms.SupplementForm if supplementing else forms.TrackingForm)(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "repair/track.html", {"form": form}, status=400)
    application = selectors.application_for_applicant(
        tracking_number=form.cleaned_data["tracking_number"], contact=form.cleaned_data["contact"]
    )
    if application is None:
        # A wrong number and a wrong contact answer alike: one applicant cannot probe another's application.
        return render(request, "repair/track.html", {"form": form, "not_found": True}, status=404)
    supplement_form = forms.SupplementForm(initial=form.cleaned_data)
    if supplementing:
        try:
            application = services.supplement_materials(
                application=application,
                contact=form.cleaned_data["contact"],
                materials=form.cleaned_data["materials"],
                note=form.cleaned_data.get("note", ""),
            )
        except DomainError as error:
            forms.add_domain_error(form, error)
            supplement_form = form
        else:
            messages.success(request, _("补充材料已上传，办理计时恢复。"))
        application = selectors.application_for_applicant(
            tracking_number=application.tracking_number, contact=form.cleaned_data["contact"]
        )
    return render(
        request,
        "repair/status.html",
        {
            "application": application,
            "form": forms.TrackingForm(initial=form.cleaned_data),
            "supplement_form": supplement_form,
        },
    )


def _too_many_lookups(request: HttpRequest) -> bool:
    """The same per-address limit as the public API's tracking endpoint, so numbers cannot be tried in bulk."""
    throttle = TrackingThrottle()
    return not throttle.allow_request(request, None)


# --- staff -------------------------------------------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise Http404


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The review queue with filters and time-limit indicators (DOMAIN §8)."""
    _staff_only(request)
    filterset = ApplicationFilter(request.GET, queryset=selectors.applications_for_staff(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "repair/staff/queue.html",
        {"filter": filterset, "page": page, "today": timezone.localdate()},
    )


# action -> (service, form class, who may act)
ACTIONS = {
    "accept": (services.accept_application, None),
    "route": (services.route_objection, None),
    "refuse": (services.refuse_application, forms.ReasonForm),
    "request-materials": (services.request_materials, forms.ReasonForm),
    "extend": (services.extend_time_limit, forms.ReasonForm),
    "approve": (services.approve_repair, forms.ReasonForm),
    "deny": (services.deny_repair, forms.ReasonForm),
    "expert-review": (services.start_expert_review, forms.ReasonForm),
    "end-expert-review": (services.end_expert_review, None),
    "answer": (services.answer_objection, forms.AnswerForm),
    "close": (services.close_objection, forms.ReasonForm),
}
NOTE_ACTIONS = {"request-materials", "expert-review"}


def _available_actions(application, user) -> list[str]:
    """The buttons worth showing: allowed by the transition table and the user's role."""
    role = access.role_of(user)
    reviewer = role in (access.Role.REVIEWER, access.Role.ADMIN)
    S = ApplicationStatus
    wanted = {
        "accept": reviewer
        and application.kind == ApplicationKind.REPAIR
        and transitions.can_move(application, S.ACCEPTED),
        "route": reviewer
        and application.kind == ApplicationKind.OBJECTION
        and transitions.can_move(application, S.ROUTED),
        "refuse": reviewer and transitions.can_move(application, S.REFUSED),
        "request-materials": reviewer and transitions.can_move(application, S.MATERIALS_REQUESTED),
        "extend": reviewer
        and not application.is_extended
        and application.status in (S.ACCEPTED, S.ROUTED, S.ANSWERED),
        "approve": reviewer and transitions.can_move(application, S.APPROVED),
        "deny": reviewer and transitions.can_move(application, S.DENIED),
        "expert-review": transitions.can_move(application, S.EXPERT_REVIEW)
        and (reviewer or role == access.Role.CLERK),
        "end-expert-review": application.status == S.EXPERT_REVIEW and (reviewer or role == access.Role.CLERK),
        "answer": role == access.Role.CLERK and transitions.can_move(application, S.ANSWERED),
        "close": reviewer and transitions.can_move(application, S.CLOSED),
    }
    return [name for name, ok in wanted.items() if ok]


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: target, statement, materials, steps, time limits and the actions open to the user."""
    _staff_only(request)
    application = selectors.application_for_staff(user=request.user, pk=pk)
    if application is None:
        raise Http404
    actions = _available_actions(application, request.user)
    today = timezone.localdate()
    due = application.due_date
    # Working days left before the running limit (negative once overdue); none while the clock is paused.
    remaining = workdays.count_working_days(today, due) if due and not application.is_paused else None
    return render(
        request,
        "repair/staff/detail.html",
        {
            "application": application,
            "actions": actions,
            "reason_form": forms.ReasonForm(),
            "answer_form": forms.AnswerForm(),
            "today": today,
            "remaining": remaining,
        },
    )


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one step on an application; a refusal is shown on the detail page."""
    _staff_only(request)
    if action not in ACTIONS:
        raise Http404
    application = selectors.application_for_staff(user=request.user, pk=pk)
    if application is None:
        raise Http404
    service, form_class = ACTIONS[action]
    kwargs = {"application": application, "by": request.user}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("repair-application", pk=pk)
        data = dict(form.cleaned_data)
        if action in NOTE_ACTIONS:
            data["note"] = data.pop("reason")
        kwargs.update(data)
    try:
        service(**kwargs)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        errors = getattr(error, "errors", None) or [error]
        for item in errors:
            detail = _("（%(detail)s）") % {"detail": item.code}
            messages.error(request, f"{item.message}{detail}")
    else:
        messages.success(request, _("已办理。"))
    return redirect("repair-application", pk=pk)


@login_required
def material(request: HttpRequest, pk: int) -> FileResponse:
    """A material, to staff who may see its application only, with its sniffed type and no sniffing by browsers."""
    _staff_only(request)
    item = Material.objects.select_related("application").filter(pk=pk).first()
    if item is None or selectors.application_for_staff(user=request.user, pk=item.application_id) is None:
        raise Http404
    audit.record(
        item.application,
        action="repair_material_viewed",
        by=request.user,
        detail={"material": item.pk},
        request=request,
    )
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.original_name)}"
    return response


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """Statistics for the credit office: by kind and outcome, median handling time, share within limits."""
    if access.role_of(request.user) not in (access.Role.REVIEWER, access.Role.ADMIN):
        raise Http404
    start = _date(request.GET.get("start"))
    end = _date(request.GET.get("end"))
    data = selectors.statistics_for_office(start=start, end=end)
    return render(request, "repair/staff/stats.html", {"stats": data, "start": start, "end": end})


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
