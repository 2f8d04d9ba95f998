from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("红黑名单与联合奖惩")

    def ready(self) -> None:
        from disclosure.signals import public_records_changed

        from .evaluation import receivers

        public_records_changed.connect(receivers.penalties_changed, dispatch_uid="sanctions.regrade_penalties")
