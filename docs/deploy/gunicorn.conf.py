"""gunicorn settings of the credit portal (docs/production.md); used by credit-portal-web.service.

Threaded workers (gthread): most of a request is waiting on PostgreSQL, and threads share the worker's persistent
database connection pool (DB_CONN_MAX_AGE). Workers = cores; threads per worker 4-8. Every worker × thread may hold a
database connection: keep workers × threads × machines below PostgreSQL's max_connections minus the Celery workers'.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "6"))
timeout = 60  # nginx's proxy_read_timeout; imports, reports and exports in bulk run in Celery
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers slowly against slow leaks, with jitter so that they do not restart together
max_requests_jitter = 200
preload_app = True  # import Django once; workers fork with the code loaded
forwarded_allow_ips = "127.0.0.1"  # only nginx on this machine may set X-Forwarded-Proto
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def pre_fork(server, worker):
    """Move everything the preloaded application allocated out of the garbage collector's sight before each fork.

    The workers then never traverse Django's modules, URL patterns and translations in a full collection (pauses of
    tens of milliseconds under load), and those pages stay shared with the master instead of being copied when the
    collector touches their reference counts.
    """
    gc.freeze()
