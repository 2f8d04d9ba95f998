"""A pre-forked, thread-pooled WSGI server for the HTTP benchmarks (standard library only).

``python benchmarks/serve.py --workers 2 --threads 10`` binds 127.0.0.1 on a free port, prints ``ready <port>``
and serves the portal from ``workers`` processes sharing one listening socket, each with a pool of ``threads``
threads (the shape of gunicorn's gthread workers, which the project does not depend on). A pool rather than a
thread per request keeps each thread's database connection open between requests (``CONN_MAX_AGE``).
``GET /__bench_ping__`` answers from the server itself, without Django: the HTTP overhead of the set-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parent.parent
PING_PATH = "/__bench_ping__"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class PooledWSGIServer(WSGIServer):
    """Requests handled by a fixed pool of threads (socketserver's ThreadingMixIn starts one per request)."""

    request_queue_size = 256
    pool: ThreadPoolExecutor

    def process_request(self, request, client_address):
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def with_ping(application):
    def wrapped(environ, start_response):
        # As nginx's real_ip module would: the load generator names a different visitor per request, so that
        # the public throttle (per client address) is exercised without answering 429 to one address.
        if environ.get("HTTP_X_FORWARDED_FOR"):
            environ["REMOTE_ADDR"] = environ["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
        if environ.get("PATH_INFO") == PING_PATH:
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return application(environ, start_response)

    return wrapped


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=10)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings")
    from django.core.wsgi import get_wsgi_application

    application = with_ping(get_wsgi_application())  # no query yet: forking after this is safe
    server = PooledWSGIServer((args.host, args.port), QuietHandler)
    server.set_app(application)
    for _ in range(max(args.workers, 1) - 1):
        if os.fork() == 0:
            break
    server.pool = ThreadPoolExecutor(max_workers=args.threads)
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
