"""`/est analys period` as Slack reaches it: the asker is told it is on its way, the clock's
sender posts the ranking in the group's channel, archived places stay out unless something
happened at them — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import text

from bot.actions.service import ActionDraft
from bot.clock import PREFETCH, PREPARERS
from bot.delivery import OutboxSender
from bot.demo.workspace import DEMO_CHANNEL
from bot.incidents.service import IncidentDraft
from bot.places.service import parse_place_form
from bot.services import Services
from handlers.ids import Action, Block
from handlers.transport import SlackTransport
from tests.bot.conftest import as_user
from tests.conftest import NOW
from tests.handlers.conftest import Edge, demo_command
from tests.handlers.test_analysis_edge import LENA

OUTBOX = text("SELECT count(*) FROM outbox WHERE kind = 'period.post'")


def _queued(edge: Edge) -> int:
    with edge.services.db.engine.connect() as conn:
        return int(conn.execute(OUTBOX).scalar_one())


def _log(services: Services, place_id: int, *days: datetime, restricted: bool = False) -> None:
    erik = as_user(services, "U0ERIK")
    for n, at in enumerate(days):
        said = f"Hemlig uppgift {n}" if restricted else f"Klotter på väggen {n}"
        draft = IncidentDraft(
            "", "klotter", said, place_id=place_id, occurred_at=at, restricted=restricted
        )
        services.incidents.log(erik, draft, now=at + timedelta(hours=1))


def places_for_the_quarter(services: Services) -> None:
    """Three places of their own in 2026-Q3 (1 July – 30 September, Stockholm time):
    - Provtorget: 2 incidents in Q3 (one restricted), 1 in Q2 → need 2 + a rise of 1 = 3;
    - Gamla torget, archived: 1 incident in Q3, none before → need 1 + 1 = 2, shown marked;
    - Stängda parken, archived: no incident in Q3 but an overdue open action (need 2 if it
      counted) → left out."""
    anna = as_user(services, "U0ANNA")
    ids = {}
    for name in ("Provtorget", "Gamla torget", "Stängda parken"):
        place = services.places.add(anna, parse_place_form(f"{name}; Tullinge; torg"), now=NOW)
        ids[name] = place.id
    _log(services, ids["Provtorget"], datetime(2026, 7, 3, 20, tzinfo=UTC))
    _log(services, ids["Provtorget"], datetime(2026, 8, 14, 21, tzinfo=UTC), restricted=True)
    _log(services, ids["Provtorget"], datetime(2026, 6, 30, 12, tzinfo=UTC))  # Q2
    _log(services, ids["Gamla torget"], datetime(2026, 9, 30, 12, tzinfo=UTC))  # Q3's last day
    _log(services, ids["Stängda parken"], datetime(2026, 6, 1, 12, tzinfo=UTC))  # Q2 only
    late = ActionDraft(
        "Ny belysning", "U0ERIK", date(2026, 10, 1), place_ids=[ids["Stängda parken"]]
    )
    services.actions.create(anna, late, now=datetime(2026, 9, 1, tzinfo=UTC))
    for name in ("Gamla torget", "Stängda parken"):
        services.places.change(anna, ids[name], active=False, now=NOW)


def test_the_period_analysis_is_posted_in_the_channel_and_the_asker_told(demo_edge: Edge):
    places_for_the_quarter(demo_edge.services)
    status, answer = demo_command(demo_edge, "analys period 2026-Q3")
    assert status == 200
    # the quarter in words, its days without the year the name already says
    assert "Periodanalysen för kvartal 3 2026 (1 juli – 30 sep.) postas i kanalen." in answer
    assert "Provtorget" not in answer  # the asker gets the short word, the channel the post
    assert demo_edge.slack.calls_to("chat.postMessage") == []  # it goes through the outbox
    assert _queued(demo_edge) == 1

    transport = SlackTransport(WebClient(token="xoxb-test", base_url=demo_edge.slack.api_url))
    db = demo_edge.services.db
    sender = OutboxSender(db, transport, PREPARERS, worker="t", prefetch=PREFETCH)
    while sender.sweep(now=NOW).claimed:
        pass
    [post] = [
        c
        for c in demo_edge.slack.calls_to("chat.postMessage")
        if "Periodanalys" in str(c.args.get("text"))  # beside what else was due (the action's DM)
    ]
    assert post.args["channel"] == DEMO_CHANNEL
    blocks = json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "Periodanalys kvartal 3 2026 (1 juli – 30 sep.)" in blocks
    lines = [b["text"]["text"] for b in post.args["blocks"] if b["type"] == "section"]
    prov = next(t for t in lines if "Provtorget" in t)
    assert prov.startswith("*1. Provtorget* (Tullinge) · behov 3\n")
    assert "2 händelser (1 perioden före, 0 samma period i fjol)" in prov
    gamla = next(t for t in lines if "Gamla torget" in t)
    assert gamla.startswith("*2. Gamla torget (arkiverad)* (Tullinge) · behov 2\n")
    assert "Stängda parken" not in blocks
    assert "Hemlig uppgift" not in demo_edge.seen()  # counts only, never an incident's text
    buttons = next(b for b in post.args["blocks"] if b.get("block_id") == Block.PERIOD_BUTTONS)
    assert [e["action_id"] for e in buttons["elements"]] == [
        Action.OPEN_PRIORITIES,
        Action.PERIOD_FILES,
    ]


def test_a_reader_reads_it_privately_and_a_period_not_ended_queues_nothing(demo_edge: Edge):
    places_for_the_quarter(demo_edge.services)
    _status, answer = demo_command(demo_edge, "analys period 2026-Q3", user=LENA)
    assert "Provtorget" in answer and "Gamla torget (arkiverad)" in answer
    assert "postas i kanalen" not in answer
    _status, answer = demo_command(demo_edge, "analys period 2026-Q4")
    assert "2026-Q4 är inte slut än" in answer, answer
    assert _queued(demo_edge) == 0
