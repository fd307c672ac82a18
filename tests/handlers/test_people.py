"""People by name: kept from ``users.info`` as they join or are added, refreshed on
``user_change``; only members' names are kept."""

from __future__ import annotations

import json

from sqlalchemy import text as sql

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.i18n import translator
from bot.people import shown_name
from handlers.ids import Action, Block
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now


def _name(edge: Edge, user_id: str) -> object:
    with edge.services.db.engine.connect() as conn:
        return conn.execute(
            sql("SELECT display_name FROM person WHERE slack_user_id = :u"), {"u": user_id}
        ).scalar()


def _changed(user_id: str, real_name: str, display: str) -> dict:
    return {
        "type": "user_change",
        "user": {
            "id": user_id,
            "team_id": DEMO_TEAM,
            "name": display.lower(),
            "deleted": False,
            "real_name": real_name,
            "profile": {"real_name": real_name, "display_name": display, "team": DEMO_TEAM},
            "is_bot": False,
        },
        "cache_ts": 1763800000,
    }


def _event(edge: Edge, event: dict) -> None:
    status, body = edge.post(sr.event(event, secret=SECRET, team_id=DEMO_TEAM))
    assert status == 200, body


def test_a_members_new_name_is_kept_and_a_strangers_is_not(edge: Edge) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    assert _name(edge, "U0ERIK") == "Erik Johansson"  # the demo names its people

    _event(edge, _changed("U0ERIK", "Erik  Johansson Berg", "erikjb"))
    _event(edge, _changed("U0STRANGER", "Someone Else", "se"))

    assert _name(edge, "U0ERIK") == "Erik Johansson Berg"  # spaces folded, full name first
    assert _name(edge, "U0STRANGER") is None


def test_a_member_who_asks_to_join_is_looked_up_after_the_answer(edge: Edge) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    edge.slack.add_user("U0NORA", "Nora Nilsson", title="bovärd")
    req = sr.slash_command(
        "gå med Botkyrkabyggen",
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0NORA",
    )
    status, body = edge.post(req)
    assert status == 200, body
    assert [c.args["user"] for c in edge.slack.calls_to("users.info")] == ["U0NORA"]
    assert _name(edge, "U0NORA") == "Nora Nilsson"


def test_an_added_member_is_looked_up_after_the_form_closes(edge: Edge) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    edge.slack.add_user("U0LIV", "Liv Ek")
    view = {
        "callback_id": "member_add",
        "private_metadata": json.dumps({"c": DEMO_CHANNEL}),
        "blocks": [],
    }
    values = sr.state_values(
        sr.user_value(Block.USER, Action.USER, "U0LIV"),
        sr.select_value(Block.ORGANISATION, Action.ORGANISATION, "Botkyrkabyggen"),
        sr.select_value(Block.ROLE, Action.ROLE, "medlem"),
    )
    req = sr.view_submission(view, values, secret=SECRET, user_id="U0ANNA", team_id=DEMO_TEAM)
    status, body = edge.post(req)
    assert status == 200, body
    assert _name(edge, "U0LIV") == "Liv Ek"


def test_an_unknown_name_is_never_the_id() -> None:
    sv, en = translator("sv"), translator("en")
    names = {"U0ANNA": "Anna Lindqvist"}
    assert shown_name(names, "U0ANNA", sv) == "Anna Lindqvist"
    assert shown_name(names, "U0GONE", sv) == "okänd medlem"
    assert shown_name(names, "U0GONE", en) == "unknown member"
    assert shown_name(names, "slack", sv) == "Slack (automatiskt)"


def test_an_export_first_looks_up_the_members_not_yet_named(edge: Edge) -> None:
    """Members who joined before names were kept are named in the files all the same."""
    load_demo(edge.services.db, edge.services.groups, now=_now())
    with edge.services.db.engine.begin() as conn:
        conn.execute(sql("DELETE FROM person WHERE slack_user_id IN ('U0ERIK', 'U0SARA')"))
    edge.slack.add_user("U0ERIK", "Erik Johansson")
    edge.slack.add_user("U0SARA", "Sara Ahmed")
    req = sr.slash_command(
        "export bidrag 2026",
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0ANNA",
    )
    status, body = edge.post(req)
    assert status == 200, body
    looked_up = sorted(c.args["user"] for c in edge.slack.calls_to("users.info"))
    assert looked_up == ["U0ERIK", "U0SARA"]  # only those not known: the others are
    assert (_name(edge, "U0ERIK"), _name(edge, "U0SARA")) == ("Erik Johansson", "Sara Ahmed")
