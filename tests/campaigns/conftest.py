"""Fixtures of the campaigns tests."""

import pytest
from django.core.cache import cache

from campaigns import services


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
