"""Backoff after failed pushes: exponential, capped, with jitter (DOMAIN §12)."""

import random

import pytest

from credit_portal.exchange.services import backoff_delay


@pytest.fixture
def backoff_settings(settings):
    settings.UPSTREAM_BACKOFF_BASE_SECONDS = 30
    settings.UPSTREAM_BACKOFF_MAX_SECONDS = 3600


def test_backoff_ceiling_doubles_with_each_failure(backoff_settings):
    # With the highest draw the delay is the ceiling itself: base * 2**(attempts-1).
    class Top(random.Random):
        def uniform(self, a, b):
            return b

    delays = [backoff_delay(attempts=n, rng=Top()) for n in range(1, 6)]
    assert delays == [30, 60, 120, 240, 480]


def test_backoff_is_capped_at_the_maximum(backoff_settings):
    delays = [backoff_delay(attempts=n, rng=random.Random(n)) for n in range(1, 200)]
    assert max(delays) <= 3600
    assert min(delays[20:]) >= 1800  # capped ceiling 3600, equal jitter keeps at least half
    assert backoff_delay(attempts=10_000, rng=random.Random(1)) <= 3600


def test_backoff_jitter_spreads_one_batch_between_half_and_full_ceiling(backoff_settings):
    rng = random.Random(42)
    delays = [backoff_delay(attempts=3, rng=rng) for _ in range(200)]
    assert all(60 <= delay <= 120 for delay in delays)
    assert len({round(delay, 3) for delay in delays}) > 150  # not one value for every event


def test_backoff_grows_on_average(backoff_settings):
    rng = random.Random(3)
    averages = [sum(backoff_delay(attempts=n, rng=rng) for _ in range(50)) / 50 for n in range(1, 8)]
    assert averages == sorted(averages)
