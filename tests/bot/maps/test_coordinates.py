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


# Coordinates looked up by hand (Wikipedia / Lantmäteriet's map), latitude first.
IN_SWEDEN = {
    "Slussen, a quay in Stockholm": "59.3195, 18.0720",
    "Visby harbour, Gotland": "57.6348, 18.2948",
    "Fårö, the north of Gotland": "57.9160, 19.1150",
    "Borgholm, Öland": "56.8790, 16.6560",
    "Smögen, an island on the west coast": "58.3536, 11.2235",
    "Kosterhamn, the Koster islands": "58.8920, 11.0090",
    "Strömstad, 10 km from Norway": "58.9395, 11.1712",
    "Ystad, the south coast": "55.4295, 13.8200",
    "Haparanda, across the Torne from Tornio": "65.8355, 24.1368",
    "Karesuando, across the Muonio from Finland": "68.4420, 22.4830",
    "Treriksröset, the cairn where Sweden, Norway and Finland meet": "69.0597, 20.5486",
    "Kiruna": "67.8558, 20.2253",
}
OUTSIDE = {
    "Copenhagen": ("55.676, 12.568", "55.6760, 12.5680"),
    "Helsingør, 4 km across the Sound from Helsingborg": ("56.0361, 12.6136", "56.0361, 12.6136"),
    "Oslo": ("59.913, 10.752", "59.9130, 10.7520"),
    "Helsinki": ("60.170, 24.938", "60.1700, 24.9380"),
    "Tallinn": ("59.437, 24.7536", "59.4370, 24.7536"),
    "Tornio, 1.5 km from Haparanda": ("65.848, 24.147", "65.8480, 24.1470"),
    "Kaaresuvanto, across the river from Karesuando": ("68.4455, 22.4950", "68.4455, 22.4950"),
    "Narvik": ("68.4385, 17.4273", "68.4385, 17.4273"),
    "Rønne, Bornholm": ("55.1000, 14.7060", "55.1000, 14.7060"),
    "Mariehamn, Åland": ("60.0973, 19.9348", "60.0973, 19.9348"),
    "the Baltic between Öland and Gotland's south and Latvia": ("56.0, 19.0", "56.0000, 19.0000"),
    "the sea 25 km south of Ystad": ("55.2, 13.82", "55.2000, 13.8200"),
}


@pytest.mark.parametrize("where", IN_SWEDEN)
def test_places_on_swedish_land_islands_and_quays_pass(where):
    typed = IN_SWEDEN[where]
    lat, lon = (float(part) for part in typed.split(","))
    assert parse_coordinates(typed) == (lat, lon)


@pytest.mark.parametrize("where", OUTSIDE)
def test_places_across_the_border_or_out_at_sea_are_refused(where):
    typed, read = OUTSIDE[where]
    lat, lon = read.split(", ")
    with pytest.raises(InvalidInput) as refused:
        parse_coordinates(typed)
    assert SV.render(refused.value.message) == (
        f"{read} ligger inte i Sverige eller dess kustvatten "
        f"(läst som latitud {lat}, longitud {lon}). Inget sparades."
    )


def test_swapped_coordinates_of_a_swedish_place_get_the_hint():
    with pytest.raises(InvalidInput) as visby:
        parse_coordinates("18.2948, 57.6348")
    assert SV.render(visby.value.message) == (
        "18.2948, 57.6348 ligger inte i Sverige eller dess kustvatten "
        "(läst som latitud 18.2948, longitud 57.6348). "
        "Har latitud och longitud bytt plats? Latituden skrivs först. Inget sparades."
    )
    with pytest.raises(InvalidInput) as copenhagen:
        parse_coordinates("12.568, 55.676")  # swapped, but Copenhagen is not Swedish either
    assert "bytt plats" not in SV.render(copenhagen.value.message)


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
