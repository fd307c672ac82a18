"""``GET /metrics``: what an operator watches, in Prometheus' text format.

From the database, so every web process answers the same: the outbox's backlog (rows due and how
long the oldest has waited, rows pending and being sent) and the sends by Slack's answer (ok, 429,
error) that every clock process adds to. From the web processes: how long each Slack request took
to answer, per kind (command, action, view, options, event). gunicorn runs several worker
processes; with a multiprocess directory (``python app.py serve`` makes one) each worker writes
its histogram there and a scrape adds them up, whichever worker it reaches.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from bot.timekeeping import Clock
from storage.db import Database
from storage.metrics import delivery_counts, open_outbox
from storage.outbox import DUE_BACKLOG

CONTENT_TYPE = CONTENT_TYPE_LATEST
KINDS = ("command", "action", "view", "options", "shortcut", "event", "other")
# Slack waits 3 s for an acknowledgement: the buckets are finest below that
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
REQUEST_SECONDS = Histogram(
    "est_slack_request_duration_seconds",
    "Time from a Slack request's arrival to the bot's HTTP answer (the acknowledgement).",
    ["kind"],
    buckets=BUCKETS,
    registry=None,  # registered per scrape (below), never in the global registry
)
_TYPES = {
    "block_actions": "action",
    "interactive_message": "action",
    "view_submission": "view",
    "view_closed": "view",
    "block_suggestion": "options",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "event_callback": "event",
    "url_verification": "event",
}


def kind_of(body: Mapping[str, Any]) -> str:
    """Which kind of Slack request a parsed body is."""
    if body.get("command"):
        return "command"
    return _TYPES.get(str(body.get("type") or ""), "other")


def observe(kind: str, seconds: float) -> None:
    REQUEST_SECONDS.labels(kind=kind).observe(seconds)


class _DatabaseCollector(Collector):
    """The outbox and the sends, read at each scrape."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        now = self.clock.now()
        row = self.db.read_one(DUE_BACKLOG, {"now": now}) or {}
        oldest = _aware(row.get("oldest"))
        due = GaugeMetricFamily("est_outbox_due", "Outbox rows due now and not yet sent.")
        due.add_metric([], float(row.get("due") or 0))
        yield due
        age = GaugeMetricFamily(
            "est_outbox_oldest_due_age_seconds",
            "How long the oldest due, unsent outbox row has waited (0 when none is due).",
        )
        age.add_metric([], max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)
        yield age
        open_rows = GaugeMetricFamily(
            "est_outbox_open", "Outbox rows not yet sent, by status.", labels=["status"]
        )
        for status, n in open_outbox(self.db).items():
            open_rows.add_metric([status], float(n))
        yield open_rows
        sends = CounterMetricFamily(
            "est_outbox_sends",
            "Messages the outbox tried to send, by Slack's answer (ok, 429, error).",
            labels=["result"],
        )
        for result, n in delivery_counts(self.db).items():
            sends.add_metric([result], float(n))
        yield sends


class _LocalCollector(Collector):
    """This process's histogram, when there is no multiprocess directory (one process)."""

    def collect(self) -> Iterator[Metric]:
        yield from REQUEST_SECONDS.collect()


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)  # SQLite's aggregate: text


def render(db: Database, clock: Clock, *, multiprocess_dir: str | None) -> bytes:
    """The whole exposition, in Prometheus' text format."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir:
        MultiProcessCollector(registry, path=multiprocess_dir)  # type: ignore[no-untyped-call]
    else:
        registry.register(_LocalCollector())
    registry.register(_DatabaseCollector(db, clock))
    return generate_latest(registry)
