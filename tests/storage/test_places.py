"""The place register's repository, on each database: the demo group's 23 places."""

from __future__ import annotations

from storage.models import Place
from tests.conftest import NOW


def test_places_come_by_district_then_name(db, anna):
    with db.unit_of_work(read_only=True) as uow:
        places = uow.places.of_group(anna.group.id)
    districts = [p.district for p in places]
    assert districts == (
        ["Alby"]
        + ["Fittja"] * 7
        + ["Hallunda/Norsborg"] * 8
        + ["Tullinge"]
        + ["Tumba"] * 5
        + ["Vårsta/Grödinge"]
    )
    assert [p.name for p in places if p.district == "Tumba"] == [
        "Gymnasieparken",
        "Storvreten",
        "Trappan till Munkhättevägen",
        "Tumba station",
        "Tunaskolans gård",
    ]
    assert places[0].name == "Albys hjärta" and places[0].aliases == ["Alby centrum"]


def test_archived_places_only_when_asked_for(db, anna):
    with db.unit_of_work() as uow:
        lida = next(p for p in uow.places.of_group(anna.group.id) if p.name == "Lida friluftsgård")
        lida.active = False
        lida_id = lida.id
    with db.unit_of_work(read_only=True) as uow:
        active = uow.places.of_group(anna.group.id)
        everything = uow.places.of_group(anna.group.id, active_only=False)
        assert (len(active), len(everything)) == (22, 23)
        assert lida_id not in {p.id for p in active}
        assert lida_id in {p.id for p in everything}
        assert uow.places.get(lida_id or 0) is not None  # by id, archived or not


def test_an_added_place_is_in_its_group_only(db, anna):
    with db.unit_of_work() as uow:
        added = uow.places.add(
            Place(
                group_id=anna.group.id,
                district="Alby",
                name="Alby gård",
                kind="park",
                aliases=["Gården"],
                created_at=NOW,
                updated_at=NOW,
            )
        )
        assert added.id is not None  # flushed: the id is known inside the transaction
        added_id = added.id
    with db.unit_of_work(read_only=True) as uow:
        alby = [p.name for p in uow.places.of_group(anna.group.id) if p.district == "Alby"]
        assert alby == ["Alby gård", "Albys hjärta"]
        assert uow.places.of_group(anna.group.id + 1) == []
        stored = uow.places.get(added_id)
        assert stored is not None and stored.aliases == ["Gården"]
