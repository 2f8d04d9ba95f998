"""The campaigns jobs are declared in credit_portal.jobs and run through their Celery tasks."""

import pytest
from celery import current_app

from credit_portal import jobs

pytestmark = pytest.mark.django_db

CAMPAIGN_JOBS = {"campaigns-overdue-complaints", "campaigns-overdue-tasks", "campaigns-missing-action-reports"}


def test_each_campaigns_job_is_declared_and_its_task_runs_twice_safely():
    import campaigns.tasks  # noqa: F401  (registers the tasks)

    declared = {job.name: job for job in jobs.JOBS if job.name.startswith("campaigns-")}
    assert set(declared) == CAMPAIGN_JOBS
    for job in declared.values():
        task = current_app.tasks[job.task]
        first = task.apply().get()
        assert isinstance(first, int)
        assert task.apply().get() == 0  # a second run finds nothing new
