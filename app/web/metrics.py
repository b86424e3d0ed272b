"""Prometheus metrics at ``/metrics``, off unless ``CTSAT_METRICS=1``.

Requests are counted and timed per route rule (never per path, which may hold a token). With
several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder the workers share
(and add ``child_exit`` from docs/deploy.md to the gunicorn configuration), so that one scrape sees every worker.
Expose ``/metrics`` to the monitoring network only: the proxy in docs/deploy.md refuses it from elsewhere.
"""

from __future__ import annotations

import os

from flask import Flask
from prometheus_client import CollectorRegistry


def register_metrics(app: Flask) -> None:
    if not app.config.get("METRICS"):
        return
    options = {"group_by": "url_rule", "excluded_paths": ["/static/", "/healthz", "/readyz"]}
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        metrics = GunicornInternalPrometheusMetrics(app, path="/metrics", **options)
    else:
        from prometheus_flask_exporter import PrometheusMetrics

        # A registry per app: tests and scripts may build several apps in one process.
        metrics = PrometheusMetrics(app, path="/metrics", registry=CollectorRegistry(), **options)
    metrics.info("ctsat_info", "CTSAT application", version="0.1.0")
    app.extensions["ctsat.metrics"] = metrics
