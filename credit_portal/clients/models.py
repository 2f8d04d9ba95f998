"""Managed API clients (issue 12): who may call the API by key, with what scopes, and every call they made."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal.models import TimeStampedModel

from .choices import ClientKind, ClientStatus, Scope


class ApiClientQuerySet(models.QuerySet):
    def approved(self) -> ApiClientQuerySet:
        return self.filter(status=ClientStatus.APPROVED)


class ApiClient(TimeStampedModel):
    """A department system, bank or platform allowed to call the API with its own key (issue 12).

    Once approved it owns a service account (``service_user``): a Django user made for it, so that everything owned
    by users (watchlists, webhooks, credit checks) works for clients too. With the filing or credit-check scope that
    account is a clerk of ``department``; otherwise it has the "api_client" role and no department.
    """

    name = models.CharField(_("客户端名称"), max_length=100)
    organisation = models.CharField(_("申请单位"), max_length=200)
    kind = models.CharField(_("类别"), max_length=24, choices=ClientKind.choices)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    owner_email = models.EmailField(_("负责人邮箱"))
    purpose = models.TextField(_("用途说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ClientStatus.choices, default=ClientStatus.APPLIED)
    # A list of Scope values.
    scopes = models.JSONField(_("接口范围"), default=list)
    # The department the client files for, or on whose behalf it runs credit checks (DOMAIN §7: measures per department).
    department = models.ForeignKey(
        "registry.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("所属部门"),
    )
    # CIDRs, one per line; empty: any address.
    ip_allowlist = models.TextField(
        _("IP白名单"), blank=True, help_text=_("每行一个地址或地址段（CIDR），留空表示不限")
    )
    daily_quota = models.PositiveIntegerField(_("每日调用额度"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_client",
        verbose_name=_("服务账号"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代为申请人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("API客户端")
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_apiclient", _("可审批API客户端"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="apiclient_validity_window",
                violation_error_message=_("有效期止不能早于有效期起。"),
                violation_error_code="invalid_validity_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name + _("（%(detail)s）") % {"detail": self.organisation}

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes or [] if scope in Scope.values]

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """The allowlist, parsed (services refuse an invalid one before it is saved)."""
        lines = [line.strip() for line in self.ip_allowlist.splitlines()]
        return [ipaddress.ip_network(line, strict=False) for line in lines if line]

    def quota(self) -> int:
        return self.daily_quota if self.daily_quota is not None else settings.CLIENTS_DEFAULT_DAILY_QUOTA


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, *, now) -> ApiKeyQuerySet:
        """Keys not revoked and not past their grace deadline."""
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiKey(models.Model):
    """One key of a client: only a SHA-256 of it is stored; the key itself is shown once, when issued.

    Keys are random (256 bits), so a fast hash is safe; the prefix, stored in clear, finds the row in one lookup.
    A rotated-out key keeps working until ``expires_at`` (rotation without downtime) or until revoked.
    """

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="keys", verbose_name=_("客户端"))
    prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("签发人")
    )
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("API密钥")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ApiCall(models.Model):
    """One call by a client: who, when, what, how many rows, from where (issue 12; DOMAIN §10: kept 5 years)."""

    client = models.ForeignKey(ApiClient, models.PROTECT, related_name="calls", verbose_name=_("客户端"))
    key = models.ForeignKey(ApiKey, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("密钥"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("路径"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("状态码"))
    rows = models.PositiveIntegerField(_("返回条数"), null=True, blank=True)
    client_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    scope = models.CharField(_("接口范围"), max_length=16, choices=Scope.choices, blank=True)
    # Public-data calls may be pruned early; the others are query records kept at least 5 years (DOMAIN §10).
    is_public = models.BooleanField(_("公开数据调用"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("API调用记录")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["client", "at"], name="apicall_client_at"),
            models.Index(fields=["is_public", "at"], name="apicall_prune"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status_code}"


class DailyUsage(models.Model):
    """Calls per client per day: the quota counter and the office's statistics (one row, updated in place)."""

    client = models.ForeignKey(ApiClient, models.CASCADE, related_name="usage", verbose_name=_("客户端"))
    day = models.DateField(_("日期"))
    calls = models.PositiveIntegerField(_("调用次数"), default=0)
    refused = models.PositiveIntegerField(_("被拒次数"), default=0)
    errors = models.PositiveIntegerField(_("出错次数"), default=0)
    rows = models.PositiveBigIntegerField(_("返回条数"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("API每日用量")
        ordering = ["-day", "client"]
        constraints = [models.UniqueConstraint(fields=["client", "day"], name="dailyusage_client_day")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.day} {self.calls}"
