"""The seeded deadline and publication-period policies, restorable after a flush (credit_portal.seeding)."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps


def seed() -> None:
    """Put the seeded policies back when their tables are empty; never touches edited rows."""
    migration = import_module("disclosure.migrations.0002_seed_policies")
    rule_model = apps.get_model("disclosure", "PublicationPeriodRule")
    deadline_model = apps.get_model("disclosure", "DeadlinePolicy")
    if rule_model.objects.exists() or deadline_model.objects.exists():
        return
    migration.seed(apps, None)
