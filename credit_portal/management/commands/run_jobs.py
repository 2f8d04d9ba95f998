"""Run every periodic job once, or keep running them on schedule without Redis (``--loop``, the demo)."""

import signal
import time
from datetime import datetime

from celery import current_app

from django.core.management.base import BaseCommand
from django.utils import timezone

from credit_portal import jobs


class Command(BaseCommand):
    help = "Run each periodic job once (or, with --loop, on its schedule as Celery beat would)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running jobs on their schedules")
        parser.add_argument("--only", action="append", default=[], help="run only the named job (repeatable)")

    def handle(self, *args, loop: bool = False, only: list[str], **options):
        # Celery imports the apps' tasks modules lazily (on a worker's start); a command must ask for them.
        current_app.loader.import_default_modules()
        selected = [job for job in jobs.JOBS if not only or job.name in only]
        unknown = set(only) - {job.name for job in jobs.JOBS}
        if unknown:
            self.stderr.write(f"unknown job(s): {', '.join(sorted(unknown))}")
            raise SystemExit(2)
        if not loop:
            for job in selected:
                self._run(job)
            return
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        last_run: dict[str, datetime] = {}
        for job in selected:  # start with one pass, as a fresh demo needs current figures
            self._run(job)
            last_run[job.name] = timezone.now()
        while not self._stopping:
            for job in selected:
                due, _next = job.schedule.is_due(last_run[job.name])
                if due:
                    self._run(job)
                    last_run[job.name] = timezone.now()
            time.sleep(1)

    def _stop(self, *args) -> None:
        self._stopping = True

    def _run(self, job: jobs.Job) -> None:
        task = current_app.tasks[job.task]
        started = time.monotonic()
        try:
            result = task.apply().get()  # in-process, whatever the broker
        except Exception as exc:  # one failing job must not stop the others
            self.stderr.write(f"{job.name}: failed: {exc!r}")
            return
        self.stdout.write(f"{job.name}: {result!r} ({time.monotonic() - started:.2f}s)")
