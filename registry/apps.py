from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _set_up_roles_after_every_app(sender, **kwargs) -> None:
    """Give the role groups their permissions once every app's permissions exist.

    ``credit_portal.access`` connects its handler while models load, before django.contrib.auth connects
    ``create_permissions``: for the sender it listens to, the permissions did not exist yet. This handler is
    connected in ready() (after auth's) and runs for the last app that has models, when all of them exist.
    """
    from credit_portal import access

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.name == with_models[-1].name:
        access.ensure_role_groups()


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("主体与部门")

    def ready(self) -> None:
        from credit_portal import access

        post_migrate.disconnect(access._set_up_roles)
        post_migrate.connect(_set_up_roles_after_every_app, dispatch_uid="registry.set_up_roles")
