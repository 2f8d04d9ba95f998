"""Write the dated open-data snapshot: `manage.py export_open_data [--date YYYY-MM-DD]`."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from ... import services


class Command(BaseCommand):
    help = "Write the open-data snapshot and daily delta (csv, JSON Lines, manifest with SHA-256) for a day."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD; default today")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        manifest = services.export_open_data(day=day)
        for entry in manifest["files"]:
            self.stdout.write(f"{entry['name']}\t{entry['rows']}\t{entry['sha256']}")
        self.stdout.write(manifest["date"])
