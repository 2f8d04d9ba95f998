"""Link the seeded special actions and ledger tasks to departments by name (seeds 001 and 004)."""

from django.core.management.base import BaseCommand

from campaigns import services


class Command(BaseCommand):
    help = "Link the 20 special actions and 25 ledger tasks to departments by name; --create-missing adds the units."

    def add_arguments(self, parser):
        parser.add_argument("--create-missing", action="store_true", help="create departments the documents name")

    def handle(self, *args, create_missing: bool = False, **options):
        linked = services.link_seed_departments(create_missing=create_missing)
        self.stdout.write(f"linked {linked}")
