"""Pages of managed API clients: the application form (public or staff), and the credit office's review, key
management and usage statistics (issue 12)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from credit_portal import access, crypto
from credit_portal.errors import DomainError

from . import forms, selectors, services
from .api.views import ApplicationThrottle
from .choices import ClientStatus
from .models import ApiClient

# The session entry holding a key just issued, until the office's next view of that client's page.
ISSUED_KEY_SESSION = "clients-issued-key-%s"


def apply(request: HttpRequest) -> HttpResponse:
    """API接入申请: anyone (a bank, a platform) or a staff member on a department system's behalf."""
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST" and not ApplicationThrottle().allow_request(request, None):
        # The same per-address limit as the API's application endpoint.
        return render(request, "clients/apply.html", {"form": form, "throttled": True}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.apply_for_client(by=request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            forms.add_domain_error(form, error)
        else:
            return render(request, "clients/applied.html", {"client": client})
    return render(request, "clients/apply.html", {"form": form}, status=400 if form.errors else 200)


def _require_office(user) -> None:
    if not access.sees_all_departments(user):
        raise PermissionDenied


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """The office's list of API clients, by status."""
    _require_office(request.user)
    status = request.GET.get("status", "")
    if status not in ClientStatus.values:
        status = ""
    return render(
        request,
        "clients/list.html",
        {
            "clients": selectors.clients_for_office(status=status)[:500],
            "status": status,
            "statuses": ClientStatus.choices,
            "counts": selectors.status_counts(),
        },
    )


def _detail_context(client: ApiClient, **extra) -> dict:
    today = timezone.localdate()
    return {
        "client": client,
        "keys": selectors.client_keys(client=client),
        "calls": selectors.recent_calls(client=client, limit=30),
        "usage": list(selectors.daily_usage(since=today - datetime.timedelta(days=13), until=today, client=client)),
        "approve_form": forms.ApproveForm(
            initial={"daily_quota": client.daily_quota, "valid_until": client.valid_until}
        ),
        "reason_form": forms.ReasonForm(),
        "rotate_form": forms.RotateForm(),
        "now": timezone.now(),
        **extra,
    }


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One client: terms, keys, recent calls and usage, with the office's actions."""
    _require_office(request.user)
    client = get_object_or_404(selectors.clients_for_office(), pk=pk)
    return _show_issued_once(request, client) or render(request, "clients/detail.html", _detail_context(client))


def _issued(request: HttpRequest, client: ApiClient, raw_key: str) -> HttpResponse:
    """Post/Redirect/Get: the new key waits, encrypted, in the session for the next view of the client's page.

    Answering the POST with the key itself would let a reload send the form again: a rotation would then issue one
    more key and put the one just handed over on its grace deadline.
    """
    request.session[ISSUED_KEY_SESSION % client.pk] = crypto.encrypt(raw_key)
    return redirect("clients-staff-detail", pk=client.pk)


def _show_issued_once(request: HttpRequest, client: ApiClient) -> HttpResponse | None:
    """The key waiting in the session, shown this once and removed: the page is not cached, a reload shows the
    client's page without it, and the key is stored nowhere else but as its digest."""
    sealed = request.session.pop(ISSUED_KEY_SESSION % client.pk, None)
    if sealed is None:
        return None
    response = render(request, "clients/key_issued.html", {"client": client, "key": crypto.decrypt(sealed)})
    response["Cache-Control"] = "no-store"
    return response


def _approve(request: HttpRequest, client: ApiClient) -> HttpResponse:
    """Approve with the terms entered; a refusal shows the page again with each error next to its field and the
    values as entered (the form's own checks and the service's alike)."""
    form = forms.ApproveForm(request.POST)
    if form.is_valid():
        try:
            client, raw_key = services.approve_client(
                client=client, by=request.user, request=request, **form.cleaned_data
            )
        except DomainError as error:
            forms.add_domain_error(form, error, model=ApiClient)
        else:
            if raw_key:
                return _issued(request, client, raw_key)
            messages.success(request, _("已批准。"))
            return redirect("clients-staff-detail", pk=client.pk)
    return render(request, "clients/detail.html", _detail_context(client, approve_form=form), status=400)


@login_required
@require_POST
def client_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """approve, reject, suspend, reinstate, rotate-key, revoke-key: one service each."""
    _require_office(request.user)
    client = get_object_or_404(selectors.clients_for_office(), pk=pk)
    forms_by_action = {
        "approve": forms.ApproveForm,
        "reject": forms.ReasonForm,
        "suspend": forms.ReasonForm,
        "rotate-key": forms.RotateForm,
        "revoke-key": forms.RevokeForm,
        "reinstate": None,
    }
    if action not in forms_by_action:
        raise Http404
    if action == "approve":
        return _approve(request, client)
    form_class = forms_by_action[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(
            request,
            _("请检查填写的内容：%(errors)s")
            % {
                "errors": pgettext("list separator", "；").join(
                    f"{form.fields[name].label or name}{pgettext('label separator', '：')}{' '.join(errors)}"
                    if name in form.fields
                    else " ".join(errors)
                    for name, errors in form.errors.items()
                )
            },
        )
        return redirect("clients-staff-detail", pk=client.pk)
    data = form.cleaned_data if form is not None else {}
    by = request.user
    try:
        if action == "reject":
            services.reject_client(client=client, by=by, reason=data["reason"], request=request)
            messages.success(request, _("已退回申请。"))
        elif action == "suspend":
            services.suspend_client(client=client, by=by, reason=data["reason"], request=request)
            messages.success(request, _("已暂停：该客户端的密钥立即停止使用。"))
        elif action == "reinstate":
            services.reinstate_client(client=client, by=by, request=request)
            messages.success(request, _("已恢复使用。"))
        elif action == "rotate-key":
            key, raw_key = services.rotate_key(client=client, by=by, grace_hours=data["grace_hours"], request=request)
            return _issued(request, key.client, raw_key)
        elif action == "revoke-key":
            key = get_object_or_404(client.keys, pk=data["key_id"])
            services.revoke_key(key=key, by=by, request=request)
            messages.success(request, _("密钥 %(prefix)s… 已吊销。") % {"prefix": key.prefix})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("clients-staff-detail", pk=client.pk)


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    """Usage per client per day over a period (default the last 30 days), with totals per client."""
    _require_office(request.user)
    today = timezone.localdate()
    try:
        since = datetime.date.fromisoformat(request.GET.get("since") or "")
    except ValueError:
        since = today - datetime.timedelta(days=29)
    try:
        until = datetime.date.fromisoformat(request.GET.get("until") or "")
    except ValueError:
        until = today
    if since > until or (until - since).days > 366:
        since, until = today - datetime.timedelta(days=29), today
    return render(
        request,
        "clients/usage.html",
        {
            "since": since,
            "until": until,
            "rows": selectors.daily_usage(since=since, until=until)[:2000],
            "totals": selectors.usage_totals(since=since, until=until),
        },
    )
