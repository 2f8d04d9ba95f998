"""Staff pages of the watch app: watchlists, matched changes, webhook endpoints and their delivery log (issue 12).

Each page shows the signed-in user's own rows only; another user's list or endpoint is a 404 (STYLE §2.5).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credit_portal import access, crypto
from credit_portal.errors import DomainError

from . import selectors, services, webhooks
from .forms import CodeForm, EndpointForm, UploadForm, WatchlistForm
from .models import WebhookDelivery

WEBHOOK_ACTIONS = ("enable", "disable", "rotate-secret")
# The session entry holding an endpoint's new signing secret until its owner's next view of the endpoint's page.
NEW_SECRET_SESSION = "watch-new-secret-%s"


def _require_staff(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise PermissionDenied


def _add_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def watchlists(request: HttpRequest) -> HttpResponse:
    """关注清单: the user's lists, and a form for a new one."""
    _require_staff(request)
    form = WatchlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watchlist = services.create_watchlist(owner=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("已创建关注清单“%(name)s”。") % {"name": watchlist.name})
            return redirect("watch-list", pk=watchlist.pk)
    context = {
        "lists": selectors.watchlists_of(user=request.user),
        "form": form,
        "endpoint_count": selectors.endpoints_of(user=request.user).count(),
    }
    return render(request, "watch/lists.html", context)


def _own_list(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.watchlists_of(user=request.user), pk=pk)


def _list_page(request: HttpRequest, watchlist, **extra) -> HttpResponse:
    codes = selectors.codes_of(watchlist=watchlist)
    query = request.GET.get("q", "").strip().upper()
    if query:
        codes = codes.filter(uscc__startswith=query)
    context = {
        "watchlist": watchlist,
        "page": Paginator(codes, 50).get_page(request.GET.get("page")),
        "query": query,
        "code_form": extra.pop("code_form", None) or CodeForm(),
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        "rename_form": WatchlistForm(initial={"name": watchlist.name}),
        **extra,
    }
    return render(request, "watch/list.html", context)


@login_required
@require_GET
def watchlist(request: HttpRequest, pk: int) -> HttpResponse:
    """One list: its codes, adding one code, uploading a file, removing codes."""
    _require_staff(request)
    return _list_page(request, _own_list(request, pk))


@login_required
@require_POST
def watchlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    watchlist = _own_list(request, pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            watched = services.add_code(watchlist=watchlist, by=request.user, code=form.cleaned_data["uscc"])
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("已添加 %(code)s。") % {"code": watched.uscc})
            return redirect("watch-list", pk=watchlist.pk)
    return _list_page(request, watchlist, code_form=form)


@login_required
@require_POST
def watchlist_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload codes; the page shows the report: rows read, added, repeats, invalid rows with their reasons."""
    _require_staff(request)
    watchlist = _own_list(request, pk)
    form = UploadForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.upload_codes(watchlist=watchlist, by=request.user, handle=upload.file, name=upload.name)
        except DomainError as error:
            _add_error(form, error)
    return _list_page(request, _own_list(request, pk), upload_form=form, report=report)


@login_required
@require_POST
def watchlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    watchlist = _own_list(request, pk)
    removed = services.remove_codes(watchlist=watchlist, by=request.user, codes_to_remove=request.POST.getlist("uscc"))
    messages.success(request, _("已移除 %(count)s 个代码。") % {"count": removed})
    return redirect("watch-list", pk=watchlist.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def watchlist_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a list once its owner confirms: GET shows its name and how many codes go with it, POST deletes."""
    _require_staff(request)
    watchlist = _own_list(request, pk)  # annotated with code_count
    if request.method == "POST":
        services.delete_watchlist(watchlist=watchlist, by=request.user)
        messages.success(request, _("已删除关注清单“%(name)s”。") % {"name": watchlist.name})
        return redirect("watch-lists")
    return render(request, "watch/list_delete.html", {"watchlist": watchlist})


@login_required
@require_GET
def changes(request: HttpRequest) -> HttpResponse:
    """关注动态: the public changes that touched the user's watched subjects, newest first."""
    _require_staff(request)
    page = Paginator(selectors.matches_of(user=request.user), 50).get_page(request.GET.get("page"))
    rows = [(match, services.describe(match.change)) for match in page.object_list]
    return render(request, "watch/changes.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    """推送地址: the user's endpoints, and a form for a new one (its secret is shown once, right after)."""
    _require_staff(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhooks.create_endpoint(owner=request.user, **form.cleaned_data)
        except DomainError as error:
            _add_error(form, error)
        else:
            return _secret_issued(request, endpoint, secret)
    context = {"endpoints": selectors.endpoints_of(user=request.user), "form": form}
    return render(request, "watch/webhooks.html", context)


def _secret_issued(request: HttpRequest, endpoint, secret: str) -> HttpResponse:
    """Post/Redirect/Get: the new secret waits, encrypted, in the session for the next view of the endpoint's page.

    Answering the POST with the secret would let a reload send the form again: a second endpoint, or one more
    rotation that silently invalidates the secret just copied to the receiver.
    """
    request.session[NEW_SECRET_SESSION % endpoint.pk] = crypto.encrypt(secret)
    return redirect("watch-webhook", pk=endpoint.pk)


def _webhook_page(request: HttpRequest, endpoint, **extra) -> HttpResponse:
    deliveries = selectors.delivery_log(user=request.user, endpoint=endpoint)
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    context = {
        "endpoint": endpoint,
        "page": page,
        # Each row with the time the sender may try it next (None: delivered, or the endpoint is switched off).
        "rows": [(delivery, webhooks.next_attempt_at(delivery)) for delivery in page.object_list],
        "now": timezone.now(),
        "pending": deliveries.filter(status=WebhookDelivery.Status.PENDING).count(),
        "headers": {
            "id": webhooks.HEADER_ID,
            "timestamp": webhooks.HEADER_TIMESTAMP,
            "signature": webhooks.HEADER_SIGNATURE,
            "event": webhooks.HEADER_EVENT,
        },
        **extra,
    }
    return render(request, "watch/webhook.html", context)


@login_required
@require_GET
def webhook(request: HttpRequest, pk: int) -> HttpResponse:
    """One endpoint: its state, the receiver's verification rules and the delivery log with the last errors."""
    _require_staff(request)
    endpoint = get_object_or_404(selectors.endpoints_of(user=request.user), pk=pk)
    sealed = request.session.pop(NEW_SECRET_SESSION % endpoint.pk, None)
    if sealed is None:
        return _webhook_page(request, endpoint)
    # Shown this once: not cached, and a reload shows the page without it.
    response = _webhook_page(request, endpoint, new_secret=crypto.decrypt(sealed))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def webhook_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_staff(request)
    if action not in WEBHOOK_ACTIONS:
        raise Http404
    endpoint = get_object_or_404(selectors.endpoints_of(user=request.user), pk=pk)
    if action == "enable":
        webhooks.enable_endpoint(endpoint=endpoint, by=request.user)
        messages.success(request, _("推送地址已启用，待推送的变化将陆续发送。"))
    elif action == "disable":
        webhooks.update_endpoint(endpoint=endpoint, by=request.user, is_active=False)
        messages.success(request, _("推送地址已停用。"))
    elif action == "rotate-secret":
        endpoint, secret = webhooks.rotate_secret(endpoint=endpoint, by=request.user)
        return _secret_issued(request, endpoint, secret)
    return redirect("watch-webhook", pk=endpoint.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an endpoint once its owner confirms: GET shows its address and the changes still waiting, POST deletes
    it with its delivery log."""
    _require_staff(request)
    endpoint = get_object_or_404(selectors.endpoints_of(user=request.user), pk=pk)
    if request.method == "POST":
        webhooks.delete_endpoint(endpoint=endpoint, by=request.user)
        messages.success(request, _("推送地址已删除。"))
        return redirect("watch-webhooks")
    deliveries = selectors.deliveries_of(user=request.user).filter(endpoint=endpoint)
    context = {
        "endpoint": endpoint,
        "pending": deliveries.filter(status=WebhookDelivery.Status.PENDING).count(),
        "logged": deliveries.count(),
    }
    return render(request, "watch/webhook_delete.html", context)


@login_required
@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one delivery again (same idempotency id)."""
    _require_staff(request)
    delivery = get_object_or_404(selectors.deliveries_of(user=request.user), pk=pk)
    webhooks.redeliver(delivery=delivery, by=request.user)
    messages.success(request, _("推送 %(id)s 已重新排队。") % {"id": delivery.delivery_id})
    endpoint = delivery.endpoint
    if not endpoint.is_active or endpoint.disabled_at:
        messages.warning(request, _("该推送地址已停用：启用后才会发送。"))
    return redirect("watch-webhook", pk=delivery.endpoint_id)
