"""The HTTP edge: a Flask WSGI app served by gunicorn (threaded workers)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, jsonify, request
from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.flask.handler import to_bolt_request, to_flask_response

from bot.activities.calendar import CalendarService
from bot.services import Services
from bot.timekeeping import BotClock, Clock, monotonic
from handlers import metrics
from handlers.web.deadline import BodyTimedOut, with_body_deadline
from storage.db import Database
from storage.outbox import DUE_BACKLOG

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is refused (413)


def create_wsgi_app(
    bolt: App,
    db: Database,
    *,
    calendar: CalendarService | None = None,
    clock: Clock | None = None,
    metrics_dir: str | None = None,
    services: Services | None = None,
) -> Flask:
    """`POST /slack/events` for everything Slack sends; `GET /healthz` for the platform (with the
    bot's time); `GET /metrics` in Prometheus' text format (``metrics_dir``: where gunicorn's
    workers share their figures); `GET /calendar/<token>.ics` for a group's calendar feed; with
    ``services``, the reporters' web form at `/rapportera/<token>`."""
    time = clock or BotClock()
    flask = Flask("est-bot")
    flask.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    flask.wsgi_app = with_body_deadline(flask.wsgi_app)  # type: ignore[method-assign,assignment]

    @flask.errorhandler(BodyTimedOut)
    def body_timed_out(error: BodyTimedOut) -> Response:
        """A body that stopped arriving: 408, and the app did nothing with it."""
        if services is not None and request.path.startswith("/rapportera/"):
            from handlers.web.reporting import timed_out

            return timed_out()
        return _problem(408, "the request body stopped arriving")

    @flask.post("/slack/events")
    def slack_events() -> Response:
        try:
            request.get_data(cache=True).decode("utf-8")
        except UnicodeDecodeError:
            return _problem(400, "the body is not UTF-8")
        try:
            bolt_request = to_bolt_request(request)
        except ValueError:  # Bolt parses JSON bodies and `payload` fields eagerly
            return _problem(400, "the body is neither form data nor JSON")
        started = monotonic()
        response = to_flask_response(bolt.dispatch(bolt_request))
        metrics.observe(metrics.kind_of(bolt_request.body), monotonic() - started)
        return response

    if bolt.oauth_flow is not None:  # several workspaces: the install link and Slack's redirect
        from slack_bolt.adapter.flask import SlackRequestHandler

        oauth = SlackRequestHandler(bolt)
        for name, path in (
            ("slack_install", bolt.oauth_flow.install_path),
            ("slack_oauth_redirect", bolt.oauth_flow.redirect_uri_path),
        ):
            flask.add_url_rule(path, name, lambda: oauth.handle(request), methods=["GET"])

    @flask.get("/healthz")
    def healthz() -> tuple[Response, int]:
        ok = db.ping()
        now = time.now()
        body: dict[str, Any] = {
            "status": "ok" if ok else "unavailable",
            "database": "ok" if ok else "down",
            "now": now.isoformat(timespec="seconds"),
        }
        if ok:
            body["outbox"] = _backlog(db, now)
        return jsonify(body), 200 if ok else 503

    @flask.get("/metrics")
    def metrics_text() -> Response:
        body = metrics.render(db, time, multiprocess_dir=metrics_dir)
        return Response(body, content_type=metrics.CONTENT_TYPE)

    @flask.get("/calendar/<token>.ics")
    def calendar_feed(token: str) -> Response:
        body = calendar.feed(token, now=time.now()) if calendar is not None else None
        if body is None:
            return _problem(404, "no such calendar")
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="est.ics"'
        response.headers["Cache-Control"] = "private, max-age=300"
        return response

    if services is not None:  # the reporters' web form, under each reporter's secret link
        from handlers.web import reporting

        reporting.register(flask, services)
    return flask


def _backlog(db: Database, now: datetime) -> dict[str, Any]:
    """The outbox's lag: rows due and unsent, and how long the oldest of them has waited."""
    row = db.read_one(DUE_BACKLOG, {"now": now}) or {}
    oldest: datetime | None = row.get("oldest")
    if oldest is not None and oldest.tzinfo is None:  # SQLite's aggregate loses the type
        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=UTC)
    lag = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return {"due": int(row.get("due") or 0), "lag_seconds": round(lag, 1)}


def _problem(status: int, detail: str) -> Response:
    response = jsonify({"error": detail})
    response.status_code = status
    return response


# gunicorn ships no type hints, hence the ignore
class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn started from Python, so `python app.py serve` is the whole command."""

    def __init__(self, factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.factory()
