"""Reference data of campaigns: the 20 special actions (seed 001), the 25 ledger tasks (seed 004) and the default
complaint handling time, restorable after a flush (credit_portal.seeding).

The data migration 0002 holds the one definition; this runs it again on the current models. It is idempotent
(update_or_create / get_or_create), so an administrator's edits of the handling time are kept.
"""

from __future__ import annotations

from importlib import import_module


def seed(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    import_module("campaigns.migrations.0002_seed_actions_and_ledger").seed(apps, None)
