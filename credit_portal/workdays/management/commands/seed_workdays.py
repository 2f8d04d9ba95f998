"""``manage.py seed_workdays``: store chinesecalendar's official schedules for years missing from the database."""

from django.core.management.base import BaseCommand

from credit_portal.workdays import services


class Command(BaseCommand):
    help = "Store the official holiday schedules 2004-2026 from chinesecalendar where a year is missing."

    def handle(self, *args, **options):
        added = services.seed_official_schedules()
        self.stdout.write(f"{added} year(s) added.")
