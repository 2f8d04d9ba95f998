"""Drain the outbox once: push every due event to the upstream platform and print the counts (DOMAIN §11)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from credit_portal.exchange import services


class Command(BaseCommand):
    help = "Push due outbox events to the upstream platform until none is due or the upstream fails."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="events per request (UPSTREAM_BATCH_SIZE)")
        parser.add_argument("--time-budget", type=float, default=None, help="seconds (UPSTREAM_DRAIN_SECONDS)")

    def handle(self, *args, batch_size=None, time_budget=None, **options):
        outcome = services.drain_outbox(
            batch_size=batch_size or settings.UPSTREAM_BATCH_SIZE,
            time_budget_seconds=time_budget if time_budget is not None else settings.UPSTREAM_DRAIN_SECONDS,
        )
        keys = ("sent", "accepted", "duplicate", "rejected", "retried", "dead")
        self.stdout.write(" ".join(f"{key}={outcome.get(key, 0)}" for key in keys))
