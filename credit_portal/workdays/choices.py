"""Code lists of the working-day calendar (DOMAIN §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleSource(models.TextChoices):
    """Where a year's holiday schedule comes from."""

    OFFICIAL = "official", _("国务院办公厅通知")
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
    ADMIN = "admin", _("管理员录入")
    PROVISIONAL = "provisional", _("暂定（仅法定节假日）")


class DayKind(models.TextChoices):
    """A day that differs from the plain Monday-to-Friday week."""

    HOLIDAY = "holiday", _("休")
    WORKDAY = "workday", _("调休上班")
