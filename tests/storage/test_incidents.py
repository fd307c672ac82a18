"""The incident and category repositories, on each database, with the demo group."""

from __future__ import annotations

from datetime import timedelta

from storage.models import Category, HotspotNotice
from tests.conftest import NOW


def _place_id(db, group_id: int, name: str) -> int:
    with db.unit_of_work(read_only=True) as uow:
        place = next(p for p in uow.places.of_group(group_id) if p.name == name)
        assert place.id is not None
        return place.id


# -- CategoryRepository -------------------------------------------------------------------------


def test_the_seeded_categories_come_by_swedish_label(db, anna):
    with db.unit_of_work(read_only=True) as uow:
        categories = uow.categories.of_group(anna.group.id)
    assert len(categories) == 21
    assert [c.label_sv for c in categories[:5]] == [
        "Brand",
        "Buskörning",
        "Fyrverkerier",
        "Grovt våld / gatuvåld",
        "Hot",
    ]
    assert categories[0].key == "brand" and categories[0].label_en == "Fire"


def test_retired_categories_only_when_asked_for(db, anna):
    with db.unit_of_work() as uow:
        graffiti = next(c for c in uow.categories.of_group(anna.group.id) if c.key == "klotter")
        graffiti.active = False
        graffiti_id = graffiti.id
    with db.unit_of_work(read_only=True) as uow:
        active = uow.categories.of_group(anna.group.id)
        everything = uow.categories.of_group(anna.group.id, active_only=False)
        assert (len(active), len(everything)) == (20, 21)
        assert "klotter" not in {c.key for c in active}
        retired = uow.categories.get(graffiti_id or 0)
        assert retired is not None and retired.label_sv == "Klotter" and not retired.active


def test_an_added_category_is_flushed_and_sorted_in(db, anna):
    with db.unit_of_work() as uow:
        added = uow.categories.add(
            Category(
                group_id=anna.group.id,
                key="bus",
                label_sv="Bus",
                label_en="Mischief",
                aliases=["hyss"],
                created_at=NOW,
                updated_at=NOW,
            )
        )
        assert added.id is not None
    with db.unit_of_work(read_only=True) as uow:
        labels = [c.label_sv for c in uow.categories.of_group(anna.group.id)]
        assert labels[:3] == ["Brand", "Bus", "Buskörning"]
        assert uow.categories.of_group(anna.group.id + 1) == []


# -- IncidentRepository -------------------------------------------------------------------------


def test_a_hotspot_notice_is_claimed_once_per_place_category_and_week(db, anna):
    place_id = _place_id(db, anna.group.id, "Fittja torg")
    with db.unit_of_work(read_only=True) as uow:
        category = next(c for c in uow.categories.of_group(anna.group.id) if c.key == "brand")
        assert category.id is not None
        category_id = category.id

    def notice(week: int) -> HotspotNotice:
        return HotspotNotice(
            group_id=anna.group.id,
            place_id=place_id,
            category_id=category_id,
            iso_year=2026,
            iso_week=week,
            count=3,
            rule="count",
            created_at=NOW,
        )

    with db.unit_of_work() as uow:
        assert uow.incidents.claim_hotspot_notice(notice(47)) is True
        assert uow.incidents.claim_hotspot_notice(notice(47)) is False  # the same week again
        assert uow.incidents.claim_hotspot_notice(notice(48)) is True  # the transaction goes on
    with db.unit_of_work() as uow:  # both were committed
        assert uow.incidents.claim_hotspot_notice(notice(47)) is False
        assert uow.incidents.claim_hotspot_notice(notice(48)) is False
        assert uow.incidents.claim_hotspot_notice(notice(49)) is True


def test_merging_places_moves_every_incident_of_one(demo, anna, db):
    for text in (
        "Fittja torg; klotter; Tags på bänkarna",
        "Fittja torg; brand; Soptunna i brand",
        "Fittja centrum; klotter; Tags vid entrén",
    ):
        demo.incidents.log_text(anna, text, now=NOW)
    torg = _place_id(db, anna.group.id, "Fittja torg")
    centrum = _place_id(db, anna.group.id, "Fittja centrum")
    week = (NOW - timedelta(days=7), NOW + timedelta(days=1))
    with db.unit_of_work() as uow:
        assert uow.incidents.move_place(torg, centrum) == 2
        assert uow.incidents.move_place(torg, centrum) == 0  # nothing left to move
    with db.unit_of_work(read_only=True) as uow:
        assert uow.incidents.count_by("place", anna.group.id, *week, None) == [(centrum, 3)]
