"""Prometheus figures for /metrics, through the standard client library.

Request latency is measured in each web worker process. `storfa serve` gives
its workers one PROMETHEUS_MULTIPROC_DIR, so a scrape answered by any of them
sums them all (prometheus_client's multiprocess mode); without it (tests, a
bare `uvicorn` run) the process's own figures are reported. Queue, ingest,
index and embedding figures are read from the store at scrape time
(service/health.py), so they hold for every process and survive restarts.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request

from storfa.app import Storfa
from storfa.service import health

log = logging.getLogger("storfa.metrics")

# Our own registry, not the library's global one: the default process and
# platform collectors mean nothing summed over worker processes.
_OWN = CollectorRegistry(auto_describe=True)
REQUEST_SECONDS = Histogram(
    "storfa_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=_OWN,
)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _Forward(Collector):
    """This process's own metrics, for a registry built per scrape."""

    def collect(self) -> Iterator[Metric]:
        yield from _OWN.collect()


class StoreCollector(Collector):
    """Figures read from the database and this node's index at scrape time."""

    def __init__(self, storfa: Storfa) -> None:
        self.storfa = storfa

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("storfa_database_up",
                               "1 when the database answered this scrape's queries.")
        try:
            families = list(self._families())
        except Exception as exc:
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self) -> Iterator[Metric]:
        app = self.storfa
        queue = health.job_queue(app)
        depth = GaugeMetricFamily("storfa_job_queue_depth", "Ingest jobs waiting to be claimed.")
        depth.add_metric([], queue.depth)
        yield depth
        oldest = GaugeMetricFamily("storfa_job_queue_oldest_age_seconds",
                                   "Age of the oldest waiting ingest job; 0 when none waits.")
        oldest.add_metric([], queue.oldest_seconds)
        yield oldest
        jobs = GaugeMetricFamily("storfa_jobs", "Ingest jobs by state (stale: running, "
                                 "but its worker stopped heartbeating).", labels=["state"])
        for state, n in sorted(queue.by_status.items()):
            jobs.add_metric([state], n)
        yield jobs
        results = CounterMetricFamily("storfa_ingest_results",
                                      "Finished ingest jobs by outcome.", labels=["status"])
        for status, n in health.ingest_outcomes(app).items():
            results.add_metric([status], n)
        yield results
        lag = health.index_lag(app)
        entries = GaugeMetricFamily("storfa_index_lag_entries",
                                    "Changes in the database this node's search index has "
                                    "not taken in yet.")
        entries.add_metric([], lag.entries)
        yield entries
        seconds = GaugeMetricFamily("storfa_index_lag_seconds",
                                    "Age of the oldest change the index has not taken in; "
                                    "0 when caught up.")
        seconds.add_metric([], lag.seconds)
        yield seconds
        backlog = GaugeMetricFamily("storfa_embedding_backlog_passages",
                                    "Current passages not yet embedded for search by meaning.")
        backlog.add_metric([], health.embedding_backlog(app))
        yield backlog


def exposition(storfa: Storfa) -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward())
    registry.register(StoreCollector(storfa))
    return generate_latest(registry)


def _loopback(request: Request) -> bool:
    # A proxy on this machine makes every visitor look local: a forwarded
    # request is a remote one.
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_read_metrics(request: Request, token: str | None) -> bool:
    """Loopback callers, and callers with the STORFA_METRICS_TOKEN bearer token."""
    if _loopback(request):
        return True
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return (bool(token) and scheme.lower() == "bearer"
            and hmac.compare_digest(given.strip().encode(), str(token).encode()))
