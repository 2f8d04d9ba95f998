"""Issued public credit reports (公共信用信息报告), kept so that anyone can verify one (issue 8, DOMAIN §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class CreditReport(models.Model):
    """One issued report: its number, subject, time and the PDF's digest; nothing about who asked (DOMAIN §10)."""

    number = models.CharField(_("报告编号"), max_length=40, unique=True)
    # A second secret printed on the report: a guessed number alone never verifies.
    verification_code = models.CharField(_("验证码"), max_length=12)
    subject = models.ForeignKey("registry.Subject", models.PROTECT, related_name="+", verbose_name=_("主体"))
    generated_at = models.DateTimeField(_("生成时间"), db_index=True)
    sha256 = models.CharField(_("PDF 摘要（SHA-256）"), max_length=64)
    # Staff who download a report are named; the public stays anonymous (DOMAIN §10: collect nothing not needed).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("申请人")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("公共信用信息报告")
        ordering = ["-generated_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return (
            reverse("credit-report-verify") + "?" + urlencode({"number": self.number, "code": self.verification_code})
        )
