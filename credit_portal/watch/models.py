"""Watchlists of subjects, the changes matched to them, and webhook endpoints with their deliveries (issue 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal.models import TimeStampedModel


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user) -> OwnedQuerySet:
        """Only the user's own rows: a watchlist or endpoint of someone else is a 404 (STYLE §2.5)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Watchlist(TimeStampedModel):
    """A named list of subjects (by code) that one user follows: a staff member or an API client's account."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="watchlists", verbose_name=_("所有人")
    )
    name = models.CharField(_("名称"), max_length=100)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("关注清单")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="watchlist_name_per_owner",
                violation_error_message=_("您已有同名的关注清单，请换一个名称。"),
                violation_error_code="duplicate_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class WatchedSubject(models.Model):
    """One code on one watchlist; the matching job joins change events to this table on ``uscc``."""

    watchlist = models.ForeignKey(Watchlist, models.CASCADE, related_name="subjects", verbose_name=_("关注清单"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("关注主体")
        ordering = ["uscc"]
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "uscc"],
                name="watched_subject_once_per_list",
                violation_error_message=_("该代码已在清单中。"),
                violation_error_code="duplicate_code",
            )
        ]
        # The matching join probes by code: (uscc, watchlist) serves it from the index alone.
        indexes = [models.Index(fields=["uscc", "watchlist"], name="watched_subject_by_code")]

    def __str__(self) -> str:
        return self.uscc


class WatchMatch(models.Model):
    """A public change touching a subject the owner watches: once per owner and change, whatever the lists."""

    # No index of its own: the unique (owner, change) index leads with it. Fewer indexes, faster matching inserts.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="watch_matches",
        verbose_name=_("关注人"),
        db_index=False,
    )
    change = models.ForeignKey("opendata.ChangeEvent", models.CASCADE, related_name="+", verbose_name=_("变化事件"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    matched_at = models.DateTimeField(_("匹配时间"))
    # Set when the daily digest has dealt with the match (mailed, or the owner has no address).
    digested_at = models.DateTimeField(_("摘要发送时间"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("关注变化")
        ordering = ["-change_id"]
        constraints = [models.UniqueConstraint(fields=["owner", "change"], name="watch_match_once_per_owner")]
        # Only the matches still waiting for the digest: small once the daily digest has run.
        indexes = [
            models.Index(fields=["owner"], name="watch_match_undigested", condition=models.Q(digested_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.change_id}"


class MatchCursor(models.Model):
    """The one row saying up to which change event the matching job has read; locked while it runs."""

    last_change_id = models.BigIntegerField(_("已匹配的最后变化编号"), default=0)
    matched_at = models.DateTimeField(_("最近匹配时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("关注匹配进度")

    def __str__(self) -> str:
        return f"changes ≤ {self.last_change_id}"


class WebhookEndpoint(TimeStampedModel):
    """An HTTPS address of the owner's system that receives each matched change, signed with the secret."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="webhook_endpoints", verbose_name=_("所有人")
    )
    url = models.URLField(_("推送地址"), max_length=500)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    # Encrypted at rest (credit_portal.crypto): the portal must read it to sign, so it cannot be hashed.
    secret_encrypted = models.TextField(_("签名密钥（加密）"))
    is_active = models.BooleanField(_("启用"), default=True)
    # Set by the portal after WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row; cleared when re-enabled.
    disabled_at = models.DateTimeField(_("自动停用时间"), null=True, blank=True)
    failure_streak = models.PositiveIntegerField(_("连续失败次数"), default=0)
    # After a failure the whole endpoint waits (exponential backoff), so a dead receiver is not hammered.
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_success_at = models.DateTimeField(_("最近成功时间"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("推送地址")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_deliverable(self) -> bool:
        return self.is_active and self.disabled_at is None


class WebhookDelivery(models.Model):
    """One change to send to one endpoint; retried until the receiver answers 2xx (at least once, in order)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        DELIVERED = "delivered", _("已送达")

    # No index of its own: the unique (endpoint, change) index leads with it.
    endpoint = models.ForeignKey(
        WebhookEndpoint, models.CASCADE, related_name="deliveries", verbose_name=_("推送地址"), db_index=False
    )
    change = models.ForeignKey("opendata.ChangeEvent", models.CASCADE, related_name="+", verbose_name=_("变化事件"))
    # The change's subject: deliveries of one subject to one endpoint go out in change order.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("最近应答状态码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("推送记录")
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "change"], name="webhook_delivery_once")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "uscc", "status"], name="webhook_delivery_subject"),
        ]

    def __str__(self) -> str:
        return self.delivery_id

    @property
    def delivery_id(self) -> str:
        """The idempotency id: the same for every attempt and for a manual redelivery of this change."""
        return f"wd_{self.endpoint_id}_{self.change_id}"
