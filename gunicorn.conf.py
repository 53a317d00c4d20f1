"""gunicorn reads this file from the working directory, so `gunicorn config.wsgi:application`
(./dev, the Dockerfile, compose) runs with it. Environment variables override each value.

Threads with keep-alive (issue 7 benchmarks, docs/benchmarks.md): a sync worker closes the
connection after every response, so each request pays a TCP handshake, and one slow search
blocks its whole process. Each thread keeps its own database connection (CONN_MAX_AGE).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A worker is replaced after this many requests (with jitter), bounding slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def post_worker_init(worker):
    """Once a worker has loaded the app, import its URLconf and views too (Django does that
    on the first request), then move everything loaded so far out of the garbage
    collector's sight (gc.freeze): collections then walk what requests allocate, not
    Django's ~120k import-time objects each time (issue 7; ~1 ms of a new search in
    process). Workers load the app after forking, so this is about CPU, not shared pages."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports config.urls and every view)
    gc.collect()
    gc.freeze()
