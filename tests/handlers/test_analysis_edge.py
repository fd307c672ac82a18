"""`/est analys` and `/est mönster` as Slack reaches them: signed requests into the app, the
validating fake Slack answering, the demo group on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM
from bot.incidents.service import IncidentDraft
from handlers.ids import Action, Block
from handlers.local import slack_requests as sr
from tests.bot.conftest import as_user
from tests.conftest import NOW
from tests.handlers.conftest import SECRET, Edge, demo_command

Json = dict[str, Any]
ERIK, LENA = "U0ERIK", "U0BRA"


def _submit(edge: Edge, view: Json, *values: Json, user: str = ERIK) -> Json:
    req = sr.view_submission(
        view, sr.state_values(*values), secret=SECRET, user_id=user, team_id=DEMO_TEAM
    )
    status, body = edge.post(req)
    assert status == 200, body
    return json.loads(body) if body else {}


def _fridays_at_fittja(edge: Edge, count: int) -> None:
    erik = as_user(edge.services, ERIK)
    # 21:30 in Stockholm in winter time, 22:30 in the summer weeks (before 25 October)
    friday = datetime(2026, 11, 13, 20, 30, tzinfo=UTC)
    for weeks in range(count):
        edge.services.incidents.log(
            erik,
            IncidentDraft(
                "Fittja centrum",
                "narkotikaförsäljning",
                occurred_at=friday - timedelta(weeks=weeks),
                allow_duplicate=True,
            ),
            now=NOW,
        )


def _initial(view: Json, block_id: str) -> str | None:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return block["element"].get("initial_value")


def _filled(view: Json, **texts: str) -> list[Json]:
    category = next(b for b in view["blocks"] if b.get("block_id") == Block.CATEGORY)
    first = category["element"]["options"][0]["value"]
    values = [sr.select_value(Block.CATEGORY, Action.CATEGORY, first)]
    values.append(sr.select_value(Block.PERSISTENCE, Action.PERSISTENCE, "återkommande"))
    values += [sr.text_value(block, block, value) for block, value in texts.items()]
    return values


def test_the_form_for_a_place_comes_with_its_hot_times_and_saves_an_analysis(demo_edge: Edge):
    _fridays_at_fittja(demo_edge, 12)
    status, _body = demo_command(demo_edge, "analys ny fittja centrum")
    assert status == 200
    [opened] = demo_edge.slack.calls_to("views.open")
    view = opened.response["view"]
    assert len(view["blocks"]) <= 100
    # 3 at 21:30 (winter time), 9 at 22:30: the peak hour is 22, and 3 is less than half of 9
    assert (_initial(view, Block.DAYS), _initial(view, Block.HOURS)) == ("fredag", "22–23")

    answer = _submit(
        demo_edge,
        view,
        *_filled(
            view,
            description="Försäljning vid uppgången",
            guardians="Fältare och trygghetsvärdar",
            sources="v46\nTrygghetsmätningen 2025",
        ),
    )

    assert answer == {}  # the form closes
    [card] = demo_edge.slack.calls_to("chat.postEphemeral")
    assert "Orsaksanalys #1" in card.args["text"]
    said = json.dumps(card.args["blocks"], ensure_ascii=False)
    assert "Fältare och trygghetsvärdar" in said and "lägesbild vecka 46, 2026" in said
    erik = as_user(demo_edge.services, ERIK)
    [saved] = demo_edge.services.analyses.of_group(erik)
    assert (saved.place, saved.days, saved.persistence) == ("Fittja centrum", "", "återkommande")


def test_personal_data_stays_in_the_form_under_its_field(demo_edge: Edge):
    demo_command(demo_edge, "analys ny Fittja centrum")
    view = demo_edge.slack.calls_to("views.open")[0].response["view"]
    answer = _submit(
        demo_edge, view, *_filled(view, description="X", offender_side="Ring 070-123 45 67")
    )
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [Block.OFFENDER_SIDE]
    assert "telefonnummer" in answer["errors"][Block.OFFENDER_SIDE]
    assert demo_edge.services.analyses.of_group(as_user(demo_edge.services, ERIK)) == ()


def test_a_reader_gets_no_form_and_an_unknown_place_is_said(demo_edge: Edge):
    _status, body = demo_command(demo_edge, "analys ny Fittja centrum", user=LENA)
    assert "Läsare läser orsaksanalyser; medlemmar skriver dem." in body
    _status, body = demo_command(demo_edge, "analys ny Ingenstans torg")
    assert "Ingenstans torg" in body
    assert demo_edge.slack.calls_to("views.open") == []


def test_the_card_lists_and_its_new_action_is_tied_to_the_analysis(demo_edge: Edge):
    demo_command(demo_edge, "analys ny Fittja centrum")
    view = demo_edge.slack.calls_to("views.open")[0].response["view"]
    _submit(demo_edge, view, *_filled(view, description="Försäljning"))
    _status, listed = demo_command(demo_edge, "analys")
    assert "Orsaksanalyser (1)" in listed
    _status, shown = demo_command(demo_edge, "analys 1")
    assert "Inga åtgärder eller aktiviteter än." in shown

    press = sr.block_action(
        Action.ANALYSIS_NEW_ACTION,
        "1",
        secret=SECRET,
        user_id=ERIK,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
    )
    assert demo_edge.post(press)[0] == 200
    form = demo_edge.slack.calls_to("views.open")[-1].response["view"]
    assert json.loads(form["private_metadata"])["analysis"] == 1
    done = _submit(
        demo_edge,
        form,
        sr.text_value(Block.TITLE, Action.TITLE, "Ny belysning vid uppgången"),
        sr.user_value(Block.OWNER, Action.OWNER, ERIK),
        sr.date_value(Block.DUE, Action.DUE, "2026-12-04"),
        sr.select_value(Block.HORIZON, Action.HORIZON, "kort"),
    )
    assert done == {}
    _status, shown = demo_command(demo_edge, "analys 1")
    assert "Ny belysning vid uppgången" in shown and "öppen" in shown


def test_the_pattern_chart_is_uploaded_to_the_channel_with_the_hot_times(demo_edge: Edge):
    _fridays_at_fittja(demo_edge, 12)
    status, _body = demo_command(demo_edge, "mönster Fittja centrum", user=LENA)
    assert status == 200
    [shared] = demo_edge.slack.files.values()
    assert shared.content.startswith(b"\x89PNG")
    assert shared.channel == DEMO_CHANNEL
    assert shared.name == "monster-fittja-centrum-2025-12-01-2026-11-20.png"
    # 12 Fridays from 28 August to 13 November: 3 at 21:30 (winter time), 9 at 22:30; by month
    # Aug 1, Sep 4, Oct 5, Nov 2 — October's 5 the peak, September's 4 at least half of it
    assert shared.initial_comment == (
        "Händelser vid Fittja centrum, 1 dec. 2025 – 20 nov. 2026: 12. "
        "Oftast: fredag 22–23, mest september–oktober."
    )


def test_patterns_of_an_unknown_place_say_so_and_upload_nothing(demo_edge: Edge):
    _status, body = demo_command(demo_edge, "mönster Ingenstans torg")
    assert "Ingenstans torg" in body
    assert demo_edge.slack.files == {}
