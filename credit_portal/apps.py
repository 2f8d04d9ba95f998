from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditPortalConfig(AppConfig):
    name = "credit_portal"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the post_migrate role set-up)
