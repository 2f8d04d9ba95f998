from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credit_portal.opendata"
    label = "opendata"
    verbose_name = _("公开数据")
