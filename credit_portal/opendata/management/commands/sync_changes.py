"""Catch the public change feed up with its sources once: `manage.py sync_changes`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = "Append new public change events from the outbox, objection steps and grade history (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(str(services.sync_changes()))
