"""The integration tests' pushes go to the workers: no unit test before them may leave Celery eager."""

from __future__ import annotations

import pytest
from celery import current_app

from django.conf import settings

pytestmark = pytest.mark.integration


def test_celery_sends_tasks_to_the_broker_here():
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert current_app.conf.task_always_eager is False
