"""A fake of the upstream sharing platform, speaking DOMAIN §12, for the demo and the tests.

Standard library only (``ThreadingHTTPServer``), so it runs in-process from a test (port 0 on 127.0.0.1) or as
``manage.py fake_upstream --port 8765`` beside the demo. Switches inject the faults the relay must survive:
plain failures (500), throttling (429 with Retry-After), latency (time-outs), lost answers (the batch is
processed, then the connection is dropped without an answer) and rejections.

Besides ``POST /records`` it offers ``GET /records`` (every accepted record) and ``GET /stats`` (counters, among
them ``concurrent_sends``: a key that arrived while a request with the same key was still in flight).
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

KINDS = frozenset({"licensing", "penalty", "list_entry"})
ACTIONS = frozenset({"upsert", "withdraw"})
LEGAL_PERSON_CATEGORIES = frozenset({"legal_entity", "individual_business", "法人及非法人组织", "个体工商户"})

# The standard's mandatory fields the fake checks (DOMAIN §3), with the Chinese names its messages use.
SUBJECT_FIELDS = {"subject_name": "行政相对人名称", "subject_category": "行政相对人类别"}
MANDATORY_FIELDS: dict[str, dict[str, str]] = {
    "licensing": {**SUBJECT_FIELDS, "document_number": "行政许可决定文书号", "decision_date": "许可决定日期"},
    "penalty": {**SUBJECT_FIELDS, "document_number": "行政处罚决定书文号", "decision_date": "处罚决定日期"},
    "list_entry": {"subject_name": "行政相对人名称"},
}

STAT_NAMES = (
    "requests",
    "records_received",
    "accepted",
    "duplicate",
    "rejected",
    "failed_500",
    "throttled_429",
    "lost_answers",
    "unauthorized",
    "bad_requests",
    "concurrent_sends",
    "broken_connections",
)


@dataclass
class Switches:
    """Fault injection; rates are probabilities per request (per record for ``reject_rate``)."""

    token: str = "demo-upstream-token"
    failure_rate: float = 0.0
    status_429_rate: float = 0.0
    lost_answer_rate: float = 0.0
    reject_rate: float = 0.0
    latency: float = 0.0
    retry_after: float = 1.0
    seed: int | None = None


@dataclass
class Stored:
    idempotency_key: str
    kind: str
    action: str
    payload: dict
    upstream_id: str
    received_at: str
    times_received: int = 1


@dataclass
class State:
    accepted: dict[str, Stored] = field(default_factory=dict)
    stats: Counter = field(default_factory=Counter)
    in_flight: Counter = field(default_factory=Counter)
    sequence: int = 0


def check_record(record: Any) -> str:
    """The reason the upstream refuses one record, in Chinese, or "" when it is acceptable."""
    if not isinstance(record, dict):
        return "记录格式错误：应为 JSON 对象。"
    kind, action, payload = record.get("kind"), record.get("action"), record.get("payload")
    if kind not in KINDS:
        return f"未知的数据类别：{kind}。"
    if action not in ACTIONS:
        return f"未知的动作：{action}。"
    if not isinstance(payload, dict):
        return "报送内容（payload）缺失或格式错误。"
    if action == "withdraw":
        return ""  # a withdrawal names its record by the key's object; the fake asks no more of it
    missing = [f"{label}（{name}）" for name, label in MANDATORY_FIELDS[kind].items() if not payload.get(name)]
    if (
        kind != "list_entry"
        and payload.get("subject_category") in LEGAL_PERSON_CATEGORIES
        and not (payload.get("uscc") or payload.get("registration_number"))
    ):
        missing.append("行政相对人代码_1（统一社会信用代码）（uscc）")
    if missing:
        return "缺少必填字段：" + "、".join(missing) + "。"
    return ""


class FakeUpstream:
    """The fake platform: ``with FakeUpstream(port=0) as upstream: upstream.url ...``."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        records_file: str | Path | None = None,
        log=None,
        **switches: Any,
    ):
        self.host = host
        self.port = port
        self.switches = Switches(**switches)
        self.records_file = Path(records_file) if records_file else None
        self.log = log
        self.state = State()
        self._lock = threading.Lock()
        self._rng = random.Random(self.switches.seed)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeUpstream:
        """Listen (on a free port when port is 0; the same port again after ``stop()``) in a daemon thread."""
        self._server = _Server((self.host, self.port), _Handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-upstream", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: the relay then sees refused connections, as when the platform is down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- switches and inspection -----------------------------------------------------------------------------
    def configure(self, **switches: Any) -> None:
        """Change fault switches while running, e.g. ``configure(failure_rate=0.3)``."""
        with self._lock:
            for name, value in switches.items():
                if not hasattr(self.switches, name):
                    raise TypeError(f"unknown switch {name!r}")
                setattr(self.switches, name, value)
            if "seed" in switches:
                self._rng = random.Random(switches["seed"])

    def records(self) -> list[dict]:
        with self._lock:
            return [asdict(stored) for stored in self.state.accepted.values()]

    def stats(self) -> dict[str, int]:
        """Every counter, zero when nothing happened yet."""
        with self._lock:
            stats = {name: 0 for name in STAT_NAMES} | dict(self.state.stats)
            stats["distinct_keys"] = len(self.state.accepted)
            return stats

    def reset(self) -> None:
        with self._lock:
            self.state = State()

    # --- the protocol ----------------------------------------------------------------------------------------
    def _chance(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate

    def draw_fault(self) -> str:
        """Which fault, if any, this request meets: "failure", "throttle", "lost" or ""."""
        with self._lock:
            switches = self.switches
            if self._chance(switches.failure_rate):
                return "failure"
            if self._chance(switches.status_429_rate):
                return "throttle"
            if self._chance(switches.lost_answer_rate):
                return "lost"
            return ""

    def begin(self, keys: list[str]) -> None:
        """Note the keys in flight; a key already in flight means two senders at once (counted, not refused)."""
        with self._lock:
            for key in keys:
                if self.state.in_flight[key]:
                    self.state.stats["concurrent_sends"] += 1
                self.state.in_flight[key] += 1

    def end(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self.state.in_flight[key] -= 1
                if self.state.in_flight[key] <= 0:
                    del self.state.in_flight[key]

    def process(self, records: list[Any]) -> list[dict]:
        """Store what is acceptable and answer per record: accepted, duplicate or rejected."""
        results = []
        written = []
        now = datetime.now(UTC).isoformat()
        with self._lock:
            stats = self.state.stats
            stats["records_received"] += len(records)
            for record in records:
                key = record.get("idempotency_key") if isinstance(record, dict) else None
                if not isinstance(key, str) or not key:
                    results.append(
                        {"idempotency_key": key, "status": "rejected", "upstream_id": "", "message": "缺少幂等键。"}
                    )
                    stats["rejected"] += 1
                    continue
                stored = self.state.accepted.get(key)
                if stored is not None:  # a retry after a lost answer: the first copy stands
                    stored.times_received += 1
                    stats["duplicate"] += 1
                    results.append(
                        {
                            "idempotency_key": key,
                            "status": "duplicate",
                            "upstream_id": stored.upstream_id,
                            "message": "",
                        }
                    )
                    continue
                reason = check_record(record)
                if not reason and self._chance(self.switches.reject_rate):
                    reason = "上游平台校验未通过：数据与国家标准不符，请核对后重新报送。"
                if reason:
                    stats["rejected"] += 1
                    results.append(
                        {"idempotency_key": key, "status": "rejected", "upstream_id": "", "message": reason}
                    )
                    continue
                self.state.sequence += 1
                stored = Stored(
                    idempotency_key=key,
                    kind=record["kind"],
                    action=record["action"],
                    payload=record["payload"],
                    upstream_id=f"UP{self.state.sequence:08d}",
                    received_at=now,
                )
                self.state.accepted[key] = stored
                written.append(stored)
                stats["accepted"] += 1
                results.append(
                    {"idempotency_key": key, "status": "accepted", "upstream_id": stored.upstream_id, "message": ""}
                )
            if written and self.records_file is not None:
                with self.records_file.open("a", encoding="utf-8") as handle:
                    for stored in written:
                        handle.write(json.dumps(asdict(stored), ensure_ascii=False) + "\n")
        return results

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.state.stats[name] += amount

    def say(self, message: str) -> None:
        if self.log is not None:
            self.log(message)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for a request sleeping on injected latency

    def __init__(self, address, handler, upstream: FakeUpstream):
        self.upstream = upstream
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        # A sender that gave up (time-out) or an answer dropped on purpose breaks the pipe: expected here.
        self.upstream.count("broken_connections")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # the command prints its own one-line summaries
        pass

    def _send_json(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_HEAD(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        upstream = self.server.upstream
        if self.path.rstrip("/") == "/records":
            self._send_json(HTTPStatus.OK, {"records": upstream.records()})
        elif self.path.rstrip("/") == "/stats":
            self._send_json(HTTPStatus.OK, upstream.stats())
        elif self.path in ("", "/"):
            self._send_json(HTTPStatus.OK, {"service": "fake upstream sharing platform"})
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self) -> None:
        upstream = self.server.upstream
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.rstrip("/") != "/records":
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        upstream.count("requests")
        if self.headers.get("Authorization", "") != f"Bearer {upstream.switches.token}":
            upstream.count("unauthorized")
            self._send_json(HTTPStatus.UNAUTHORIZED, {"error": "令牌无效。"})
            return
        try:
            records = json.loads(raw)["records"]
            if not isinstance(records, list):
                raise TypeError("records is not a list")
        except (ValueError, KeyError, TypeError):
            upstream.count("bad_requests")
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": '请求体应为 {"records": [...]}。'})
            return
        keys = [record.get("idempotency_key") for record in records if isinstance(record, dict)]
        keys = [key for key in keys if isinstance(key, str)]
        upstream.begin(keys)
        try:
            self._answer(upstream, records)
        finally:
            upstream.end(keys)

    def _answer(self, upstream: FakeUpstream, records: list) -> None:
        if upstream.switches.latency > 0:
            time.sleep(upstream.switches.latency)
        fault = upstream.draw_fault()
        if fault == "failure":
            upstream.count("failed_500")
            upstream.say(f"POST /records: {len(records)} records -> 500 (injected failure)")
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "内部错误（模拟）。"})
            return
        if fault == "throttle":
            upstream.count("throttled_429")
            upstream.say(f"POST /records: {len(records)} records -> 429 (injected throttling)")
            self._send_json(
                HTTPStatus.TOO_MANY_REQUESTS,
                {"error": "请求过于频繁（模拟）。"},
                headers={"Retry-After": f"{upstream.switches.retry_after:g}"},
            )
            return
        results = upstream.process(records)
        summary = Counter(result["status"] for result in results)
        if fault == "lost":
            upstream.count("lost_answers")
            upstream.say(f"POST /records: {len(records)} records processed {dict(summary)}, answer dropped (injected)")
            self.close_connection = True
            try:  # processed, but the sender never hears of it
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        upstream.say(
            f"POST /records: {len(records)} records -> "
            f"{summary['accepted']} accepted, {summary['duplicate']} duplicate, {summary['rejected']} rejected"
        )
        self._send_json(HTTPStatus.OK, {"results": results})
