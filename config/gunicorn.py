"""Gunicorn's settings in production (the README's command):

    .venv/bin/gunicorn -c config/gunicorn.py config.wsgi

GUNICORN_BIND      where to listen (default 127.0.0.1:8000: behind a proxy that terminates TLS)
GUNICORN_WORKERS   worker processes (default: 2 per CPU, plus 1)
GUNICORN_TIMEOUT   seconds a worker may spend on one request (default 120: a full export of a
                   large site streams for longer than gunicorn's own 30)

Sync workers: each request has a worker (and its kept database connection) to itself, which
suits a site whose reads take a millisecond or two; the proxy in front buffers slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after this many requests (at a random point in the next hundred), so
# that memory a long-running process accumulates is given back.
max_requests = 10_000
max_requests_jitter = 100
# The project is loaded once, in the master, and each worker is forked from it: a replaced
# worker serves at once. Loaded in each worker, a replacement spent a second importing Django
# while its share of the requests waited (under load: p99 of 400-500 ms every few seconds,
# the static file's too). Database connections are opened by each worker, at its first query.
preload_app = True
