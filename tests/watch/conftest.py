"""Fixtures of the watch tests: a real HTTP receiver on 127.0.0.1 that verifies signatures as a client would."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from credit_portal.watch import webhooks


@pytest.fixture(autouse=True)
def _watch_settings(settings):
    """Plain http to the local receiver; a small backoff so that tests step time forward by minutes, not days."""
    settings.WEBHOOK_ALLOW_HTTP_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 60
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class Received:
    headers: dict
    body: bytes
    signature_ok: bool
    answered: int

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook receiver as an API client would write it: checks X-Webhook-Signature with its secret."""

    secret: str = ""
    answers: deque = field(default_factory=deque)  # statuses to answer, in order; 200 once empty
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def answer(self) -> int:
        return self.answers.popleft() if self.answers else 200

    @property
    def delivered(self) -> list[Received]:
        return [item for item in self.received if 200 <= item.answered < 300]


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            ok = webhooks.verify(
                secret=state.secret,
                timestamp=self.headers.get(webhooks.HEADER_TIMESTAMP),
                body=body,
                signature=self.headers.get(webhooks.HEADER_SIGNATURE),
            )
            status = state.answer() if ok else 401
            state.received.append(Received(dict(self.headers), body, ok, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/credit?source=portal"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
