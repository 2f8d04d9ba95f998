"""The Celery app; beat's schedule is read from the job registry in ``credit_portal.jobs``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings")

app = Celery("credit_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def install_beat_schedule(sender: Celery, **kwargs) -> None:
    """Beat and ``run_jobs`` read the same declarations (STYLE §2.7)."""
    from credit_portal import jobs

    sender.conf.beat_schedule = jobs.beat_schedule()
