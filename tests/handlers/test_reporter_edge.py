"""`/est rapportör` and a reporter's Slack: signed requests through the real Bolt app."""

from __future__ import annotations

import json
from typing import Any

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.groups.notifications import JoinRequested
from bot.reporters.links import token_hash
from handlers.ids import Action
from handlers.local import slack_requests as sr
from handlers.notifier import message_for
from tests.handlers.conftest import SECRET, Edge, _now


def ask(edge: Edge, text: str, *, user: str = "U0ANNA") -> str:
    req = sr.slash_command(
        text,
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id=user,
        response_url=edge.slack.response_url(),
    )
    status, body = edge.post(req)
    assert status == 200
    shown = [json.loads(body)["text"]] if body.startswith("{") else []
    shown += [b.get("text", "") for _u, b in edge.slack.response_urls]
    edge.slack.response_urls.clear()
    return "\n".join(shown)


def _reporter(edge: Edge) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    anna = edge.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    edge.services.groups.add_member(
        anna, user_id="U0NATT", organisation="Botkyrkabyggen", role="rapportör", now=_now()
    )


def test_an_admin_makes_a_link_shown_once_lists_and_revokes_it(edge: Edge):
    _reporter(edge)
    made = ask(edge, "rapportör länk Nattvandrarna Fittja Botkyrkabyggen")
    assert "*Nattvandrarna Fittja* (Botkyrkabyggen)" in made
    token = made.split("/rapportera/")[1].split("`")[0]
    assert len(token) == 32
    with edge.services.db.unit_of_work(read_only=True) as uow:
        row = uow.reporter_links.by_hash(token_hash(token))
        assert row is not None and token not in json.dumps(row.model_dump(mode="json"))
        logged = list(uow.audit.of_kinds(1, ["reporter_link"]))
        assert logged and token not in json.dumps([e.after for e in logged])
        assert row.token_hash not in json.dumps([e.after for e in logged])
    listed = ask(edge, "rapportör")
    assert "1. Nattvandrarna Fittja, Botkyrkabyggen, sedan" in listed and token not in listed
    assert "återkallad" in ask(edge, "rapportör återkalla Nattvandrarna Fittja")
    assert "Inga rapportörslänkar" in ask(edge, "rapportör")


def test_a_member_may_not_make_links_and_a_reporter_may_not_read_the_picture(edge: Edge):
    _reporter(edge)
    assert "administratörer" in ask(edge, "rapportör länk X", user="U0ERIK")
    refused = ask(edge, "lägesbild", user="U0NATT")
    assert refused.startswith("Som rapportör kan du logga händelser")
    assert "Som rapportör" in ask(edge, "åtgärd", user="U0NATT")
    assert "Som rapportör" in ask(edge, "aktivitet", user="U0NATT")
    assert "Som rapportör" in ask(edge, "analys", user="U0NATT")
    saved = ask(edge, "händelse Fittja centrum; klotter; Nytt klotter", user="U0NATT")
    assert "Sparad som händelse" in saved


def test_a_reporters_confirmation_has_no_action_button_and_their_help_is_theirs(edge: Edge):
    _reporter(edge)
    req = sr.slash_command(
        "händelse Fittja centrum; klotter; x",
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0NATT",
        response_url=edge.slack.response_url(),
    )
    edge.post(req)
    [(_url, confirmation)] = edge.slack.response_urls
    ids = [e.get("action_id") for b in confirmation["blocks"] for e in b.get("elements", [])]
    assert Action.CREATE_ACTION not in ids and Action.EDIT_INCIDENT in ids
    edge.slack.response_urls.clear()
    helped = json.dumps(_help(edge, "U0NATT"), ensure_ascii=False)
    assert "/est händelse" in helped and "/est lägesbild" not in helped
    assert "Kommer snart" not in helped


def _help(edge: Edge, user: str) -> Any:
    req = sr.slash_command(
        "hjälp", secret=SECRET, team_id=DEMO_TEAM, channel_id=DEMO_CHANNEL, user_id=user
    )
    return json.loads(edge.post(req)[1])


def test_a_reporters_app_home_shows_no_actions_or_activities(edge: Edge):
    _reporter(edge)
    req = sr.event(
        {"type": "app_home_opened", "user": "U0NATT", "tab": "home"},
        secret=SECRET,
        team_id=DEMO_TEAM,
    )
    assert edge.post(req)[0] == 200
    [published] = edge.slack.calls_to("views.publish")
    view = json.dumps(published.args["view"], ensure_ascii=False)
    assert "Mina åtgärder" not in view and "/est händelse" in view and "/est möte" not in view


def test_the_feedback_button_switches_the_dm_off(edge: Edge):
    _reporter(edge)
    req = sr.block_action(
        Action.FEEDBACK_OFF,
        DEMO_CHANNEL,
        secret=SECRET,
        user_id="U0NATT",
        channel_id="D0NATT",
        team_id=DEMO_TEAM,
        response_url=edge.slack.response_url(),
    )
    assert edge.post(req)[0] == 200
    with edge.services.db.unit_of_work(read_only=True) as uow:
        member = uow.members.find(1, "U0NATT")
        assert member is not None and member.feedback is False
    assert "på` slår på den igen" in ask(edge, "rapportör återkoppling av", user="U0NATT")
    assert "igen" in ask(edge, "rapportör återkoppling på", user="U0NATT")
    with edge.services.db.unit_of_work(read_only=True) as uow:
        member = uow.members.find(1, "U0NATT")
        assert member is not None and member.feedback is True


def test_asking_to_join_as_a_reporter(edge: Edge):
    load_demo(edge.services.db, edge.services.groups, now=_now())
    said = ask(edge, "gå med Botkyrkabyggen rapportör", user="U0NY")
    assert "Botkyrkabyggen" in said
    with edge.services.db.unit_of_work(read_only=True) as uow:
        member = uow.members.find(1, "U0NY")
        assert member is not None and (member.role, member.status) == ("rapportör", "pending")
    notes = edge.services.groups.notifier.notes  # type: ignore[attr-defined]  # the recorder's
    [note] = [n for n in notes if isinstance(n, JoinRequested)]
    dm = message_for(note, "U0ANNA")  # what the admins are asked
    assert "<@U0NY> vill gå med i" in dm["text"] and "Som rapportör" in dm["text"]
