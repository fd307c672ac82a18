"""The Slack edge without a server: the global error handler, healthz, the notifier."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from slack_bolt import BoltRequest
from slack_sdk import WebClient

from bot.notifier import RecordingNotifier
from bot.services import Services
from bot.timekeeping import FixedClock
from handlers.bolt import build_app
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.server import create_wsgi_app
from storage.db import Database, make_engine

SECRET = "unit-secret"


class BrokenGroups:
    def locate(self, *args, **kwargs):
        raise RuntimeError("the database fell over")


def test_an_unexpected_error_is_answered_with_an_id_not_a_500(services: Services, caplog):
    broken = dataclasses.replace(services, groups=BrokenGroups())  # type: ignore[arg-type]
    with LocalSlack() as slack:
        client = WebClient(token="xoxb-unit", base_url=slack.api_url)
        app = build_app(
            services=broken, client=client, signing_secret=SECRET, default_language="sv"
        )
        req = sr.slash_command("hjälp", secret=SECRET)
        response = app.dispatch(BoltRequest(body=req.body.decode(), headers=dict(req.headers)))
    assert response.status == 200
    answer = json.loads(response.body)
    assert answer["response_type"] == "ephemeral"
    assert "Något gick fel hos oss (fel-id `" in answer["text"]
    error_id = answer["text"].split("`")[1]
    assert len(error_id) == 8
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None


def test_healthz_is_503_when_the_database_does_not_answer(services: Services):
    with LocalSlack() as slack:
        client = WebClient(token="xoxb-unit", base_url=slack.api_url)
        dead = Database(make_engine("postgresql://nobody@127.0.0.1:1/none"))
        app = build_app(
            services=services, client=client, signing_secret=SECRET, default_language="sv"
        )
        clock = FixedClock(datetime(2027, 1, 11, 6, 55, tzinfo=UTC))
        flask = create_wsgi_app(app, dead, clock=clock).test_client()
        response = flask.get("/healthz")
        assert response.status_code == 503
        assert response.get_json() == {
            "status": "unavailable",
            "database": "down",
            "now": "2027-01-11T06:55:00+00:00",  # the bot's time, even then
        }
        assert create_wsgi_app(app, services.db).test_client().get("/healthz").status_code == 200


def test_oversized_body_is_refused(services: Services):
    client = WebClient(token="xoxb-unit", base_url="http://127.0.0.1:9/api/")
    app = build_app(services=services, client=client, signing_secret=SECRET, default_language="sv")
    flask = create_wsgi_app(app, services.db).test_client()
    req = sr.slash_command("hjälp " + "x" * (2 * 1024 * 1024), secret=SECRET)
    response = flask.post("/slack/events", data=req.body, headers=req.headers)
    assert response.status_code == 413


def test_recording_notifier_is_what_services_talk_to(
    services: Services, notifier: RecordingNotifier
):
    assert services.groups.notifier is notifier
