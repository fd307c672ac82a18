"""What people type, through the listener: a category word that is asked about with buttons
that finish the same incident, a district as a filter, what "i natt" was read as, and the
quick syntax and the form confirmed the same way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.services import Services
from bot.timekeeping import FixedClock
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, edge_of

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 14:00 in Stockholm
Json = dict[str, Any]


@pytest.fixture
def fixed(db, notifier) -> Iterator[Edge]:
    services = Services.build(db, notifier, clock=FixedClock(NOW))
    load_demo(services.db, services.groups, now=NOW)
    yield from edge_of(services)


def _command(edge: Edge, text: str, key: str) -> Json:
    req = sr.slash_command(
        text,
        secret=SECRET,
        user_id="U0ERIK",
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=edge.slack.response_url(key),
    )
    status, body = edge.post(req)
    assert status == 200
    return json.loads(body) if body else edge.slack.wait_for_response(key)


def _buttons(message: Json) -> list[Json]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _incidents(edge: Edge) -> list[tuple[str, str]]:
    with edge.services.db.engine.connect() as conn:
        query = (
            "SELECT c.label_sv, i.description FROM incident i JOIN category c"
            " ON c.id = i.category_id WHERE i.description LIKE 'Påsar%'"
        )
        return [tuple(r) for r in conn.execute(sql(query)).all()]


def test_narkotika_is_asked_about_and_the_choice_saves_the_same_text(fixed: Edge) -> None:
    typed = "Fittja centrum; narkotika; Påsar under bänkarna; i natt"
    asked = _command(fixed, f"händelse {typed}", "ask")
    assert asked["text"].startswith("”narkotika” kan betyda mer än en kategori. Vilken?")
    buttons = _buttons(asked)
    assert [b["text"]["text"] for b in buttons] == [
        "Öppen narkotikaförsäljning",
        "Narkotikahantering",
        "Öppna formuläret",
    ]
    assert typed in json.dumps(asked["blocks"], ensure_ascii=False)  # the text is kept
    assert _incidents(fixed) == []  # nothing saved while asked
    chosen = buttons[1]
    press = sr.block_action(
        chosen["action_id"],
        chosen["value"],
        secret=SECRET,
        user_id="U0ERIK",
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=fixed.slack.response_url("chosen"),
    )
    assert fixed.post(press)[0] == 200
    saved = fixed.slack.wait_for_response("chosen")
    assert _incidents(fixed) == [("Narkotikahantering", "Påsar under bänkarna")]
    context = " ".join(
        e["text"] for b in saved["blocks"] if b["type"] == "context" for e in b["elements"]
    )
    # Monday 14:00: "i natt" is the night that ended this morning, saved as 01:00
    assert "”i natt” är natten mellan söndag 6 december 2026 och måndag 7 december 2026" in context
    assert "kl. 01:00" in context


def test_vapen_offers_the_categories_it_means(fixed: Edge) -> None:
    asked = _command(fixed, "händelse Fittja torg; vapen; Kniv visad", "vapen")
    labels = [b["text"]["text"] for b in _buttons(asked)]
    assert labels[:3] == ["Skottlossning", "Hot", "Grovt våld / gatuvåld"]
    assert all(b["action_id"].startswith(Action.PICK_CATEGORY) for b in _buttons(asked)[:3])


def test_a_district_is_a_filter_in_either_order(fixed: Edge) -> None:
    for place in ("Fittja centrum", "Fittja torg", "Tumba station"):
        _command(fixed, f"händelse {place}; klotter; Påsar och klotter vid {place}; i morse", place)
    for typed in ("händelser Fittja idag", "händelser idag Fittja"):
        listing = _command(fixed, typed, typed)
        shown = json.dumps(listing["blocks"], ensure_ascii=False)
        assert "stadsdelen Fittja" in listing["blocks"][0]["text"]["text"]
        assert "vid Fittja centrum" in shown and "vid Fittja torg" in shown
        assert "vid Tumba station" not in shown


def _form(edge: Edge, description: str) -> sr.SignedRequest:
    with edge.services.db.engine.connect() as conn:
        place, category = conn.execute(
            sql(
                "SELECT p.id, c.id FROM place p JOIN category c ON c.group_id = p.group_id"
                " WHERE p.name = 'Fittja torg' AND c.key = 'klotter'"
            )
        ).one()
    values = sr.state_values(
        sr.select_value(Block.PLACE, Action.PLACE, str(place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(category)),
        sr.date_value(Block.DATE, Action.DATE, "2026-12-07"),
        sr.time_value(Block.WHEN, Action.TIME, "09:15"),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, description),
    )
    view = {"id": "V0FORM", "callback_id": Callback.INCIDENT, "blocks": []}
    view["private_metadata"] = json.dumps({"c": DEMO_CHANNEL})
    return sr.view_submission(view, values, secret=SECRET, user_id="U0ERIK", team_id=DEMO_TEAM)


def _shape(message: Json) -> list[Any]:
    """The confirmation without its buttons' values (the incident's number)."""
    blocks = json.loads(json.dumps(message["blocks"]))
    for block in blocks:
        block.pop("block_id", None)
        for element in block.get("elements", []):
            element.pop("value", None)
    return [
        json.dumps(b, ensure_ascii=False).replace("#1", "#N").replace("#2", "#N") for b in blocks
    ]


def test_the_form_and_the_quick_syntax_are_confirmed_the_same_way(fixed: Edge) -> None:
    before = {c.method for c in fixed.slack.calls}
    quick = _command(fixed, "händelse Fittja torg; klotter; Tag på väggen; idag 09:15", "quick")
    assert fixed.post(_form(fixed, "Tag på väggen"))[0] == 200
    (told,) = fixed.slack.wait_for("chat.postEphemeral")
    # both only to the reporter, in the channel where they were; the channel is not told
    assert quick["response_type"] == "ephemeral"
    assert (told.args["channel"], told.args["user"]) == (DEMO_CHANNEL, "U0ERIK")
    assert "chat.postMessage" not in {c.method for c in fixed.slack.calls} - before
    with fixed.services.db.engine.connect() as conn:
        ids = conn.execute(sql("SELECT id FROM incident WHERE description = 'Tag på väggen'"))
        first, second = sorted(r[0] for r in ids)
    told_blocks = (
        json.loads(told.args["blocks"])
        if isinstance(told.args["blocks"], str)
        else told.args["blocks"]
    )
    shapes = [
        [b.replace(f"#{first}", "#N") for b in _shape(quick)],
        [b.replace(f"#{second}", "#N") for b in _shape({"blocks": told_blocks})],
    ]
    assert shapes[0] == shapes[1]
