"""Activity messages as data: what people typed is escaped, drafts are marked, the typeahead
offers only records at the chosen places."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from unittest.mock import MagicMock
from zoneinfo import ZoneInfo

import pytest

from bot.activities.jobs import prepare_announced
from bot.activities.notifications import ActivityAnnounced
from bot.activities.service import ActivityDraft
from bot.demo.workspace import load_demo
from bot.i18n import translator
from bot.incidents.service import parse_quick
from handlers.activities import blocks
from handlers.activities.listeners import motivation_options
from handlers.ids import Action, Block
from handlers.notifier import message_for
from storage.models import Outbox
from tests.bot.conftest import as_user
from tests.conftest import NOW, session_of

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def demo(services):
    load_demo(services.db, services.groups, now=NOW)
    return services


@pytest.fixture
def anna(demo):
    return as_user(demo, "U0ANNA")


def plan(demo, anna, **overrides):
    values = {
        "title": "Fest <!channel> <https://evil|Swedbank>",
        "kind": "evenemang",
        "day": date(2026, 12, 5),
        "start": time(12),
        "end": time(15),
        "owner_user_id": "U0ANNA",
        "places": ["Fittja centrum"],
        "purpose": "Vuxna & barn <b>",
    }
    return demo.activities.create(anna, ActivityDraft(**{**values, **overrides}), now=NOW)


def test_the_announcement_escapes_what_people_typed(demo, anna):
    activity = plan(demo, anna)
    with demo.db.unit_of_work(read_only=True) as uow:
        row = session_of(uow).get(Outbox, 1)
        assert row is not None and row.kind == "activity.announced"
        note = prepare_announced(uow, row, NOW)
        ended = prepare_announced(uow, row, activity.end_at)
    assert isinstance(note, ActivityAnnounced) and ended is None
    message = message_for(note, "C0EST")
    dumped = json.dumps(message, ensure_ascii=False)
    assert "<!channel>" not in dumped and "<https://evil" not in dumped
    assert "&lt;!channel&gt;" in dumped and "Vuxna &amp; barn &lt;b&gt;" in dumped
    assert "omotiverad (utkast)" in dumped  # no motivation: a draft, said everywhere
    assert "lör 5 dec. 12:00–15:00" in dumped


def test_the_card_shows_costs_in_kronor_and_flags(demo, anna):
    from bot.activities.costs import CostDraft

    activity = plan(demo, anna, title="Julmarknad", purpose="")
    demo.costs.add(
        anna,
        activity.id,
        CostDraft(
            "12 500,5",
            "Hyra av tält",
            "Tältfirman AB",
            "statsbidrag",
            grant_year=2026,
            invoice_date=date(2027, 1, 3),
        ),
        now=NOW,
    )
    card = blocks.build_card(
        translator("sv"), demo.activities.get(anna, activity.id, now=NOW), STHLM, "C0EST"
    )
    text = json.dumps(card, ensure_ascii=False)
    assert "12\u00a0500,50\u00a0kr" in text
    assert "fakturanummer saknas" in text and "daterad sön 3 jan. 2027, utanför 2026" in text
    buttons = [
        e["action_id"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == [
        Action.OPEN_ACTIVITY_FOLLOW_UP,
        Action.OPEN_ACTIVITY_COST,
        Action.OPEN_ACTIVITY_MOTIVATE,
        Action.OPEN_ACTIVITY_DOCUMENT,
    ]


def test_my_activities_are_whole_cards_in_one_message_and_the_rest_is_counted(demo, anna):
    tr = translator("sv")
    assert blocks.build_mine(tr, (), STHLM, "C0EST")["text"] == (
        "Du har inga kommande aktiviteter eller uppföljningar."
    )
    planned = [plan(demo, anna, title=f"Vandring {n} <!here>") for n in range(15)]
    per_card = len(blocks.card_blocks(tr, planned[0], STHLM, "C0EST"))
    fit = 49 // per_card  # whole cards, and a block for the note
    mine = blocks.build_mine(tr, planned, STHLM, "C0EST")
    assert mine["text"] == f"#{planned[0].id} Vandring 0 &lt;!here&gt;"
    assert len(mine["blocks"]) == fit * per_card + 1 <= 50
    cards = [b["block_id"] for b in mine["blocks"] if b["type"] == "actions"]
    assert cards == [f"{Block.ACTIVITY_BUTTONS}_{a.id}" for a in planned[:fit]]
    assert mine["blocks"][-1]["elements"][0]["text"] == (
        f"… och {15 - fit} till. `/est aktivitet N` visar var och en."
    )


def test_the_motivation_typeahead_offers_records_at_the_chosen_places(demo, anna):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    now = datetime.now(UTC)
    here = demo.incidents.log(
        anna,
        parse_quick("Fittja centrum; lustgas; Patroner vid entrén"),
        now=now - timedelta(days=2),
    ).incident
    demo.incidents.log(
        anna, parse_quick("Tumba station; klotter; Tåget"), now=now - timedelta(days=1)
    )
    ack = MagicMock()
    view = {
        "private_metadata": json.dumps({"c": "C0EST"}),
        "state": {
            "values": {
                Block.PLACES: {
                    Action.PLACE: {
                        "type": "multi_external_select",
                        "selected_options": [{"value": str(fittja)}],
                    }
                }
            }
        },
    }
    body = {"user": {"id": "U0ANNA"}, "team": {"id": "T0EST"}, "view": view, "value": ""}
    motivation_options(ack, body, demo)
    options = ack.call_args.kwargs["options"]
    assert [o["value"] for o in options] == [f"i:{here.id}"]
    assert options[0]["text"]["text"].startswith("Händelse ")
    body["value"] = "klotter"  # typing narrows the list
    motivation_options(ack, body, demo)
    assert ack.call_args.kwargs["options"] == []
