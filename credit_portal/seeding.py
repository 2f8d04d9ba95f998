"""Reference data that migrations seed (calendar, policies, list types, measures …), restorable after a flush.

Data migrations fill these tables once. A database emptied since (``manage.py flush``, transactional tests) has
lost them, so each app may offer ``<app>/reference_data.py`` with an idempotent ``seed() -> None``; ``reseed_reference_data``
runs them all, in INSTALLED_APPS order.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def reseed_reference_data() -> list[str]:
    """Run every app's ``reference_data.seed()``; returns the labels of the apps that have one."""
    seeded = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.reference_data"
        if find_spec(module_name) is None:
            continue
        import_module(module_name).seed()
        seeded.append(config.label)
    return seeded
