"""The meeting's "Beslut" form: a refused owner is shown under the owner field, and neither the
decision nor its action is saved."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from handlers.ids import Action, Block
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now, fingerprint


def _submit(edge: Edge, view: dict, owner: str, due: str) -> dict:
    values = sr.state_values(
        sr.text_value(Block.DECISION, Action.DECISION_TEXT, "Ökad belysning vid tunnelbanan"),
        sr.user_value(Block.OWNER, Action.OWNER, owner),
        sr.date_value(Block.DUE, Action.DUE, due),
    )
    req = sr.view_submission(view, values, secret=SECRET, user_id="U0ANNA", team_id=DEMO_TEAM)
    status, body = edge.post(req)
    assert status == 200, body
    return json.loads(body) if body else {}


def test_a_refused_owner_is_shown_on_the_owner_field_and_nothing_is_saved(edge: Edge):
    s, now = edge.services, _now()
    load_demo(s.db, s.groups, now=now)
    anna = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    meeting_id, _agenda = s.meetings.open(anna, now=now)
    press = sr.block_action(
        Action.DECISION,
        str(meeting_id),
        secret=SECRET,
        user_id="U0ANNA",
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        trigger_id="t1",
    )
    assert edge.post(press)[0] == 200
    view = edge.slack.last_view()
    due = (now.date() + timedelta(days=10)).isoformat()
    before = fingerprint(s)

    answer = _submit(edge, view, "U0BRA", due)  # Lena is a reader: she cannot own an action

    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [Block.OWNER]
    assert "medlem" in answer["errors"][Block.OWNER]
    assert fingerprint(s) == before
    assert _submit(edge, view, "U0ERIK", due) == {}  # the form closes: saved, once
    minutes = s.meetings.close(anna, meeting_id, now=_now())
    assert [(d.text, d.owner_user_id) for d in minutes.decisions] == [
        ("Ökad belysning vid tunnelbanan", "U0ERIK")
    ]
    assert minutes.decisions[0].action_id is not None
