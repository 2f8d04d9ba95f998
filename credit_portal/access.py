"""Roles and department scoping: the one home of "who may see and change what" (DOMAIN §1, STYLE §2.5).

Roles are Django groups. Their permissions are declared here and applied after every migration, so a new
model's permissions reach the right role as soon as its migration runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from .errors import PermissionDenied

if TYPE_CHECKING:
    from registry.models import Department, User


class Role(TextChoices):
    CLERK = "clerk", _("部门填报员")
    REVIEWER = "reviewer", _("信用办审核员")
    ADMIN = "admin", _("平台管理员")
    # The service account of a managed API client without a department (credit_portal.clients): never a staff member.
    API_CLIENT = "api_client", _("API接入客户端")


# Group names are data shown in the admin; they stay in Chinese whatever the interface language.
GROUP_NAMES: dict[str, str] = {
    Role.CLERK: "部门填报员",
    Role.REVIEWER: "信用办审核员",
    Role.ADMIN: "平台管理员",
    Role.API_CLIENT: "API接入客户端",
}
# The roles of people working in the portal; an API client's service account is none of them.
STAFF_ROLES = (Role.CLERK, Role.REVIEWER, Role.ADMIN)

# "app_label.codename" or "app_label.*" (every permission of the app). Later apps add their rows here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: [
        "registry.view_subject",
        "registry.add_subject",
        "registry.change_subject",
        "registry.view_department",
        "workdays.view_calendaryear",
        "workdays.view_specialday",
        "disclosure.view_licensing",
        "disclosure.add_licensing",
        "disclosure.change_licensing",
        "disclosure.publish_licensing",
        "disclosure.withdraw_licensing",
        "disclosure.view_penalty",
        "disclosure.add_penalty",
        "disclosure.change_penalty",
        "disclosure.publish_penalty",
        "disclosure.withdraw_penalty",
        "disclosure.view_importjob",
        "disclosure.add_importjob",
        "campaigns.view_campaign",
        "campaigns.add_campaign",
        "campaigns.change_campaign",
        "campaigns.publish_campaign",
        "campaigns.view_campaignpost",
        "campaigns.add_campaignpost",
        "campaigns.view_campaignactivity",
        "campaigns.add_campaignactivity",
        "campaigns.view_specialaction",
        "campaigns.view_actionreport",
        "campaigns.add_actionreport",
        "campaigns.view_ledgertask",
        "campaigns.view_taskreport",
        "campaigns.add_taskreport",
        "campaigns.view_complaint",
        "campaigns.answer_complaint",
        "campaigns.view_credittalk",
        "campaigns.add_credittalk",
        "campaigns.change_credittalk",
        "sanctions.view_listtype",
        "sanctions.view_measure",
        "sanctions.view_listentry",
        "sanctions.add_listentry",
        "sanctions.change_listentry",
        "sanctions.view_creditcheck",
        "sanctions.add_creditcheck",
        "sanctions.view_measurefeedback",
        "sanctions.add_measurefeedback",
        "sanctions.view_commitment",
        "sanctions.add_commitment",
        "sanctions.resolve_commitment",
        "sanctions.view_evaluationmodel",
        "sanctions.view_gradeband",
        "sanctions.view_subjectgrade",
        "repair.view_application",
        "repair.answer_objection",
    ],
    Role.REVIEWER: [
        "registry.view_subject",
        "registry.view_department",
        "registry.view_user",
        "registry.reveal_id_number",
        "workdays.view_calendaryear",
        "workdays.view_specialday",
        "disclosure.view_licensing",
        "disclosure.view_penalty",
        "disclosure.view_importjob",
        "disclosure.view_deadlinepolicy",
        "disclosure.view_publicationperiodrule",
        "campaigns.view_campaign",
        "campaigns.add_campaign",
        "campaigns.change_campaign",
        "campaigns.publish_campaign",
        "campaigns.view_campaignpost",
        "campaigns.add_campaignpost",
        "campaigns.view_campaignactivity",
        "campaigns.view_specialaction",
        "campaigns.change_specialaction",
        "campaigns.view_actionreport",
        "campaigns.view_ledgertask",
        "campaigns.change_ledgertask",
        "campaigns.view_taskreport",
        "campaigns.view_rolemodel",
        "campaigns.add_rolemodel",
        "campaigns.change_rolemodel",
        "campaigns.view_starmerchant",
        "campaigns.add_starmerchant",
        "campaigns.change_starmerchant",
        "campaigns.view_complaint",
        "campaigns.assign_complaint",
        "campaigns.view_complaintpolicy",
        "campaigns.view_credittalk",
        "campaigns.add_credittalk",
        "campaigns.change_credittalk",
        "sanctions.view_listtype",
        "sanctions.view_measure",
        "sanctions.view_listentry",
        "sanctions.change_listentry",
        "sanctions.decide_listentry",
        "sanctions.publish_listentry",
        "sanctions.remove_listentry",
        "sanctions.view_creditcheck",
        "sanctions.view_measurefeedback",
        "sanctions.view_commitment",
        "sanctions.view_evaluationmodel",
        "sanctions.view_gradeband",
        "sanctions.view_subjectgrade",
        "sanctions.view_governmentrecord",
        "sanctions.add_governmentrecord",
        "sanctions.change_governmentrecord",
        "sanctions.view_integrityassessment",
        "sanctions.add_integrityassessment",
        "sanctions.change_integrityassessment",
        "repair.view_application",
        "repair.review_application",
        "repair.view_timelimitpolicy",
        "clients.view_apiclient",
        "clients.change_apiclient",
        "clients.approve_apiclient",
        "clients.view_apikey",
        "clients.view_apicall",
        "clients.view_dailyusage",
    ],
    Role.ADMIN: [
        "registry.*",
        "workdays.*",
        "disclosure.*",
        "campaigns.*",
        "sanctions.*",
        "repair.*",
        "credit_portal.*",
        "auth.view_group",
        "authtoken.*",
        "axes.*",  # see and lift login lockouts in the admin
        "clients.*",
    ],
    # A client's scopes, not permissions, decide what its service account may call (credit_portal.clients.scopes);
    # a client with the filing or credit-check scope is a clerk of its department instead.
    Role.API_CLIENT: [],
}


def role_of(user) -> str | None:
    """The user's role code, or None for anonymous users and accounts without a role."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_cached_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = None
        # Administrators outrank reviewers outrank clerks when an account carries several groups.
        for code in (Role.ADMIN, Role.REVIEWER, Role.CLERK, Role.API_CLIENT):
            if GROUP_NAMES[code] in names:
                role = code
                break
    user._cached_role = role
    return role


def is_clerk(user) -> bool:
    return role_of(user) == Role.CLERK


def is_reviewer(user) -> bool:
    return role_of(user) == Role.REVIEWER


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def is_staff_member(user) -> bool:
    return role_of(user) in STAFF_ROLES


def is_api_client(user) -> bool:
    """The service account of a managed API client (credit_portal.clients), whatever its role."""
    return getattr(user, "is_authenticated", False) and hasattr(user, "api_client")


def sees_all_departments(user) -> bool:
    """The credit office and administrators see every department (DOMAIN §1)."""
    return role_of(user) in (Role.REVIEWER, Role.ADMIN)


def scope_to_department(queryset: QuerySet, user, field: str = "department") -> QuerySet:
    """Restrict a queryset of department-owned rows to what the user may see."""
    role = role_of(user)
    if role in (Role.REVIEWER, Role.ADMIN):
        return queryset
    if role == Role.CLERK and user.department_id:
        return queryset.filter(**{field: user.department_id})
    return queryset.none()


def require_department(user: User, department: Department) -> None:
    """Refuse a write on another department's data: a clerk changes only their own department's records."""
    role = role_of(user)
    if role == Role.ADMIN:
        return
    if role == Role.CLERK and user.department_id == department.pk:
        return
    raise PermissionDenied(_("您只能处理本部门（%(department)s）的数据。") % {"department": user.department or "—"})


def require_role(user, *roles: str) -> None:
    if role_of(user) not in roles:
        raise PermissionDenied()


def ensure_role_groups() -> None:
    """Create the role groups and give each the permissions declared in ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, patterns in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        wanted = Permission.objects.none()
        for pattern in patterns:
            app_label, codename = pattern.split(".", 1)
            matching = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                matching = matching.filter(codename=codename)
            wanted = wanted | matching
        group.permissions.set(wanted.distinct())


def set_up_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate handler: give the role groups their permissions once every app's permissions exist.

    Connected in CreditPortalConfig.ready(), after django.contrib.auth has connected ``create_permissions``, so
    for each sender the permissions are already there; it acts on the last app with models, when all exist.
    """
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.name == with_models[-1].name:
        ensure_role_groups()
