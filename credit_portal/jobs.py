"""The periodic jobs, declared once: Celery beat and ``manage.py run_jobs`` both read this list (STYLE §2.7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from celery.schedules import crontab, schedule


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a Celery task; it takes no argument and works out "today" itself
    schedule: schedule | crontab
    description: str


def interval(seconds: int) -> schedule:
    return schedule(run_every=timedelta(seconds=seconds))


JOBS: list[Job] = [
    Job(
        name="calendar-schedule-warning",
        task="credit_portal.workdays.tasks.warn_missing_schedules",
        schedule=crontab(hour=8, minute=0),
        description="Warn administrators when the coming year has no official holiday schedule (DOMAIN §4).",
    ),
    Job(
        name="push-outbox",
        task="credit_portal.exchange.tasks.push_outbox",
        schedule=interval(30),
        description="Push due outbox events to the upstream sharing platform, with retries (DOMAIN §12).",
    ),
    Job(
        name="reconcile-upstream",
        task="credit_portal.exchange.tasks.reconcile_upstream",
        schedule=crontab(hour=2, minute=30),
        description="Nightly: compare what was delivered upstream with what should have been, report gaps (DOMAIN §12).",
    ),
    Job(
        name="campaigns-overdue-complaints",
        task="campaigns.tasks.flag_overdue_complaints",
        schedule=crontab(hour=7, minute=10),
        description="Flag complaints past their handling deadline and notify the departments once (DOMAIN §9).",
    ),
    Job(
        name="campaigns-overdue-tasks",
        task="campaigns.tasks.flag_overdue_tasks",
        schedule=crontab(hour=7, minute=20),
        description="Flag ledger tasks past their deadline and notify the responsible units once (DOMAIN §9).",
    ),
    Job(
        name="campaigns-missing-action-reports",
        task="campaigns.tasks.remind_missing_action_reports",
        schedule=crontab(hour=7, minute=30),
        description="Remind units that have not filed last month's special-action progress report (seed 001).",
    ),
    Job(
        name="sanctions-expire-listings",
        task="sanctions.tasks.expire_listings",
        schedule=crontab(hour=1, minute=20),
        description="Remove list entries whose validity is over and tell upstream (DOMAIN §6).",
    ),
    Job(
        name="sanctions-overdue-commitments",
        task="sanctions.commitments.tasks.flag_overdue_commitments",
        schedule=crontab(hour=7, minute=40),
        description="Flag credit commitments past their deadline without evidence; notify the clerks once (issue 11).",
    ),
    Job(
        name="sanctions-recompute-grades",
        task="sanctions.evaluation.tasks.recompute_grades",
        schedule=crontab(hour=3, minute=10),
        description="Nightly: recompute every subject's public credit grade, set-based (issue 11).",
    ),
    Job(
        name="disclosure-refresh-provisional-due-dates",
        task="disclosure.tasks.refresh_provisional_due_dates",
        schedule=crontab(hour=0, minute=20),
        description="Recompute 双公示 due dates marked provisional once the official holiday schedule is in (DOMAIN §4).",
    ),
    Job(
        name="disclosure-mark-overdue",
        task="disclosure.tasks.mark_overdue",
        schedule=crontab(hour=0, minute=30),
        description="Mark 双公示 records past their publication deadline overdue; notify the clerks once (DOMAIN §4).",
    ),
    Job(
        name="disclosure-deadline-reminders",
        task="disclosure.tasks.send_deadline_reminders",
        schedule=crontab(hour=8, minute=30),
        description="Remind clerks of records due within two working days (DOMAIN §4).",
    ),
    Job(
        name="disclosure-expire-records",
        task="disclosure.tasks.expire_records",
        schedule=crontab(hour=1, minute=0),
        description="Expire penalties past their publication period and licences past validity; tell upstream (DOMAIN §5).",
    ),
    Job(
        name="disclosure-purge-import-files",
        task="disclosure.imports.tasks.purge_import_files",
        schedule=crontab(hour=3, minute=10),
        description="Delete uploaded import files some days after the import finished; they may hold ID numbers (DOMAIN §10).",
    ),
    Job(
        name="repair-time-limits",
        task="repair.tasks.scan_time_limits",
        schedule=crontab(minute=5),
        description="Hourly: remind before repair/objection time limits, flag overdue applications (DOMAIN §8).",
    ),
    Job(
        name="opendata-sync-changes",
        task="credit_portal.opendata.tasks.sync_changes",
        schedule=interval(60),
        description="Append new public changes (outbox, objections, grade changes) to the public change feed (issue 12).",
    ),
    Job(
        name="opendata-export",
        task="credit_portal.opendata.tasks.export_open_data",
        schedule=crontab(hour=3, minute=0),
        description="Daily open-data snapshot and delta as csv and JSON Lines with a SHA-256 manifest (issue 12).",
    ),
    Job(
        name="clients-expire",
        task="credit_portal.clients.tasks.expire_clients",
        schedule=crontab(hour=0, minute=40),
        description="Mark API clients whose validity window has ended as expired (issue 12).",
    ),
    Job(
        name="clients-prune-call-logs",
        task="credit_portal.clients.tasks.prune_call_logs",
        schedule=crontab(hour=4, minute=10),
        description="Prune API call logs: public-data calls after a set period, others never before 5 years (DOMAIN §10).",
    ),
    Job(
        name="watch-match-changes",
        task="credit_portal.watch.tasks.match_changes",
        schedule=interval(60),
        description="Match new public change events to watchlists: notifications and webhook deliveries (issue 12).",
    ),
    Job(
        name="watch-send-webhooks",
        task="credit_portal.watch.tasks.send_webhooks",
        schedule=interval(30),
        description="Send due webhook deliveries, signed, in order per subject, with backoff (issue 12).",
    ),
    Job(
        name="watch-email-digest",
        task="credit_portal.watch.tasks.send_digests",
        schedule=crontab(hour=7, minute=50),
        description="Daily email digest of the changes to each watcher's subjects (issue 12).",
    ),
    Job(
        name="watch-prune",
        task="credit_portal.watch.tasks.prune",
        schedule=crontab(hour=4, minute=20),
        description="Delete digested watch matches and delivered webhook deliveries older than WATCH_KEEP_DAYS (issue 12).",
    ),
]


def beat_schedule() -> dict:
    return {job.name: {"task": job.task, "schedule": job.schedule} for job in JOBS}
