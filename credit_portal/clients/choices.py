"""Code lists of managed API clients (issue 12)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClientKind(models.TextChoices):
    DEPARTMENT_SYSTEM = "department_system", _("部门业务系统")
    BANK = "bank", _("金融机构（信易贷）")
    PLATFORM = "platform", _("其他平台")


class ClientStatus(models.TextChoices):
    APPLIED = "applied", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", pgettext_lazy("api client status", "未通过")
    SUSPENDED = "suspended", _("已暂停")
    EXPIRED = "expired", _("已过期")


class Scope(models.TextChoices):
    """What a client may call; ``credit_portal.clients.scopes`` maps every API path to one of them."""

    PUBLIC_DATA = "public_data", _("公开数据")
    CREDIT_CHECKS = "credit_checks", _("信用核查")
    FILING = "filing", _("部门数据报送")
    WATCHLISTS = "watchlists", _("关注名单与推送")


# Scopes that act for a department: the client's service account is a clerk of that department (DOMAIN §1, §7).
DEPARTMENT_SCOPES = frozenset({Scope.FILING, Scope.CREDIT_CHECKS})


class ErrorCode(models.TextChoices):
    """Stable codes of the API-key checks and the client workflow (STYLE §2.4)."""

    INVALID_KEY = "invalid_api_key", _("API密钥无效")
    NOT_APPROVED = "client_not_approved", _("客户端未获批准")
    SUSPENDED = "client_suspended", _("客户端已暂停")
    NOT_YET_VALID = "client_not_yet_valid", _("未到有效期")
    EXPIRED = "client_expired", _("已过有效期")
    IP_NOT_ALLOWED = "ip_not_allowed", _("来源地址不在允许范围")
    SCOPE_MISSING = "scope_missing", _("未授权的接口范围")
    QUOTA_EXCEEDED = "quota_exceeded", _("超出每日调用额度")
    DEPARTMENT_REQUIRED = "department_required", _("须指定部门")
    INVALID_NETWORK = "invalid_network", _("IP地址段无效")
    INVALID_SCOPE = "invalid_scope", _("接口范围无效")
    INVALID_WINDOW = "invalid_validity_window", _("有效期无效")
