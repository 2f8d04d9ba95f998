"""Template context shared by every page: the portal's name, the user's role and the navigation.

The navigation is built from URL names. Each app gives its pages the names below (no URL namespace); a name
that does not resolve yet is skipped, so a section's link appears as soon as its app adds the URL
(/work/notes/url-names.md lists the same names for the other apps).

Public pages (main navigation):
    code-check                      统一社会信用代码校验 (registry)
    disclosure-public-penalties     双公示: 行政处罚 (disclosure; the home search box sends ?q= here)
    disclosure-public-licensings    双公示: 行政许可 (disclosure)
    sanctions-public-list           红黑名单 (sanctions)
    repair-apply, repair-track      信用修复 and 进度查询 (repair)
    objection-apply                 异议申诉 (repair)
    campaigns-home                  诚信建设 (campaigns)
    credit-report                   信用报告 (portal)

Staff pages (staff menu, by role):
    disclosure-penalties, disclosure-licensings, disclosure-import, disclosure-compliance,
    sanctions-entries, sanctions-credit-check, repair-review, campaigns-staff, ops, subject-search
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from credit_portal.access import Role

ALL_STAFF = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    names: tuple[str, ...]  # URL names tried in order; the first that resolves is used
    roles: tuple[str, ...] = ()  # empty: everyone


PUBLIC_NAV: tuple[NavEntry, ...] = (
    NavEntry(_("首页"), ("home",)),
    NavEntry(_("双公示"), ("disclosure-public-penalties", "disclosure-public-licensings")),
    NavEntry(_("红黑名单"), ("sanctions-public-list",)),
    NavEntry(_("信用修复"), ("repair-apply", "repair-track")),
    NavEntry(_("异议申诉"), ("objection-apply",)),
    NavEntry(_("诚信建设"), ("campaigns-home",)),
    NavEntry(_("信用报告"), ("credit-report",)),
    NavEntry(_("统一社会信用代码校验"), ("code-check",)),
)

STAFF_NAV: tuple[NavEntry, ...] = (
    NavEntry(_("工作台"), ("staff-home",), ALL_STAFF),
    NavEntry(_("主体查询"), ("subject-search",), ALL_STAFF),
    NavEntry(_("行政许可"), ("disclosure-licensings",), ALL_STAFF),
    NavEntry(_("行政处罚"), ("disclosure-penalties",), ALL_STAFF),
    NavEntry(_("批量导入"), ("disclosure-import",), (Role.CLERK,)),
    NavEntry(_("报送合规"), ("disclosure-compliance",), (Role.REVIEWER, Role.ADMIN)),
    NavEntry(_("红黑名单管理"), ("sanctions-entries",), ALL_STAFF),
    NavEntry(_("信用核查"), ("sanctions-credit-check",), (Role.CLERK, Role.REVIEWER)),
    NavEntry(_("修复与异议审核"), ("repair-review",), (Role.REVIEWER, Role.ADMIN)),
    NavEntry(_("诚信建设管理"), ("campaigns-staff",), (Role.REVIEWER, Role.ADMIN)),
    NavEntry(_("关注清单"), ("watch-lists",), ALL_STAFF),
    NavEntry(_("API接入管理"), ("clients-staff",), (Role.REVIEWER, Role.ADMIN)),
    NavEntry(_("运行监控"), ("ops",), (Role.ADMIN,)),
    NavEntry(_("站内通知"), ("notifications",), ALL_STAFF),
    NavEntry(_("系统管理"), ("admin:index",), (Role.ADMIN,)),
)


def first_url(*names: str) -> str | None:
    """The URL of the first name that resolves without arguments, or None while no app provides one."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def build_nav(entries: tuple[NavEntry, ...], *, path: str, role: str | None) -> list[dict]:
    """Links of the entries this role may see and whose pages exist, with the current one marked."""
    links = []
    for entry in entries:
        if entry.roles and role not in entry.roles:
            continue
        url = first_url(*entry.names)
        if url is None:
            continue
        is_current = path == url if url == "/" else path.startswith(url)
        links.append({"label": entry.label, "url": url, "is_current": is_current})
    # Only the most specific match is current (/staff/ and /staff/notifications/ both match the latter).
    current = [link for link in links if link["is_current"]]
    if current:
        longest = max(current, key=lambda link: len(link["url"]))
        for link in links:
            link["is_current"] = link is longest
    return links


def portal(request: HttpRequest) -> dict:
    from credit_portal import access

    user = getattr(request, "user", None)
    role = access.role_of(user) if user is not None else None
    path = getattr(request, "path", "/")
    context = {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_OPERATOR": settings.PORTAL_OPERATOR,
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
        "public_nav": build_nav(PUBLIC_NAV, path=path, role=role),
        "staff_nav": build_nav(STAFF_NAV, path=path, role=role) if role else [],
        "unread_notifications": 0,
    }
    if role:
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
    return context
