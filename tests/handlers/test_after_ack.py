"""Incidents are written after Slack's acknowledgement: a write that fails then is still told
to the person, privately, with their text handed back — and nothing half-written is kept."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot.actors import Actor
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.incidents.service import IncidentService, Logged, Understood
from bot.services import Services
from bot.weekly.meetings import MeetingService, Minutes
from bot.weekly.reports import ReportForm, ReportService
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now, _today, edge_of, fingerprint


class FailingWrite(IncidentService):
    """Understands like the real service; its write fails like a database that fell over."""

    def save(self, actor: Actor, understood: Understood, *, now: datetime) -> Logged:
        raise RuntimeError("the database fell over mid-write")


class FailingClose(MeetingService):
    """Closing a meeting fails like a database that fell over."""

    def close(self, actor: Actor, meeting_id: int, *, now: datetime) -> Minutes:
        raise RuntimeError("the database fell over mid-close")


class FailingReportForm(ReportService):
    """The report form cannot be read: the database fell over."""

    def form(
        self,
        actor: Actor,
        *,
        now: datetime,
        add: Sequence[str] = (),
        week_text: str = "",
        only: Sequence[int] | None = None,
        message: str = "",
        for_week: tuple[int, int] | None = None,
    ) -> ReportForm:
        raise RuntimeError("the database fell over mid-read")


def _serving(services: Services) -> Iterator[Edge]:
    load_demo(services.db, services.groups, now=_now())
    yield from edge_of(services, process_before_response=False)  # as `serve` runs it


@pytest.fixture
def failing(services: Services) -> Iterator[Edge]:
    broken = FailingWrite(services.db, services.incidents.notifier)
    yield from _serving(dataclasses.replace(services, incidents=broken))


@pytest.fixture
def falling_over(services: Services) -> Iterator[Edge]:
    meetings = FailingClose(services.db, services.actions)
    reports = FailingReportForm(services.db)
    yield from _serving(dataclasses.replace(services, meetings=meetings, reports=reports))


@pytest.fixture
def serving(services: Services) -> Iterator[Edge]:
    yield from _serving(services)


def _incidents(edge: Edge) -> int:
    with edge.services.db.engine.connect() as conn:
        return int(conn.execute(sql("SELECT count(*) FROM incident")).scalar_one())


def _plain(message: dict[str, Any]) -> list[str]:
    return [
        b["text"]["text"]
        for b in message["blocks"]
        if b["type"] == "section" and b["text"]["type"] == "plain_text"
    ]


def test_a_quick_incident_whose_write_fails_is_handed_back(failing: Edge) -> None:
    before = _incidents(failing)
    typed = "Fittja centrum; klotter; Taggar på hela gaveln mot parkeringen; nu"
    req = sr.slash_command(
        f"händelse {typed}",
        secret=SECRET,
        user_id="U0ANNA",
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=failing.slack.response_url("quick"),
    )
    status, body = failing.post(req)
    assert (status, body) == (200, "")  # acknowledged before the write was tried
    answer = failing.slack.wait_for_response("quick")
    assert answer["response_type"] == "ephemeral"
    assert "Något gick fel hos oss" in answer["text"] and "Inget sparades" in answer["text"]
    assert _plain(answer) == [f"/est händelse {typed}"]
    assert _incidents(failing) == before


def _form(edge: Edge, view_id: str, description: str) -> sr.SignedRequest:
    with edge.services.db.engine.connect() as conn:
        place, category = conn.execute(
            sql(
                "SELECT p.id, c.id FROM place p JOIN category c ON c.group_id = p.group_id"
                " WHERE p.name = 'Fittja centrum' ORDER BY c.id LIMIT 1"
            )
        ).one()
    values = sr.state_values(
        sr.select_value(Block.PLACE, Action.PLACE, str(place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(category)),
        sr.date_value(Block.DATE, Action.DATE, _today().isoformat()),
        sr.time_value(Block.WHEN, Action.TIME, "00:01"),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, description),
    )
    view = {
        "id": view_id,
        "callback_id": Callback.INCIDENT,
        "private_metadata": json.dumps({"c": DEMO_CHANNEL}),
        "blocks": [],
    }
    return sr.view_submission(view, values, secret=SECRET, user_id="U0ANNA", team_id=DEMO_TEAM)


def test_a_form_whose_write_fails_is_told_privately_with_the_text(failing: Edge) -> None:
    before = _incidents(failing)
    description = "Grupp som hotade förbipasserande vid busshållplatsen"
    status, body = failing.post(_form(failing, "V0FAILING", description))
    assert (status, body) == (200, "")  # the form closed: the write comes after
    (told,) = failing.slack.wait_for("chat.postEphemeral")
    assert (told.args["channel"], told.args["user"]) == (DEMO_CHANNEL, "U0ANNA")
    assert "Något gick fel hos oss" in told.args["text"]
    assert _plain(told.args) == [description]
    assert _incidents(failing) == before


def test_a_meeting_is_opened_after_the_ack_and_a_refusal_follows_it(
    services: Services, edge: Edge
) -> None:
    load_demo(services.db, services.groups, now=_now())
    before = fingerprint(services)
    stranger = sr.slash_command(
        "möte",
        secret=SECRET,
        user_id="U0NOBODY",
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=edge.slack.response_url("stranger"),
    )
    assert edge.post(stranger) == (200, "")
    refusal = edge.slack.wait_for_response("stranger")
    assert refusal["response_type"] == "ephemeral" and "medlem" in refusal["text"]
    assert fingerprint(services) == before
    assert edge.slack.calls_to("chat.postMessage") == []

    anna = sr.slash_command(
        "möte", secret=SECRET, user_id="U0ANNA", channel_id=DEMO_CHANNEL, team_id=DEMO_TEAM
    )
    assert edge.post(anna) == (200, "")
    agenda = edge.slack.wait_for("chat.postMessage")[0]
    assert agenda.args["channel"] == DEMO_CHANNEL
    with services.db.engine.connect() as conn:
        assert conn.execute(sql("SELECT count(*) FROM meeting")).scalar_one() == 1


def test_a_saved_form_stays_acknowledged_when_its_confirmation_fails(serving: Edge) -> None:
    """Slack failing the private confirmation must not turn the form's acknowledgement into an
    error (the person would press again). Ten forms: Bolt lost the ack only now and then."""
    before = _incidents(serving)
    serving.slack.fail_next("chat.postEphemeral", status=500, times=10)
    for n in range(10):  # one at a time: the in-memory test database has one connection
        form = _form(serving, f"V0CONFIRM{n}", f"Bekräftelsen faller {n}")
        assert serving.post(form) == (200, "")
        serving.slack.wait_for("chat.postEphemeral", count=n + 1)
    assert _incidents(serving) == before + 10


@pytest.mark.parametrize("button", [Action.CLOSE_MEETING, Action.OPEN_REPORT])
def test_a_button_that_fails_after_its_ack_stays_acknowledged_and_tells_the_presser(
    falling_over: Edge, button: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A button that acts (closes the meeting) or opens a form (the report) and fails after
    its acknowledgement: let through, Bolt took back the ack now and then and Slack showed an
    error after 3 s. Ten presses, each acknowledged and answered privately with the error's id."""
    told = []
    for n in range(10):
        press = sr.block_action(
            button,
            "1",
            secret=SECRET,
            user_id="U0ANNA",
            channel_id=DEMO_CHANNEL,
            team_id=DEMO_TEAM,
            response_url=falling_over.slack.response_url(f"press{n}"),
        )
        assert falling_over.post(press) == (200, "")
        answer = falling_over.slack.wait_for_response(f"press{n}")
        assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
        assert "Något gick fel hos oss" in answer["text"]
        told += re.findall(r"`([0-9a-f]{8})`", answer["text"])
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.name == "est.errors" and r.exc_info and r.exc_info[0] is RuntimeError
    ]
    assert len(told) == 10  # each logged with its traceback, under the id the presser was told
    assert logged == [f"error {error_id} in block_actions" for error_id in told]


def test_a_shortcut_whose_slack_call_fails_after_its_ack_stays_acknowledged(serving: Edge) -> None:
    """The message shortcut asks Slack for the message's link after its acknowledgement; Slack
    failing there is told to the person, and no form opens."""
    serving.slack.fail_next("chat.getPermalink", status=500, times=10)
    for n in range(10):
        shortcut = sr.message_shortcut(
            Callback.LOG_INCIDENT_SHORTCUT,
            {"ts": f"1763800000.00010{n}", "text": "Bråk vid trappan", "user": "U0ERIK"},
            secret=SECRET,
            user_id="U0ANNA",
            channel_id=DEMO_CHANNEL,
            team_id=DEMO_TEAM,
            response_url=serving.slack.response_url(f"shortcut{n}"),
        )
        assert serving.post(shortcut) == (200, "")
        answer = serving.slack.wait_for_response(f"shortcut{n}")
        assert answer["response_type"] == "ephemeral"
        assert "Något gick fel hos oss" in answer["text"]
    assert serving.slack.calls_to("views.open") == []
