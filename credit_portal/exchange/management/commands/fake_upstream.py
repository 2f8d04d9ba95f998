"""Run the fake upstream sharing platform (DOMAIN §12) for the demo and manual tests."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from credit_portal.exchange.fake_upstream import FakeUpstream


class Command(BaseCommand):
    help = "Serve a fake upstream platform speaking DOMAIN §12, with switches for failures, latency and lost answers."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--token", default=None, help="bearer token to expect (default: UPSTREAM_TOKEN)")
        parser.add_argument("--failure-rate", type=float, default=0.0, help="share of requests answered 500")
        parser.add_argument("--status-429-rate", type=float, default=0.0, help="share of requests answered 429")
        parser.add_argument("--lost-answer-rate", type=float, default=0.0, help="share processed, then dropped")
        parser.add_argument("--reject-rate", type=float, default=0.0, help="share of valid records rejected")
        parser.add_argument("--latency", type=float, default=0.0, help="seconds to wait before answering")
        parser.add_argument("--retry-after", type=float, default=1.0, help="Retry-After of a 429, in seconds")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--records-file", default=None, help="also append accepted records to this JSON-lines file"
        )

    def handle(self, *args, **options):
        upstream = FakeUpstream(
            host=options["host"],
            port=options["port"],
            records_file=options["records_file"],
            log=self._log,
            token=options["token"] or settings.UPSTREAM_TOKEN,
            failure_rate=options["failure_rate"],
            status_429_rate=options["status_429_rate"],
            lost_answer_rate=options["lost_answer_rate"],
            reject_rate=options["reject_rate"],
            latency=options["latency"],
            retry_after=options["retry_after"],
            seed=options["seed"],
        )
        upstream.start()
        self.stdout.write(f"[fake upstream] listening on {upstream.url} (Ctrl+C stops)")
        self.stdout.flush()
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *args: stopped.set())
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            upstream.stop()

    def _log(self, message: str) -> None:
        self.stdout.write(f"[fake upstream] {message}")
        self.stdout.flush()
