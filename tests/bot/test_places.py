"""The place register and categories."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.errors import Conflict, Forbidden, InvalidInput, UnknownName
from bot.incidents.categories import DEFAULTS, match_category
from bot.incidents.service import parse_quick
from bot.places.service import PlaceForm, UnknownPlace, parse_place_form
from storage.models import AuditEvent
from tests.conftest import NOW, session_of


def test_quick_place_form():
    form = parse_place_form("Fittja centrum; Fittja; centrum; alias Fittja C, Fittja torget")
    assert form == PlaceForm("Fittja centrum", "Fittja", "centrum", ("Fittja C", "Fittja torget"))
    assert parse_place_form("Lida; Tullinge; friluftsgård").aliases == ()
    with pytest.raises(InvalidInput):
        parse_place_form("Bara ett namn")


def test_register_lists_places_by_district(demo, anna):
    places = demo.places.register(anna)
    assert len(places) == 23
    assert [p.district for p in places] == sorted(p.district for p in places)


def test_admins_add_places_members_cannot(demo, anna, erik):
    added = demo.places.add(
        anna, parse_place_form("Hallunda torg; Hallunda/Norsborg; torg"), now=NOW
    )
    assert demo.places.resolve(erik, "hallunda torg").id == added.id
    with pytest.raises(Conflict):
        demo.places.add(anna, parse_place_form("hallunda TORG; X; torg"), now=NOW)
    with pytest.raises(Forbidden):
        demo.places.add(erik, parse_place_form("Ny plats; X; torg"), now=NOW)


def test_rename_keeps_the_old_name_as_alias(demo, anna):
    place = demo.places.resolve(anna, "Albys hjärta")
    renamed = demo.places.change(anna, place.id, name="Alby torg", now=NOW)
    assert renamed.name == "Alby torg"
    assert demo.places.resolve(anna, "Albys hjärta").id == place.id


def test_merge_moves_incidents_and_is_audited(demo, anna, db):
    source = demo.places.resolve(anna, "Fittja tunnelbanestation")
    target = demo.places.resolve(anna, "Fittja centrum")
    for text in ("Fittja tunnelbanestation; narkotikaförsäljning; a", "Fittja T-bana; lustgas; b"):
        demo.incidents.log(anna, parse_quick(text), now=NOW)
    moved = demo.places.merge(anna, source.id, target.id, now=NOW)
    assert moved == 2
    # the merged place's names now find the target; the source is archived
    assert demo.places.resolve(anna, "Fittja tunnelbanestation").id == target.id
    assert source.id not in {p.id for p in demo.places.register(anna)}
    with db.unit_of_work(read_only=True) as uow:
        merged = (
            session_of(uow)
            .exec(select(AuditEvent).where(AuditEvent.action == "place.merged"))
            .one()
        )
    assert merged.after["moved"] == 2 and merged.after["into"] == target.id
    with pytest.raises(InvalidInput):
        demo.places.merge(anna, target.id, target.id, now=NOW)


def test_archived_places_are_not_offered(demo, anna):
    place = demo.places.resolve(anna, "Lida friluftsgård")
    demo.places.change(anna, place.id, active=False, now=NOW)
    with pytest.raises(UnknownPlace):
        demo.places.resolve(anna, "Lida friluftsgård")


def test_default_categories_and_matching(demo, anna):
    categories = demo.categories.of_group(anna)
    assert len(categories) == len(DEFAULTS) == 21
    assert match_category("langning", categories).key == "narkotikaforsaljning"
    assert match_category("Lustgas", categories).key == "lustgas"
    assert match_category("laughing gas", categories).key == "lustgas"
    assert match_category("skadegorelse", categories).key == "skadegorelse"
    with pytest.raises(UnknownName):
        match_category("xyzzy", categories)


def test_retired_categories_stay_on_old_incidents(demo, anna):
    logged = demo.incidents.log(anna, parse_quick("Fittja torg; klotter; tags"), now=NOW).incident
    demo.categories.change(anna, logged.category.id, active=False, now=NOW)
    with pytest.raises(UnknownName):
        demo.incidents.log(anna, parse_quick("Fittja torg; klotter; igen"), now=NOW)
    assert demo.incidents.get(anna, logged.id).category.label_sv == "Klotter"
    assert "klotter" not in {c.key for c in demo.categories.of_group(anna)}
    assert "klotter" in {c.key for c in demo.categories.of_group(anna, include_retired=True)}


def test_admins_add_and_rename_categories(demo, anna, erik):
    added = demo.categories.add(anna, label_sv="Mopedstölder", now=NOW)
    assert match_category("mopedstölder", demo.categories.of_group(anna)).id == added.id
    renamed = demo.categories.change(anna, added.id, label_sv="Mopedstöld", now=NOW)
    assert renamed.label_sv == "Mopedstöld"
    with pytest.raises(Forbidden):
        demo.categories.add(erik, label_sv="Annat", now=NOW)
    with pytest.raises(Conflict):
        demo.categories.add(anna, label_sv="Lustgas", now=NOW)
