"""Incidents on SQLite and PostgreSQL: logging, idempotency, versions, listing, hotspots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from bot.errors import BotError, Forbidden, InvalidInput, NotAMember, PersonalDataError
from bot.incidents.notifications import HotspotReached
from bot.incidents.service import (
    DuplicateMessage,
    IncidentDraft,
    IncidentService,
    Understood,
    parse_quick,
)
from bot.places.service import UnknownPlace
from bot.timeparse import iso_week, this_week
from storage.models import AuditEvent, Incident, IncidentVersion
from tests.bot.conftest import as_user
from tests.conftest import NOW, session_of

TZ = ZoneInfo("Europe/Stockholm")
# NOW is Friday 2026-11-20 21:30 UTC = 22:30 in Stockholm, ISO week 47


def quick(text: str) -> IncidentDraft:
    return parse_quick(text)


def test_quick_syntax_is_saved_exactly(demo, anna, db):
    logged = demo.incidents.log(
        anna,
        quick(
            "Fittja centrum; narkotikaförsäljning; Öppen försäljning vid tunnelbanan; igår 21:30"
        ),
        now=NOW,
    )
    incident = logged.incident
    assert logged.created
    assert incident.place == "Fittja centrum"
    assert incident.category.label_sv == "Öppen narkotikaförsäljning"
    # "igår 21:30" on Friday 20 Nov in Stockholm (UTC+1) = Thursday 19 Nov 20:30 UTC
    assert incident.occurred_at == datetime(2026, 11, 19, 20, 30, tzinfo=UTC)
    assert incident.description == "Öppen försäljning vid tunnelbanan"
    assert incident.organisation == "Botkyrka kommun"
    assert incident.version == 1
    with db.unit_of_work(read_only=True) as uow:
        versions = session_of(uow).exec(select(IncidentVersion)).all()
        audit = (
            session_of(uow).exec(select(AuditEvent).where(AuditEvent.entity == "incident")).all()
        )
    assert [(v.version, v.content["description"]) for v in versions] == [
        (1, "Öppen försäljning vid tunnelbanan")
    ]
    assert [a.action for a in audit] == ["incident.created"]


def test_time_defaults_to_now_and_the_organisation_comes_from_membership(demo, erik):
    incident = demo.incidents.log(erik, quick("Kårsby IP; hot; Hot mot personal"), now=NOW).incident
    assert incident.occurred_at == NOW
    assert incident.organisation == "Polisen lokalpolisområde Botkyrka"


@pytest.mark.parametrize("typed", ["fittja c", "FITTJA CENTRUM", "Fittja C"])
def test_typed_place_variants(demo, anna, typed):
    incident = demo.incidents.log(anna, quick(f"{typed}; lustgas; Patroner"), now=NOW).incident
    assert incident.place == "Fittja centrum"


def test_ambiguous_place_stores_nothing_and_suggests(demo, anna, db):
    with pytest.raises(UnknownPlace) as caught:
        demo.incidents.log(anna, quick("Fittja; klotter; Tags"), now=NOW)
    assert len(caught.value.places) == 3
    assert "Fittja centrum" in {p.name for p in caught.value.places}
    assert caught.value.can_add  # Anna is an admin
    with db.unit_of_work(read_only=True) as uow:
        assert session_of(uow).exec(select(Incident)).all() == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Fittja centrum; xyzzy; Något", InvalidInput),
        ("Fittja centrum; narkotikaförsäljning; Något; i morgon 10:00", InvalidInput),
        ("Fittja centrum; narkotikaförsäljning; Något; 2024-01-01 12:00", InvalidInput),
        ("Fittja centrum; narkotikaförsäljning; Ring 070-123 45 67", PersonalDataError),
        ("Fittja centrum; narkotikaförsäljning; Pojken 811218-9876 sålde", PersonalDataError),
        ("Fittja centrum; narkotikaförsäljning; Mejla anna@example.se", PersonalDataError),
        ("Fittja centrum", InvalidInput),
        ("Fittja centrum; narkotikaförsäljning; x; nu; kanske", InvalidInput),
    ],
)
def test_bad_input_stores_nothing(demo, anna, db, text, error):
    with pytest.raises(error):
        demo.incidents.log(anna, quick(text) if ";" in text else IncidentDraft(text, ""), now=NOW)
    with db.unit_of_work(read_only=True) as uow:
        assert session_of(uow).exec(select(Incident)).all() == []


def test_personal_data_error_hands_the_text_back(demo, anna):
    with pytest.raises(PersonalDataError) as caught:
        demo.incidents.log(anna, quick("Fittja torg; hot; Ring 070-123 45 67"), now=NOW)
    assert caught.value.text == "Ring 070-123 45 67"
    assert caught.value.found == ("telefonnummer",)


def test_readers_and_strangers_cannot_log(demo, lena):
    with pytest.raises(Forbidden):
        demo.incidents.log(lena, quick("Fittja torg; hot; x"), now=NOW)
    stranger = as_user(demo, "U0NOBODY")
    with pytest.raises(NotAMember):
        demo.incidents.log(stranger, quick("Fittja torg; hot; x"), now=NOW)


def test_the_same_form_submitted_twice_stores_one(demo, anna, db):
    draft = IncidentDraft("Fittja torg", "lustgas", "x", idempotency_key="V123")
    first = demo.incidents.log(anna, draft, now=NOW)
    second = demo.incidents.log(anna, draft, now=NOW + timedelta(seconds=2))
    assert first.created and not second.created
    assert second.incident.id == first.incident.id
    with db.unit_of_work(read_only=True) as uow:
        assert len(session_of(uow).exec(select(Incident)).all()) == 1


def test_the_same_form_understood_twice_before_either_write_stores_one(demo, anna, db):
    """Both submissions pass the read-only checks before either is written (the form's second
    click arrives while the first waits for the write lock): the second write finds the first."""
    draft = IncidentDraft("Fittja torg", "lustgas", "x", idempotency_key="V456")
    first = demo.incidents.understand(anna, draft, now=NOW)
    second = demo.incidents.understand(anna, draft, now=NOW)
    assert isinstance(first, Understood) and isinstance(second, Understood)
    saved = demo.incidents.save(anna, first, now=NOW)
    again = demo.incidents.save(anna, second, now=NOW)
    assert saved.created and not again.created
    assert again.incident.id == saved.incident.id
    with db.unit_of_work(read_only=True) as uow:
        assert len(session_of(uow).exec(select(Incident)).all()) == 1


class _RacedService(IncidentService):
    """The twin commits between this write's own check and its insert, as it can on
    PostgreSQL when two `serve` processes write at once: the write's first check misses it."""

    missed = 0

    def _logged_before(self, uow, group_id, draft):
        if not self.missed:
            self.missed += 1
            return None
        return super()._logged_before(uow, group_id, draft)


def test_a_twin_that_commits_first_is_returned_not_an_error(demo, anna, db):
    draft = IncidentDraft("Fittja torg", "lustgas", "x", idempotency_key="V789")
    first = demo.incidents.log(anna, draft, now=NOW)
    raced = _RacedService(db, demo.incidents.notifier)
    understood = Understood(draft, first.incident.place_id, None, NOW, "x", None)
    again = raced.save(anna, understood, now=NOW)
    assert not again.created and again.incident.id == first.incident.id
    assert raced.missed == 1  # the insert was tried and refused by the unique key
    with db.unit_of_work(read_only=True) as uow:
        assert len(session_of(uow).exec(select(Incident)).all()) == 1
        versions = session_of(uow).exec(select(IncidentVersion)).all()
    assert len(versions) == 1  # nothing half-written of the refused twin


def test_the_same_message_asks_before_a_duplicate(demo, anna):
    draft = IncidentDraft(
        "Fittja torg",
        "lustgas",
        "Patroner",
        source_channel="C0EST",
        source_ts="1700000000.000100",
        idempotency_key="V1",
    )
    first = demo.incidents.log(anna, draft, now=NOW).incident
    assert demo.incidents.logged_from_message(anna, "C0EST", "1700000000.000100") == first.id
    again = IncidentDraft(**{**draft.__dict__, "idempotency_key": "V2"})
    with pytest.raises(DuplicateMessage) as caught:
        demo.incidents.log(anna, again, now=NOW)
    assert caught.value.incident_id == first.id
    confirmed = IncidentDraft(**{**again.__dict__, "allow_duplicate": True})
    assert demo.incidents.log(anna, confirmed, now=NOW).incident.id != first.id


def test_correction_makes_a_new_version_and_keeps_the_old(demo, anna, db):
    first = demo.incidents.log(anna, quick("Fittja torg; lustgas; Patroner"), now=NOW).incident
    later = NOW + timedelta(hours=1)
    fixed = demo.incidents.correct(
        anna, first.id, quick("Fittja centrum; lustgas; Många patroner; igår 22:00"), now=later
    )
    assert (fixed.version, fixed.place, fixed.description) == (
        2,
        "Fittja centrum",
        "Många patroner",
    )
    assert fixed.edited
    assert fixed.created_at == NOW and fixed.updated_at == later
    history = demo.incidents.history(anna, first.id)
    assert [v.content["description"] for v in history] == ["Patroner", "Många patroner"]


def test_only_the_reporter_or_an_admin_changes_an_incident(demo, anna, erik):
    mine = demo.incidents.log(erik, quick("Kårsby IP; hot; x"), now=NOW).incident
    annas = demo.incidents.log(anna, quick("Fittja torg; hot; y"), now=NOW).incident
    with pytest.raises(Forbidden):
        demo.incidents.delete(erik, annas.id, reason="fel", now=NOW)
    demo.incidents.delete(anna, mine.id, reason="Dubblett", now=NOW)  # admin may


def test_deleted_incidents_leave_lists_but_stay_in_history(demo, anna, db):
    week = this_week(now=NOW, tz=TZ)
    kept = demo.incidents.log(anna, quick("Fittja torg; lustgas; a"), now=NOW).incident
    gone = demo.incidents.log(anna, quick("Fittja torg; lustgas; b"), now=NOW).incident
    with pytest.raises(InvalidInput):
        demo.incidents.delete(anna, gone.id, reason="  ", now=NOW)
    demo.incidents.delete(anna, gone.id, reason="Dubblett", now=NOW)
    listing = demo.incidents.list(anna, week)
    assert [e.id for e in listing.entries] == [kept.id]
    assert listing.total == 1
    with db.unit_of_work(read_only=True) as uow:
        row = uow.incidents.get(gone.id)
        assert row is not None and row.delete_reason == "Dubblett"
        assert [v.version for v in uow.incidents.versions(gone.id)] == [1, 2]
    with pytest.raises(BotError):
        demo.incidents.delete(anna, gone.id, reason="igen", now=NOW)


def test_listing_counts_and_pages(demo, anna):
    for i in range(20):
        place = "Fittja torg" if i % 2 else "Kårsby IP"
        category = "lustgas" if i < 12 else "klotter"
        demo.incidents.log(
            anna, quick(f"{place}; {category}; nr {i}; nu"), now=NOW - timedelta(minutes=i)
        )
    week = this_week(now=NOW, tz=TZ)
    page = demo.incidents.list(anna, week)
    assert page.total == 20
    assert [(c.label_sv, n) for c, n in page.by_category] == [("Lustgas", 12), ("Klotter", 8)]
    assert sorted(page.by_place) == [("Fittja torg", 10), ("Kårsby IP", 10)]
    assert len(page.entries) == 15 and page.has_more
    assert page.entries[0].description == "nr 0"  # newest first
    rest = demo.incidents.list(anna, week, offset=15)
    assert [e.description for e in rest.entries] == [f"nr {i}" for i in range(15, 20)]
    assert not rest.has_more
    at_fittja = demo.incidents.list(anna, week, place="fittja torg")
    assert at_fittja.total == 10 and at_fittja.place == "Fittja torg"
    earlier = demo.incidents.list(anna, iso_week(2026, 46, tz=TZ))
    assert earlier.total == 0


def test_hotspot_notice_once_per_place_category_and_week(demo, anna, notifier):
    for hours in (50, 30, 10, 5):
        demo.incidents.log(
            anna, quick("Fittja torg; lustgas; x; nu"), now=NOW - timedelta(hours=hours)
        )
    notes = [n for n in notifier.notes if isinstance(n, HotspotReached)]
    assert len(notes) == 1
    assert (notes[0].place, notes[0].category_sv, notes[0].count, notes[0].rule) == (
        "Fittja torg",
        "Lustgas",
        3,
        "count",
    )
    assert notes[0].iso_week == 47
    # another category at the same place is counted on its own
    demo.incidents.log(anna, quick("Fittja torg; klotter; y"), now=NOW)
    assert len([n for n in notifier.notes if isinstance(n, HotspotReached)]) == 1


def test_hotspot_by_average(demo, anna, notifier, db):
    with db.unit_of_work() as uow:
        group = uow.groups.get(anna.group.id)
        group.hotspot_count = 100  # only the average rule can fire
        session_of(uow).add(group)
    weeks_before = [NOW - timedelta(weeks=w) for w in (1, 2, 3, 4)]
    for at in weeks_before:  # one a week before: average 1
        demo.incidents.log(anna, quick("Kårsby IP; buskörning; a; nu"), now=at)
    assert not notifier.notes[-1:] or not isinstance(notifier.notes[-1], HotspotReached)
    demo.incidents.log(anna, quick("Kårsby IP; buskörning; b; nu"), now=NOW - timedelta(hours=3))
    demo.incidents.log(anna, quick("Kårsby IP; buskörning; c; nu"), now=NOW)
    notes = [n for n in notifier.notes if isinstance(n, HotspotReached)]
    assert [(n.rule, n.count) for n in notes] == [("average", 2)]


@given(st.text(max_size=300))
def test_quick_syntax_never_raises_anything_but_a_bot_error(text):
    try:
        draft = parse_quick(text)
    except BotError:
        return
    assert draft.place and draft.category


def test_incident_timestamps_are_server_side(demo, anna, db):
    incident = demo.incidents.log(
        anna, quick("Fittja torg; hot; x; 2026-11-20 10:00"), now=NOW
    ).incident
    with db.unit_of_work(read_only=True) as uow:
        row = session_of(uow).exec(select(Incident).where(col(Incident.id) == incident.id)).one()
    assert row.created_at == NOW  # the server's clock, not the typed time
    assert row.occurred_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
