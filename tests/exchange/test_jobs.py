"""The exchange's periodic jobs: declared once in credit_portal.jobs, run by beat and by run_jobs (STYLE §2.7)."""

from datetime import timedelta

import pytest
from celery.schedules import crontab

from django.core.management import call_command

from credit_portal import jobs
from credit_portal.exchange.models import OutboxEvent, ReconciliationReport

from .factories import OutboxEventFactory


def job(name):
    (found,) = [entry for entry in jobs.JOBS if entry.name == name]
    return found


def test_the_outbox_is_pushed_every_30_seconds():
    push = job("push-outbox")
    assert push.task == "credit_portal.exchange.tasks.push_outbox"
    assert push.schedule.run_every == timedelta(seconds=30)
    assert jobs.beat_schedule()["push-outbox"]["task"] == push.task


def test_reconciliation_runs_nightly():
    reconcile = job("reconcile-upstream")
    assert isinstance(reconcile.schedule, crontab)
    assert reconcile.schedule.hour == {2}


@pytest.mark.django_db
def test_run_jobs_pushes_the_outbox_and_reconciles(fake_upstream, capsys):
    OutboxEventFactory.create_batch(3)
    call_command("run_jobs", "--only", "push-outbox", "--only", "reconcile-upstream")
    assert OutboxEvent.objects.filter(status=OutboxEvent.Status.DELIVERED).count() == 3
    assert fake_upstream.stats()["accepted"] == 3
    assert ReconciliationReport.objects.get().is_clean
    assert "push-outbox: {'sent': 3, 'accepted': 3}" in capsys.readouterr().out


@pytest.mark.django_db
def test_benchmark_prints_push_and_raw_rates_and_leaves_no_events(capsys):
    call_command("benchmark_push", events=40, batch_size=10)
    out = capsys.readouterr().out
    assert "delivered: 40" in out
    assert "fake upstream raw acceptance:" in out and "outbox push (database + HTTP):" in out
    assert OutboxEvent.objects.count() == 0
