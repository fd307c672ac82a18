"""`/est plats <namn>`: the chain at one place — the latest frozen lägesbild, the cause analysis,
what grew out of it with its status, and the follow-up counts — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.actions.service import ActionDraft
from bot.analysis.priorities import PriorityDraft
from bot.i18n import translator
from bot.incidents.service import IncidentDraft
from bot.places.service import UnknownPlace
from handlers.analysis.chain_blocks import build_chain
from handlers.places.forms import ShowPlace, ShowRegister, place_command
from tests.bot.test_activities import draft as activity_draft
from tests.bot.test_analysis import draft as analysis_draft
from tests.conftest import NOW

SV = translator("sv")
STHLM = ZoneInfo("Europe/Stockholm")


def _incident(demo, actor, place_id: int, at: datetime) -> None:
    draft = IncidentDraft(
        "", "narkotikaförsäljning", "Försäljning", place_id=place_id, occurred_at=at
    )
    demo.incidents.log(actor, draft, now=at + timedelta(minutes=5))


def test_the_words_after_plats_name_a_place_unless_they_are_a_verb():
    assert place_command("") == ShowRegister()
    assert place_command("Fittja centrum") == ShowPlace("Fittja centrum")
    assert not isinstance(place_command("arkivera Fittja torg"), ShowPlace)


def test_the_chain_from_the_picture_to_the_follow_up(demo, anna, erik):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    held_day = date(2026, 10, 3)  # a Saturday, seven weeks before NOW
    start = datetime.combine(held_day, time(18), tzinfo=STHLM)
    # before the activity: 2 in the week before it, 1 more within four weeks before
    for at in (start - timedelta(days=2), start - timedelta(days=5), start - timedelta(days=20)):
        _incident(demo, anna, fittja, at)
    # after it (it ends 21:00): 1 in the first week
    _incident(demo, anna, fittja, start + timedelta(days=3))
    analysis = demo.analyses.create(erik, analysis_draft(), now=NOW - timedelta(days=60))
    activity = demo.activities.create(
        anna,
        activity_draft(
            demo,
            anna,
            title="Nattvandring",
            kind="nattvandring",
            day=held_day,
            start=time(18),
            end=time(21),
            analysis_id=analysis.id,
        ),
        now=NOW - timedelta(days=60),
    )
    action = demo.actions.create(
        erik,
        ActionDraft("Ny belysning", "U0ERIK", date(2026, 12, 4), analysis_id=analysis.id),
        now=NOW,
    )
    _incident(demo, anna, fittja, NOW - timedelta(days=1))
    meeting_id, _agenda = demo.meetings.open(anna, now=NOW)
    minutes = demo.meetings.close(anna, meeting_id, now=NOW)
    demo.priorities.record(
        anna, PriorityDraft("2026-Q3", [(fittja, "", "Flest händelser")]), now=NOW
    )

    chain = demo.chains.of_place(erik, "fittja centrum", now=NOW)
    assert (chain.place, chain.district) == ("Fittja centrum", "Fittja")
    assert chain.picture is not None
    assert (chain.picture.iso_year, chain.picture.iso_week) == (
        minutes.iso_year,
        minutes.iso_week,
    )
    assert chain.picture.incidents == 1 and chain.prioritised == ("2026-Q4",)
    assert [a.id for a in chain.analyses] == [analysis.id]
    ties = {(t.kind, t.id) for t in chain.analyses[0].ties}
    assert ties == {("action", action.id), ("activity", activity.id)}
    [followed] = chain.activities
    effects = {e.weeks: (e.before, e.after) for e in followed.effects}
    assert effects == {1: (2, 1), 4: (3, 1)}
    message = build_chain(SV, chain, STHLM)
    said = json.dumps(message["blocks"], ensure_ascii=False)
    assert f"v. {minutes.iso_week}" in said and "Prioriterad plats (kvartal 4 2026)" in said
    assert f"#{activity.id} Nattvandring" in said and "4 veckor: 3 händelser före, 1 efter" in said
    assert len(message["blocks"]) <= 50


def test_an_unknown_place_is_answered_with_what_was_understood(demo, erik):
    with pytest.raises(UnknownPlace):
        demo.chains.of_place(erik, "Ingenstans torg", now=NOW)
    empty = demo.chains.of_place(erik, "Tumba station", now=NOW)
    assert (empty.picture, empty.analyses, empty.activities) == (None, (), ())
    text = json.dumps(build_chain(SV, empty, STHLM)["blocks"], ensure_ascii=False)
    assert "analys ny Tumba station" in text
