"""Ops pages of the exchange: the outbox for administrators and the credit office, rejections for clerks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from credit_portal import access
from credit_portal.errors import DomainError

from . import selectors, services
from .models import OutboxEvent


def _require_ops_role(user) -> None:
    if not access.sees_all_departments(user):  # administrators and the credit office
        raise PermissionDenied


@login_required
@require_GET
def ops(request: HttpRequest) -> HttpResponse:
    """运行监控: outbox counts, oldest pending, last push, dead and rejected events, the last reconciliation."""
    _require_ops_role(request.user)
    context = selectors.ops_summary(now=timezone.now())
    context["can_resend"] = access.is_admin(request.user)
    return render(request, "exchange/ops.html", context)


@login_required
@require_POST
def ops_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Resend a dead or rejected event (administrators)."""
    _require_ops_role(request.user)
    event = get_object_or_404(OutboxEvent.objects.visible_to(request.user), pk=pk)
    try:
        services.resend_event(event=event, by=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("报送事件 %(pk)s 已重新排队，将在下一次推送时发送。") % {"pk": event.pk})
    return redirect("ops")


@login_required
@require_GET
def ops_rejected(request: HttpRequest) -> HttpResponse:
    """被上游退回的记录: clerks see their department's, with the upstream's message, to correct them."""
    if not access.is_staff_member(request.user):
        raise PermissionDenied
    events = selectors.rejected_events_for(user=request.user)[:200]
    return render(request, "exchange/rejected.html", {"events": events})
