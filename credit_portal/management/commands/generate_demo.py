"""Load demo data: each app's ``demo.generate`` in dependency order, timed (DOMAIN §11, issue: fast for 1,000,000).

The command only orchestrates. ``registry.demo.generate(subjects=N, rng=, stdout=)`` creates departments, staff
accounts and subjects; then each later app's ``<app>.demo.generate(rng=, today=, stdout=, scale=N)`` adds its
records, set-based. An app that has no ``demo`` module yet is skipped with a note.
"""

from __future__ import annotations

import importlib
import random
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

# registry first (everything refers to its subjects), then the apps in their dependency order (STYLE §1).
LATER_STEPS = ("disclosure", "sanctions", "repair", "campaigns", "credit_portal.clients", "credit_portal.watch")


def load_demo_module(app_label: str):
    """``<app>.demo``, or None when the app has none (a broken import inside it still raises)."""
    try:
        return importlib.import_module(f"{app_label}.demo")
    except ModuleNotFoundError as exc:
        if exc.name in {f"{app_label}.demo", app_label}:
            return None
        raise


class Command(BaseCommand):
    help = "Generate demo departments, users, subjects, records, lists and campaigns (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=2000, help="number of subjects (default 2000)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when subjects already exist")
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data (default 2026)")
        parser.add_argument(
            "--records-per-subject",
            type=float,
            default=None,
            help="licensing + penalty records per subject (default 0.5; the city scale of issue 10 plans 3)",
        )

    def handle(self, *args, subjects: int, if_empty: bool, seed: int, records_per_subject: float | None, **options):
        from registry.models import Subject

        if subjects < 1:
            raise CommandError("--subjects must be at least 1")
        if records_per_subject is not None and not 0 <= records_per_subject <= 10:
            raise CommandError("--records-per-subject must be between 0 and 10")
        if if_empty and Subject.objects.exists():
            self.stdout.write("subjects already exist: demo data not generated (--if-empty)")
            return
        registry_demo = load_demo_module("registry")
        if registry_demo is None:
            raise CommandError("registry.demo is missing: the registry app provides the departments and subjects")

        rng = random.Random(seed)
        today = timezone.localdate()
        started = time.monotonic()
        self._step("registry", lambda: registry_demo.generate(subjects=subjects, rng=rng, stdout=self.stdout))
        for app_label in LATER_STEPS:
            module = load_demo_module(app_label)
            if module is None:
                self.stdout.write(f"{app_label}: no demo data yet (no {app_label}.demo module)")
                continue
            extra = {"records_per_subject": records_per_subject} if app_label == "disclosure" else {}
            self._step(
                app_label,
                lambda m=module, extra=extra: m.generate(
                    rng=rng, today=today, stdout=self.stdout, scale=subjects, **extra
                ),
            )
        cache.delete("home-figures")  # the home page's counts (credit_portal.views.home_figures)
        self.stdout.write(self.style.SUCCESS(f"demo data ready in {time.monotonic() - started:.1f} s"))

    def _step(self, name: str, run) -> None:
        """Run one app's step and print how long it took."""
        self.stdout.write(f"{name}: generating …")
        started = time.monotonic()
        run()
        self.stdout.write(f"{name}: done in {time.monotonic() - started:.1f} s")
