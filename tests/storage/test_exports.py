"""The exports' repository, read directly on SQLite and PostgreSQL: the incidents of a period,
the annual report's counts per month, each week's latest lägesbild and the year's actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.actions.service import ActionDraft
from bot.incidents.service import parse_quick
from bot.services import Services
from storage.models import PictureSnapshot
from tests.conftest import NOW, session_of
from tests.storage.test_summary import log, other_group

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# 1 January 2026 00:00 in Stockholm (UTC+1) to 1 January 2027
YEAR = (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
MONTHS = [datetime(2026 + m // 12, m % 12 + 1, 1, tzinfo=STOCKHOLM) for m in range(13)]


@pytest.fixture
def year(demo: Services, anna, erik) -> dict[str, int]:
    """Incidents of 2026 (local times), one just before it, a deleted one, another group's."""
    january = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)  # while 2025 could still be recorded
    log(demo, anna, "Fittja centrum; lustgas; nyårsafton; 2025-12-31 23:30", now=january)
    new_year, fittja, lustgas = log(demo, anna, "Fittja centrum; lustgas; natten; 2026-01-01 00:30")
    march = log(demo, anna, "Fittja centrum; lustgas; mars; 2026-03-10 21:00")[0]
    # 00:30 on 1 April in summer time is 22:30 UTC on 31 March: April's
    april = log(demo, anna, "Fittja centrum; narkotikaförsäljning; april; 2026-04-01 00:30")[0]
    secret = parse_quick("Kårsby IP; buskörning; hemligt; 2026-11-18 20:00; begränsad")
    restricted = demo.incidents.log(erik, secret, now=NOW).incident
    november = log(demo, anna, "Fittja centrum; narkotikaförsäljning; nov; 2026-11-17 21:30")[0]
    gone = log(demo, anna, "Fittja centrum; klotter; fel; 2026-11-17 10:00")[0]
    demo.incidents.delete(anna, gone, reason="dubblett", now=NOW)
    log(demo, other_group(demo), "Albys torg; klotter; annan grupp; 2026-05-05 12:00")
    return {
        "new_year": new_year,
        "march": march,
        "april": april,
        "restricted": restricted.id,
        "november": november,
        "fittja": fittja,
        "karsby": restricted.place_id,
        "lustgas": lustgas,
        "buskorning": restricted.category.id,
    }


def test_the_incidents_of_a_period_with_their_place_category_and_organisation(demo, anna, year):
    with demo.db.unit_of_work(read_only=True) as uow:
        everything = uow.exports.incidents(anna.group.id, *YEAR)
        at_fittja = uow.exports.incidents(anna.group.id, *YEAR, place_id=year["fittja"])
        march = uow.exports.incidents(
            anna.group.id,
            datetime(2026, 2, 28, 23, 0, tzinfo=UTC),
            datetime(2026, 3, 31, 22, 0, tzinfo=UTC),  # 1 April 00:00, summer time
        )
    assert [
        (i.id, p.name, c.label_sv, organisation, i.restricted)
        for i, p, c, organisation in everything
    ] == [
        (year["new_year"], "Fittja centrum", "Lustgas", "Botkyrka kommun", False),
        (year["march"], "Fittja centrum", "Lustgas", "Botkyrka kommun", False),
        (year["april"], "Fittja centrum", "Öppen narkotikaförsäljning", "Botkyrka kommun", False),
        (
            year["november"],
            "Fittja centrum",
            "Öppen narkotikaförsäljning",
            "Botkyrka kommun",
            False,
        ),
        # counted for everyone: the reader's export leaves out its text
        (year["restricted"], "Kårsby IP", "Buskörning", "Polisen lokalpolisområde Botkyrka", True),
    ]
    assert [i.id for i, _p, _c, _o in at_fittja] == [
        year["new_year"],
        year["march"],
        year["april"],
        year["november"],
    ]
    assert [i.id for i, _p, _c, _o in march] == [year["march"]]


def test_incidents_per_month_of_the_year(demo, anna, year):
    with demo.db.unit_of_work(read_only=True) as uow:
        by_place = uow.exports.incidents_per_month(anna.group.id, MONTHS, by="place")
        by_category = uow.exports.incidents_per_month(anna.group.id, MONTHS, by="category")
        places = uow.exports.place_names(by_place)
        labels = uow.exports.category_labels([year["lustgas"]])
        assert uow.exports.place_names([]) == {} and uow.exports.category_labels([]) == {}
    #                   jan feb mar apr may jun jul aug sep oct nov dec
    assert by_place == {
        year["fittja"]: [1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        year["karsby"]: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    }
    assert by_category[year["lustgas"]] == [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert by_category[year["buskorning"]] == [0] * 10 + [1, 0]
    assert len(by_category) == 3  # lustgas, narkotika, buskörning: no klotter (deleted)
    assert places == {year["fittja"]: "Fittja centrum", year["karsby"]: "Kårsby IP"}
    assert labels == {year["lustgas"]: ("Lustgas", "Laughing gas")}


def test_the_latest_lagesbild_of_each_week_of_the_year(demo, anna):
    group_id = anna.group.id

    def frozen(year: int, week: int, version: int, level: str) -> PictureSnapshot:
        return PictureSnapshot(
            group_id=group_id,
            iso_year=year,
            iso_week=week,
            version=version,
            content={"places": [{"place": "Fittja centrum", "joint_level": level}]},
            created_by="U0ANNA",
            created_at=NOW + timedelta(minutes=version),
        )

    with demo.db.unit_of_work() as uow:
        session_of(uow).add(frozen(2026, 47, 1, "oroligt"))
        session_of(uow).add(frozen(2026, 45, 1, "lugnt"))
        session_of(uow).add(frozen(2026, 47, 3, "allvarligt"))  # corrected twice: the last counts
        session_of(uow).add(frozen(2026, 47, 2, "lugnt"))
        session_of(uow).add(frozen(2025, 46, 1, "allvarligt"))  # last year
    with demo.db.unit_of_work(read_only=True) as uow:
        found = uow.exports.pictures_of_year(group_id, 2026)
        assert uow.exports.pictures_of_year(group_id, 2024) == []
    assert [(s.iso_week, s.version, s.content["places"][0]["joint_level"]) for s in found] == [
        (45, 1, "lugnt"),
        (47, 3, "allvarligt"),
    ]


def test_the_actions_created_or_due_in_the_year(demo, anna):
    def action(title: str, due: date, created: datetime) -> int:
        return demo.actions.create(anna, ActionDraft(title, "U0ERIK", due), now=created).id

    autumn_2025 = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
    early = action("Due in January", date(2026, 1, 5), datetime(2025, 11, 1, 9, 0, tzinfo=UTC))
    action("Due on New Year's Eve 2025", date(2025, 12, 31), autumn_2025)
    last_day = action("Due on New Year's Eve", date(2026, 12, 31), autumn_2025)
    action("Due in 2027, made in 2025", date(2027, 1, 1), autumn_2025)
    made = action("Made in June", date(2027, 2, 1), datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    # 00:30 on 1 January 2026 in Stockholm: made in 2026
    midnight = action("Made just after midnight", date(2027, 3, 1), YEAR[0] + timedelta(minutes=30))
    with demo.db.unit_of_work(read_only=True) as uow:
        found = uow.exports.actions_created_or_due(
            anna.group.id, created=YEAR, due=(date(2026, 1, 1), date(2026, 12, 31))
        )
    assert [(a.id, organisation) for a, organisation in found] == [
        (early, "Polisen lokalpolisområde Botkyrka"),  # by due date; the owner's organisation
        (last_day, "Polisen lokalpolisområde Botkyrka"),
        (made, "Polisen lokalpolisområde Botkyrka"),
        (midnight, "Polisen lokalpolisområde Botkyrka"),
    ]
