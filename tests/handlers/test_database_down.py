"""A form submitted while the database is down stays open, with what the person wrote in it
and a clear Swedish error under its first field (an empty 200 closed it and told nothing);
sent again once the database answers, it is saved. A command gets the same clear answer, with
its text handed back."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import text as sql

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import RecordingNotifier
from bot.services import Services
from handlers.bolt import build_app
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.server import create_wsgi_app
from storage.db import Database, make_engine
from tests.handlers.conftest import SECRET, Edge, _now, _today, edge_of, fingerprint

DOWN = "Databasen svarar inte just nu"


def _refused_port() -> int:
    """A port on this machine where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Down:
    slack: LocalSlack
    http: Any

    def post(self, req: sr.SignedRequest) -> tuple[int, str]:
        response = self.http.post("/slack/events", data=req.body, headers=req.headers)
        return response.status_code, response.get_data(as_text=True)


@pytest.fixture
def up(services: Services) -> Iterator[Edge]:
    load_demo(services.db, services.groups, now=_now())
    yield from edge_of(services, process_before_response=False)  # as `serve` runs it


@pytest.fixture(params=["server-stopped", "disk-gone"])
def down(request: pytest.FixtureRequest) -> Iterator[Down]:
    """The same bot on a database that does not answer: a PostgreSQL server that is not
    running, or a SQLite file on a disk that is gone."""
    if request.param == "server-stopped":
        url = f"postgresql://postgres@127.0.0.1:{_refused_port()}/est"
    else:
        url = "sqlite:////nonexistent-disk/est.db"
    db = Database(make_engine(url))
    with LocalSlack() as slack:
        app = build_app(
            services=Services.build(db, RecordingNotifier()),
            client=WebClient(token="xoxb-unit", base_url=slack.api_url),
            signing_secret=SECRET,
            default_language="sv",
        )
        yield Down(slack, create_wsgi_app(app, db).test_client())
    db.engine.dispose()


def _incident_form(up: Edge) -> dict[str, Any]:
    opened = sr.slash_command(
        "händelse", secret=SECRET, user_id="U0ANNA", channel_id=DEMO_CHANNEL, team_id=DEMO_TEAM
    )
    assert up.post(opened) == (200, "")
    view: dict[str, Any] = up.slack.wait_for("views.open")[0].response["view"]
    assert view["callback_id"] == Callback.INCIDENT
    return view


def _filled(up: Edge, description: str) -> dict[str, Any]:
    with up.services.db.engine.connect() as conn:
        place, category = conn.execute(
            sql(
                "SELECT p.id, c.id FROM place p JOIN category c ON c.group_id = p.group_id"
                " WHERE p.name = 'Fittja centrum' ORDER BY c.id LIMIT 1"
            )
        ).one()
    return sr.state_values(
        sr.select_value(Block.PLACE, Action.PLACE, str(place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(category)),
        sr.date_value(Block.DATE, Action.DATE, _today().isoformat()),
        sr.time_value(Block.WHEN, Action.TIME, "00:01"),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, description),
    )


def _incidents(up: Edge, description: str) -> int:
    with up.services.db.engine.connect() as conn:
        query = sql("SELECT count(*) FROM incident WHERE description = :d")
        return int(conn.execute(query, {"d": description}).scalar_one())


def test_the_incident_form_stays_open_while_the_database_is_down(up: Edge, down: Down):
    view = _incident_form(up)
    description = "Lustgaspatroner på trappan mot tunnelbanan"
    submitted = sr.view_submission(
        view, _filled(up, description), secret=SECRET, user_id="U0ANNA", team_id=DEMO_TEAM
    )
    before = fingerprint(up.services)
    status, body = down.post(submitted)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"  # the form stays open, filled in
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    [(field, said)] = answer["errors"].items()
    assert field == inputs[0]
    assert said.startswith(f"{DOWN}, så inget sparades. Det du skrev finns kvar här")
    # nothing else was said, nothing posted (Bolt asks auth.test once, on its first request)
    assert [c.method for c in down.slack.calls if c.method != "auth.test"] == []
    assert fingerprint(up.services) == before

    # the database answers again: the same submission (the form as it was left) is saved
    assert up.post(submitted) == (200, "")
    up.slack.wait_for("chat.postEphemeral")
    assert _incidents(up, description) == 1


def test_the_create_group_form_stays_open_while_the_database_is_down(up: Edge, down: Down):
    opened = sr.slash_command(
        "inställningar", secret=SECRET, user_id="U0NEW", channel_id="C0NYGRUPP", team_id="T0EST"
    )
    assert up.post(opened) == (200, "")
    view = up.slack.wait_for("views.open")[0].response["view"]
    assert view["callback_id"] == Callback.CREATE_GROUP
    values = sr.state_values(
        sr.text_value(Block.NAME, Action.NAME, "EST Tullinge"),
        sr.text_value(Block.ORGANISATION, Action.ORGANISATION, "Botkyrka kommun"),
        sr.select_value(Block.KIND, Action.KIND, "kommun"),
        sr.select_value(Block.LANGUAGE, Action.LANGUAGE, "sv"),
    )
    submitted = sr.view_submission(view, values, secret=SECRET, user_id="U0NEW", team_id="T0EST")
    status, body = down.post(submitted)
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors"
    assert list(answer["errors"]) == [Block.NAME]
    assert DOWN in answer["errors"][Block.NAME]
    assert up.post(submitted) == (200, "")  # and saved once it answers
    with up.services.db.engine.connect() as conn:
        names = conn.execute(sql("SELECT name FROM est_group")).scalars().all()
    assert "EST Tullinge" in names


def test_a_command_while_the_database_is_down_is_answered_with_its_text(down: Down):
    typed = "händelse Fittja centrum; klotter; Nytt klotter på gaveln; igår 21:30"
    req = sr.slash_command(
        typed, secret=SECRET, user_id="U0ANNA", channel_id=DEMO_CHANNEL, team_id=DEMO_TEAM
    )
    status, body = down.post(req)
    answer = json.loads(body)
    assert status == 200 and answer["response_type"] == "ephemeral"
    assert answer["text"].startswith(DOWN)
    assert f"/est {typed}" in json.dumps(answer["blocks"], ensure_ascii=False)
