"""Places get WGS84 coordinates in the register; outside Sweden is refused with what was read."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from bot.errors import Forbidden, InvalidInput
from bot.i18n import translator
from bot.maps.geo import parse_coordinates
from bot.places.service import PlaceForm, parse_place_form
from handlers.places.forms import LocatePlace, place_command
from storage.models import AuditEvent
from tests.conftest import NOW, session_of

SV = translator("sv")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("59.2475, 17.8610", (59.2475, 17.861)),
        ("59,2475 17,8610", (59.2475, 17.861)),  # Swedish decimal commas
        ("59,2475, 17,8610", (59.2475, 17.861)),
        ("59.2475;17.861", (59.2475, 17.861)),
        ("55.3347 13.3597", (55.3347, 13.3597)),  # Smygehuk, the south tip
    ],
)
def test_coordinates_are_read_as_people_write_them(typed, expected):
    assert parse_coordinates(typed) == expected


def test_outside_sweden_is_refused_with_what_was_read():
    with pytest.raises(InvalidInput) as paris:
        parse_coordinates("48.8566, 2.3522")
    assert SV.render(paris.value.message).startswith("48.8566, 2.3522 ligger inte i Sverige")
    with pytest.raises(InvalidInput) as swapped:
        parse_coordinates("17.8610, 59.2475")
    assert "bytt plats" in SV.render(swapped.value.message)
    with pytest.raises(InvalidInput) as words:
        parse_coordinates("Fittja")
    assert "”Fittja” är inte det" in SV.render(words.value.message)


def test_quick_syntax_reads_the_place_and_its_coordinates():
    assert place_command("koordinater Fittja centrum; 59.2475, 17.8610") == LocatePlace(
        "Fittja centrum", "59.2475, 17.8610"
    )
    form = parse_place_form(
        "Fittja bibliotek; Fittja; bibliotek; alias Biblioteket; 59.2466, 17.8625"
    )
    assert form == PlaceForm(
        "Fittja bibliotek", "Fittja", "bibliotek", ("Biblioteket",), "59.2466, 17.8625"
    )
    assert parse_place_form("Lida; Tullinge; park; 59.185, 17.876").aliases == ()


def test_an_admin_puts_a_place_on_the_map_and_it_is_audited(demo, anna, erik):
    fittja = demo.places.resolve(anna, "Fittja torg")
    done = demo.places.locate(anna, fittja.id, "59,2481 17,8622", now=NOW)
    assert (done.latitude, done.longitude) == (59.2481, 17.8622)
    with demo.db.unit_of_work(read_only=True) as uow:
        last = session_of(uow).exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert last.action == "place.changed" and last.after["latitude"] == 59.2481
    assert last.before["latitude"] == 59.2479  # the demo's
    with pytest.raises(Forbidden):
        demo.places.locate(erik, fittja.id, "59.25, 17.86", now=NOW)
    with pytest.raises(InvalidInput):
        demo.places.locate(anna, fittja.id, "60.0, 30.0", now=NOW)  # Russia: nothing saved
    assert demo.places.resolve(anna, "Fittja torg").latitude == 59.2481


def test_a_new_place_with_coordinates(demo, anna):
    form = parse_place_form("Fittja bibliotek; Fittja; bibliotek; 59.2466, 17.8625")
    added = demo.places.add(anna, form, now=NOW)
    assert (added.latitude, added.longitude) == (59.2466, 17.8625)
    with pytest.raises(InvalidInput):
        demo.places.add(anna, parse_place_form("Oslo; Norge; stad; 59.91, 10.75"), now=NOW)
    assert [p.name for p in demo.places.register(anna) if p.name == "Oslo"] == []
