"""The transactional outbox: one row per change the upstream sharing platform must learn of (DOMAIN §12)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access


class OutboxEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> OutboxEventQuerySet:
        """Clerks see their own department's events; the credit office and administrators see all."""
        return access.scope_to_department(self, user)


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it reports; the relay delivers it upstream."""

    class Kind(models.TextChoices):
        LICENSING = "licensing", _("行政许可")
        PENALTY = "penalty", _("行政处罚")
        LIST_ENTRY = "list_entry", _("红黑名单")

    class Action(models.TextChoices):
        UPSERT = "upsert", _("新增或更新")
        WITHDRAW = "withdraw", _("撤回")

    class Status(models.TextChoices):
        PENDING = "pending", _("待报送")
        DELIVERED = "delivered", _("已送达")
        REJECTED = "rejected", _("被退回")
        DEAD = "dead", _("放弃重试")

    kind = models.CharField(_("数据类别"), max_length=16, choices=Kind.choices)
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name=_("对象类型"))
    object_id = models.BigIntegerField(_("对象编号"))
    # The record's source department, copied when the event is written: its clerks see a rejection (DOMAIN §12).
    department = models.ForeignKey(
        "registry.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("数据来源单位"),
    )
    payload = models.JSONField(_("报送内容"))
    # Fixed when the event is written: a retry after a lost answer carries the same key (DOMAIN §12).
    idempotency_key = models.CharField(_("幂等键"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), blank=True)
    upstream_id = models.CharField(_("上游编号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    objects = OutboxEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("报送事件")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["content_type", "object_id", "status"], name="outbox_object"),
            # The ops page's "last successful push" is a max() over this column.
            models.Index(fields=["delivered_at"], name="outbox_delivered_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.action} ({self.status})"


class ReconciliationReport(models.Model):
    """The nightly comparison of what went upstream with what should have (DOMAIN §12)."""

    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True, db_index=True)
    is_clean = models.BooleanField(_("无差异"), default=True)
    report = models.JSONField(_("对账结果"), default=dict)

    class Meta:
        verbose_name = verbose_name_plural = _("对账报告")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {'ok' if self.is_clean else 'diff'}"
