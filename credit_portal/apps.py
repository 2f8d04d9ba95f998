from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CreditPortalConfig(AppConfig):
    name = "credit_portal"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import access, audit

        # After django.contrib.auth's ready() (earlier in INSTALLED_APPS), so permissions exist when it runs.
        post_migrate.connect(access.set_up_roles_after_migrate, dispatch_uid="credit_portal.set_up_roles")
        audit.connect_login_signals()
