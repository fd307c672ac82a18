"""Restricted incidents (begränsad): text for the reporter's organisation, counts for everyone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.actors import Actor
from bot.errors import Forbidden
from bot.incidents.service import parse_quick
from bot.services import Services
from bot.timeparse import Period
from tests.bot.conftest import as_user
from tests.conftest import NOW

WEEK = Period(NOW - timedelta(days=7), NOW + timedelta(minutes=1), label=None)  # type: ignore[arg-type]


@pytest.fixture
def logged(demo: Services, anna: Actor, erik: Actor) -> tuple[int, int]:
    """Erik (police) logs one restricted and one open incident at Fittja centrum."""
    demo.groups.add_member(anna, user_id="U0POL2", organisation="Polisen", role="läsare", now=NOW)
    secret = demo.incidents.log(
        erik,
        parse_quick(
            "Fittja centrum; narkotikaförsäljning; Spaning pågår vid trappan; igår 21:30; begränsad"
        ),
        now=NOW,
    ).incident
    open_ = demo.incidents.log(
        erik, parse_quick("Fittja centrum; klotter; Tags på väggen"), now=NOW
    ).incident
    return secret.id, open_.id


def test_the_quick_syntax_marks_it_and_keeps_the_other_fields():
    draft = parse_quick("Fittja centrum; narkotikaförsäljning; Spaning; igår 21:30; Begränsad")
    assert (draft.description, draft.when, draft.restricted) == ("Spaning", "igår 21:30", True)
    assert parse_quick("Fittja centrum; narkotikaförsäljning; Spaning; restricted").restricted
    assert not parse_quick("Fittja centrum; narkotikaförsäljning; begränsad sikt").restricted


def test_only_the_reporters_organisation_reads_it(demo, anna, erik, logged):
    secret, open_ = logged
    police_reader = as_user(demo, "U0POL2")
    assert demo.incidents.get(erik, secret).description == "Spaning pågår vid trappan"
    assert demo.incidents.get(police_reader, secret).restricted
    for other in (anna, as_user(demo, "U0SARA")):  # municipality admin, housing company
        with pytest.raises(Forbidden):
            demo.incidents.get(other, secret)
        with pytest.raises(Forbidden):
            demo.incidents.history(other, secret)
        with pytest.raises(Forbidden):
            demo.incidents.delete(other, secret, reason="fel", now=NOW)
    assert demo.incidents.get(anna, open_).description == "Tags på väggen"


def test_everyone_counts_it_but_only_the_organisation_lists_its_text(demo, anna, erik, logged):
    secret, open_ = logged
    for_anna = demo.incidents.list(anna, WEEK)
    for_erik = demo.incidents.list(erik, WEEK)
    assert for_anna.total == for_erik.total == 2
    assert sorted(n for _c, n in for_anna.by_category) == [1, 1]
    assert len({c.key for c, _n in for_anna.by_category}) == 2
    assert dict(for_anna.by_place) == {"Fittja centrum": 2}
    assert [e.id for e in for_anna.entries] == [open_]
    assert sorted(e.id for e in for_erik.entries) == sorted([secret, open_])
    picture = demo.meetings.picture(anna, now=NOW + timedelta(minutes=1))
    fittja = next(p for p in picture.places if p.place == "Fittja centrum")
    assert fittja.incidents == 2


def test_a_correction_by_the_reporter_keeps_or_lifts_the_restriction(demo, anna, erik, logged):
    secret, _open = logged
    changed = demo.incidents.correct(
        erik, secret, parse_quick("Fittja centrum; narkotikaförsäljning; Spaning avslutad"), now=NOW
    )
    assert not changed.restricted  # the form showed the box unticked and Erik left it so
    assert demo.incidents.get(anna, secret).description == "Spaning avslutad"
