"""Portal-wide pages: home and search, staff login and logout, the staff start page, notifications."""

from __future__ import annotations

import importlib
import logging
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from credit_portal import access
from credit_portal.access import Role
from credit_portal.context_processors import first_url
from credit_portal.models import Notification

logger = logging.getLogger(__name__)

# The public figures on the home page are cached: counting a million rows on every visit is not needed.
HOME_FIGURES_SECONDS = 300
# Apps whose selectors may contribute blocks to the staff start page (see /work/notes/url-names.md).
STAFF_BLOCK_APPS = ("registry", "disclosure", "sanctions", "repair", "campaigns")


def _public_count(app_label: str, model_name: str) -> int | None:
    """Rows the public may see, or None while the app has no such model (apps arrive one by one)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    queryset = model.objects.all()
    if hasattr(queryset, "public"):
        queryset = queryset.public()
    return queryset.count()


HOME_FIGURES = (
    (_("登记主体"), "registry", "Subject"),
    (_("行政许可公示"), "disclosure", "Licensing"),
    (_("行政处罚公示"), "disclosure", "Penalty"),
    (_("红黑名单"), "sanctions", "ListEntry"),
)


def home_figures() -> list[dict]:
    """The home page's counts: subjects, published records and list entries (cached, tolerant of absent apps)."""
    counts = cache.get("home-figures")  # only the numbers: the labels follow the visitor's language
    if counts is None:
        counts = [_public_count(app_label, model_name) for _label, app_label, model_name in HOME_FIGURES]
        cache.set("home-figures", counts, HOME_FIGURES_SECONDS)
    return [
        {"label": label, "count": count}
        for (label, _app, _model), count in zip(HOME_FIGURES, counts, strict=False)
        if count is not None
    ]


# The home page's sections: (icon character, title, description, URL names tried in order).
HOME_SECTIONS = (
    (
        "公",
        _("双公示"),
        _("行政许可、行政处罚信息自作出决定之日起 7 个工作日内公示"),
        ("disclosure-public-penalties",),
    ),
    ("许", _("行政许可"), _("查询各部门公示的行政许可决定"), ("disclosure-public-licensings",)),
    ("榜", _("红黑名单"), _("守信激励红名单与失信惩戒黑名单"), ("sanctions-public-list",)),
    ("修", _("信用修复"), _("符合条件的失信主体可在线申请信用修复"), ("repair-apply",)),
    ("异", _("异议申诉"), _("对公示信息有异议的，可提交异议申请"), ("objection-apply",)),
    ("查", _("办理进度查询"), _("凭受理编号查询信用修复、异议申诉办理进度"), ("repair-track",)),
    ("诚", _("诚信建设"), _("专项治理、诚信典型与投诉举报"), ("campaigns-home",)),
    ("报", _("信用报告"), _("下载主体的公共信用信息报告"), ("credit-report",)),
    ("码", _("统一社会信用代码校验"), _("按国家标准 GB 32100-2015 校验代码"), ("code-check",)),
)


def home_sections() -> list[dict]:
    """Each section with its URL, or none while its app has not published the page yet."""
    return [
        {"icon": icon, "title": title, "text": text, "url": first_url(*names)}
        for icon, title, text, names in HOME_SECTIONS
    ]


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: one search box, the sections of the portal and a few figures."""
    context = {"figures": home_figures(), "search_url": search_target(), "sections": home_sections()}
    return render(request, "home.html", context)


def search_target() -> str:
    """Where the home search box sends its query: the subject search across all public data, else our own."""
    return first_url("subject-search-public", "disclosure-public-penalties", "sanctions-public-list") or first_url(
        "search"
    )


def search(request: HttpRequest) -> HttpResponse:
    """Fallback search across subjects by name or code, with public columns only (DOMAIN §10, §13)."""
    from registry import codes
    from registry.models import PUBLIC_SUBJECT_FIELDS, Subject

    query = request.GET.get("q", "").strip()[:100]
    target = search_target()
    if target != first_url("search") and query:
        return HttpResponseRedirect(f"{target}?{urlencode({'q': query})}")
    subjects = []
    if query:
        queryset = Subject.objects.only(*PUBLIC_SUBJECT_FIELDS)
        if codes.looks_like_uscc(query):
            queryset = queryset.filter(uscc=codes.normalise(query))  # exact match on the unique index
        else:
            queryset = queryset.filter(name__icontains=query)
        subjects = list(queryset.order_by("name", "pk")[:50])
    context = {
        "figures": home_figures(),
        "search_url": first_url("search"),
        "sections": home_sections(),
        "query": query,
        "subjects": subjects,
        "searched": bool(query),
    }
    return render(request, "home.html", context)


class LoginView(auth_views.LoginView):
    """Staff login; failures are counted by django-axes, which locks a username/address pair out."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Logout by POST only (Django 5), back to the home page."""


def _app_blocks(*, user, today) -> list[dict]:
    """Blocks that apps offer through ``<app>.selectors.staff_home_blocks``; an app without it offers none."""
    role = access.role_of(user)
    blocks: list[dict] = []
    for app_label in STAFF_BLOCK_APPS:
        try:
            module = importlib.import_module(f"{app_label}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_label}.selectors":
                raise  # a broken import inside the module must surface
            continue
        provider = getattr(module, "staff_home_blocks", None)
        if provider is None:
            continue
        for block in provider(user=user, today=today):
            if not block.get("roles") or role in block["roles"]:
                blocks.append(block)
    return blocks


def _exchange_block(user) -> dict | None:
    """Records the upstream platform rejected (clerk: own department) and, for administrators, the backlog."""
    from credit_portal.exchange.models import OutboxEvent

    events = OutboxEvent.objects.visible_to(user)
    rejected = events.filter(status=OutboxEvent.Status.REJECTED).count()
    items = [
        {
            "label": _("被上游退回、待更正的记录"),
            "count": rejected,
            "url": first_url("ops-rejected", "ops") or "",
            "alert": rejected > 0,
        }
    ]
    if access.is_admin(user):
        pending = events.filter(status=OutboxEvent.Status.PENDING).count()
        dead = events.filter(status=OutboxEvent.Status.DEAD).count()
        items.append({"label": _("待报送事件"), "count": pending, "url": first_url("ops") or ""})
        items.append({"label": _("放弃重试的事件"), "count": dead, "url": first_url("ops") or "", "alert": dead > 0})
    return {"title": _("数据报送"), "items": items}


def _calendar_block(today) -> dict | None:
    """Administrators: this year (and from November the next) without an official holiday schedule (DOMAIN §4)."""
    from credit_portal.workdays.services import missing_official_years

    missing = missing_official_years(today=today)
    admin_url = first_url("admin:workdays_calendaryear_changelist") or ""
    items = [
        {
            "label": _("%(year)s 年尚无国务院节假日安排，期限计算为暂定") % {"year": year},
            "count": None,
            "url": admin_url,
            "alert": True,
        }
        for year in missing
    ]
    if not items:
        items = [{"label": _("本年度和下一年度的节假日安排均已录入"), "count": None, "url": admin_url}]
    return {"title": _("工作日历"), "items": items}


def _ops_block() -> dict:
    """Administrators: links to the operating pages that exist."""
    candidates = [
        (_("运行监控"), "ops"),
        (_("用户与部门管理"), "admin:index"),
        (_("接口文档"), "api-docs"),
    ]
    items = [{"label": label, "count": None, "url": url} for label, name in candidates if (url := first_url(name))]
    return {"title": _("运维"), "items": items}


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Start page for clerks, reviewers and administrators: each sees the to-do blocks of their role."""
    user = request.user
    role = access.role_of(user)
    today = timezone.localdate()
    blocks = _app_blocks(user=user, today=today)
    if role in (Role.CLERK, Role.ADMIN):
        blocks.append(_exchange_block(user))
    if role == Role.ADMIN:
        calendar = _calendar_block(today)
        if calendar:
            blocks.append(calendar)
        blocks.append(_ops_block())
    notifications = list(user.notifications.filter(read_at__isnull=True)[:5])
    context = {
        "role": role,
        "blocks": blocks,
        "recent_notifications": notifications,
        "department": user.department if user.department_id else None,
    }
    return render(request, "staff/home.html", context)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications, newest first; nobody sees another user's."""
    queryset = Notification.objects.filter(user=request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "staff/notifications.html", {"page": page, "only_unread": only_unread})


@login_required
@require_POST
def mark_notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of the user's unread notifications as read."""
    queryset = Notification.objects.filter(user=request.user, read_at__isnull=True)
    notification_id = request.POST.get("id", "")
    if notification_id:
        if not notification_id.isdigit():
            return redirect("notifications")
        queryset = queryset.filter(pk=int(notification_id))
    count = queryset.update(read_at=timezone.now())
    if not notification_id:
        messages.success(request, _("已将 %(count)s 条通知标为已读。") % {"count": count})
    return redirect("notifications")
