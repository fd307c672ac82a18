"""App Home buttons have no response_url: a refusal or an error there used to be only logged,
and the person who pressed saw nothing. Now their Home is published again with the answer on
top; if even that cannot be built, they get it by DM."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot.actions.results import ActionItem
from bot.actions.service import ActionDraft, ActionFilter, ActionService
from bot.actors import Actor
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.services import Services
from handlers.ids import Action
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now, edge_of

ERIK = "U0ERIK"
HOME = {"type": "home", "id": "V0HOMEERIK", "blocks": []}


class Broken(ActionService):
    """Marking an action done fails like a bug; listing may fail too (``listing``)."""

    listing = True

    def set_status(self, actor: Actor, action_id: int, status: str, **kw: Any) -> ActionItem:
        raise RuntimeError("a bug in set_status")

    def find(self, actor: Actor, f: ActionFilter, *, now: datetime) -> tuple[ActionItem, ...]:
        if not self.listing:
            raise RuntimeError("the database fell over")
        return super().find(actor, f, now=now)


def _erik_owns_an_action(services: Services) -> int:
    load_demo(services.db, services.groups, now=_now())
    anna = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    draft = ActionDraft("Byt belysning vid trappan", ERIK, (_now() + timedelta(days=7)).date())
    return services.actions.create(anna, draft, now=_now()).id


def _press_done_in_home(edge: Edge, action_id: int) -> None:
    press = sr.block_action(
        Action.ACTION_DONE,
        str(action_id),
        secret=SECRET,
        user_id=ERIK,
        team_id=DEMO_TEAM,
        view=HOME,
    )
    assert edge.post(press) == (200, "")


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b.get("type") == "section" and "text" in b]


def test_a_refusal_in_app_home_is_shown_on_top_of_the_home(services: Services, edge: Edge):
    action_id = _erik_owns_an_action(services)
    anna = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    services.groups.change_member_of(anna, ERIK, "ta bort", now=_now())  # his Home is stale
    _press_done_in_home(edge, action_id)
    [published] = edge.slack.calls_to("views.publish")
    assert published.args["user_id"] == ERIK
    view = published.args["view"]
    first = _texts(view["blocks"])[0]
    assert first.startswith("Det finns ingen EST-grupp")  # the refusal, on top of his Home
    assert view["blocks"][1]["type"] == "divider"
    assert edge.slack.calls_to("chat.postMessage") == []
    with services.db.engine.connect() as conn:  # and nothing changed
        status = conn.execute(sql("SELECT status FROM est_action WHERE id = :i"), {"i": action_id})
        assert status.scalar_one() != "klar"


@pytest.fixture
def broken(services: Services) -> Iterator[tuple[Edge, Broken]]:
    actions = Broken(services.db)
    yield from ((e, actions) for e in edge_of(dataclasses.replace(services, actions=actions)))


def test_an_error_in_app_home_is_shown_with_its_id(services: Services, broken):
    edge, _actions = broken
    _press_done_in_home(edge, _erik_owns_an_action(services))
    [published] = edge.slack.calls_to("views.publish")
    assert "Något gick fel hos oss (fel-id `" in _texts(published.args["view"]["blocks"])[0]


def test_when_the_home_cannot_be_built_the_answer_comes_by_dm(services: Services, broken):
    edge, actions = broken
    action_id = _erik_owns_an_action(services)
    actions.listing = False
    _press_done_in_home(edge, action_id)
    assert edge.slack.calls_to("views.publish") == []
    [dm] = edge.slack.calls_to("chat.postMessage")
    assert dm.args["channel"] == ERIK
    assert "Något gick fel hos oss (fel-id `" in dm.args["text"]


def test_a_button_in_a_modal_without_response_url_answers_by_dm(services: Services, edge: Edge):
    action_id = _erik_owns_an_action(services)
    modal = {"type": "modal", "id": "V0MODAL", "blocks": []}
    press = sr.block_action(
        Action.ACTION_DONE,
        str(action_id + 1000),
        secret=SECRET,
        user_id=ERIK,
        team_id=DEMO_TEAM,
        view=modal,
    )
    assert edge.post(press) == (200, "")
    [dm] = edge.slack.calls_to("chat.postMessage")
    assert dm.args["channel"] == ERIK
    assert f"#{action_id + 1000}" in dm.args["text"]  # "Ingen åtgärd #… i den här gruppen."
