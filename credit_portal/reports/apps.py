from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The public portal's top layer: subject profiles, credit reports, staff dashboards (issue 8)."""

    name = "credit_portal.reports"
    label = "reports"
    verbose_name = _("信用报告与统计")
