"""The shipped fake upstream, started in-process on 127.0.0.1 with a free port; settings point the relay at it."""

from __future__ import annotations

import pytest

from credit_portal.exchange.fake_upstream import FakeUpstream

TOKEN = "test-upstream-token"


@pytest.fixture
def fake_upstream(settings):
    """A running fake upstream; the relay's settings point at it, with short time-outs and backoff."""
    with FakeUpstream(port=0, token=TOKEN, seed=7) as upstream:
        settings.UPSTREAM_URL = upstream.url
        settings.UPSTREAM_TOKEN = TOKEN
        settings.UPSTREAM_TIMEOUT_SECONDS = 1.0
        settings.UPSTREAM_BACKOFF_BASE_SECONDS = 30
        settings.UPSTREAM_BACKOFF_MAX_SECONDS = 3600
        settings.UPSTREAM_MAX_ATTEMPTS = 5
        settings.UPSTREAM_BATCH_SIZE = 50
        yield upstream
