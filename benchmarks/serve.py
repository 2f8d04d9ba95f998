"""The portal under gunicorn for the HTTP benchmarks, with the production settings of docs/deploy/gunicorn.conf.py.

``python benchmarks/serve.py --workers 2 --threads 10`` starts gunicorn (gthread workers, the app preloaded, as in
production) on 127.0.0.1 and a free port, prints ``ready <port>`` once the workers are up and serves until it is
terminated. Only what a benchmark must change is overridden: the address, workers and threads, no access log, and no
worker recycling during a measurement. ``GET /__bench_ping__`` answers from a WSGI wrapper without Django: the HTTP
overhead of the set-up (gunicorn, the client threads, the loopback network).
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "docs" / "deploy" / "gunicorn.conf.py"
PING_PATH = "/__bench_ping__"


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


def production_settings() -> dict:
    """The settings of docs/deploy/gunicorn.conf.py (module-level names gunicorn knows)."""
    from gunicorn.config import Config

    known = Config().settings
    values = runpy.run_path(str(GUNICORN_CONF))
    return {name: value for name, value in values.items() if name in known and value is not None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=10)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings")
    from gunicorn.app.base import BaseApplication

    def when_ready(server):
        port = server.LISTENERS[0].getsockname()[1]
        print(f"ready {port}", flush=True)

    settings = {
        **production_settings(),
        "bind": [f"{args.host}:{args.port}"],
        "workers": max(args.workers, 1),
        "threads": max(args.threads, 1),
        "accesslog": None,
        "loglevel": "warning",
        "max_requests": 0,  # no worker restart in the middle of a measurement
        "when_ready": when_ready,
    }

    class BenchmarkServer(BaseApplication):
        def load_config(self):
            for name, value in settings.items():
                self.cfg.set(name, value)

        def load(self):
            from django.core.wsgi import get_wsgi_application

            return with_ping(get_wsgi_application())

    BenchmarkServer().run()


if __name__ == "__main__":
    main()
