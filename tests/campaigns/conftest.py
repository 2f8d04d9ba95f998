"""Fixtures of the campaigns tests."""

import importlib

import pytest

from django.apps import apps
from django.core.cache import cache

from campaigns import services
from campaigns.models import SpecialAction

_SEED_MIGRATION = "campaigns.migrations.0002_seed_actions_and_ledger"


@pytest.fixture(autouse=True)
def _seeded(db):
    """The seed rows come from a data migration; a transactional test (browser tests) run earlier flushes them."""
    if not SpecialAction.objects.exists():
        importlib.import_module(_SEED_MIGRATION).seed(apps, None)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The public endpoints are rate-limited per address; each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def linked(department_a, department_b):
    """The seeded actions and tasks linked to the departments that exist (A = 区市场监管局, B = 区税务局)."""
    services.link_seed_departments()
    return department_a, department_b


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence and materials go to a temporary folder, not the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
