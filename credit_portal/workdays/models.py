"""Models of the working-day calendar: one row per year with its schedule, one row per special day (DOMAIN §4)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from credit_portal.models import TimeStampedModel

from .choices import DayKind, ScheduleSource


class CalendarYear(TimeStampedModel):
    """A year's holiday schedule; without ``is_official`` its computations are provisional (DOMAIN §4)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=ScheduleSource.choices, default=ScheduleSource.ADMIN)
    is_official = models.BooleanField(
        _("已按国务院通知确定"), default=False, help_text=_("勾选后，该年的期限计算不再标记为暂定。")
    )
    notice = models.CharField(_("通知文号"), max_length=100, blank=True, help_text=_("例如：国办发明电〔2025〕7号"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后修改人"),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949) & models.Q(year__lte=2200),
                name="calendar_year_in_range",
                violation_error_message=_("年份应在 1949 至 2200 之间。"),
                violation_error_code="year_out_of_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class SpecialDay(models.Model):
    """A statutory holiday (休) or a 调休 weekend working day (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如：春节"))
    year = models.ForeignKey(CalendarYear, models.CASCADE, related_name="special_days", verbose_name=_("年份"))

    class Meta:
        verbose_name = verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError(
                {"date": _("日期 %(date)s 不在 %(year)s 年内。") % {"date": self.date, "year": self.year.year}},
                code="wrong_year",
            )


class CalendarRevision(models.Model):
    """A single row whose token changes on every calendar edit, so each process knows its cache is stale."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return str(self.token)
