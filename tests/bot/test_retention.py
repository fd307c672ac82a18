"""Gallring: free text past the group's retention period is cleared everywhere; counts stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text as sql
from sqlmodel import SQLModel

from bot.errors import Forbidden, InvalidInput
from bot.incidents.service import parse_quick
from bot.services import Services
from bot.timeparse import Period
from bot.trust.retention import months_before
from bot.weekly.reports import EntryDraft
from tests.conftest import NOW, session_of

OLD = datetime(2024, 10, 14, 9, 0, tzinfo=UTC)  # 25 months before NOW (2026-11-20)
MARK = "GAMMAL"


def everything(services: Services) -> str:
    """Every row of every table as text."""
    with services.db.engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in SQLModel.metadata.sorted_tables
            for row in conn.execute(sql(f"SELECT * FROM {table.name}"))
        )


@pytest.fixture
def history(demo: Services, anna, erik) -> dict[str, int]:
    """Two years ago: an incident (corrected once), a report, a closed meeting. Now: one more."""
    old = demo.incidents.log(
        erik,
        parse_quick(f"Fittja centrum; narkotikaförsäljning; {MARK} försäljning; 13/10 21:00"),
        now=OLD,
    ).incident
    demo.incidents.correct(
        erik,
        old.id,
        parse_quick(f"Fittja centrum; narkotikaförsäljning; {MARK} rättad; 13/10 21:00"),
        now=OLD,
    )
    demo.reports.save(
        erik,
        [EntryDraft(old.place_id, "oroligt", "sämre", f"{MARK} iakttagelse")],
        notes=f"{MARK} anteckning",
        now=OLD,
    )
    meeting, _ = demo.meetings.open(anna, now=OLD)
    demo.meetings.close(anna, meeting, now=OLD + timedelta(hours=1))
    new = demo.incidents.log(
        erik, parse_quick("Fittja centrum; klotter; Färsk text; igår 21:00"), now=NOW
    ).incident
    return {"old": old.id, "new": new.id}


def test_months_before_counts_calendar_months():
    assert months_before(NOW, 24) == datetime(2024, 11, 20, 21, 30, tzinfo=UTC)
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2024, 3, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )


def test_the_dry_run_names_what_would_go_and_changes_nothing(demo: Services, history):
    before = everything(demo)
    [sweep] = demo.retention.plan(now=NOW)
    assert sweep.cutoff == datetime(2024, 11, 20, 21, 30, tzinfo=UTC)
    assert sweep.incidents == (history["old"],)
    assert len(sweep.reports) == 1 and len(sweep.snapshots) == 1
    assert everything(demo) == before


def test_applying_clears_the_text_everywhere_and_keeps_counts_and_the_chain(
    demo: Services, anna, history
):
    assert everything(demo).count(MARK) > 8  # rows, versions, snapshot and audit copies
    [sweep] = demo.retention.apply(now=NOW)
    assert sweep.incidents == (history["old"],) and sweep.audit_events >= 4
    dump = everything(demo)
    assert MARK not in dump
    assert "Färsk text" in dump  # within the period: kept
    old = demo.incidents.get(anna, history["old"])
    assert (old.description, old.text_cleared, old.place) == ("", True, "Fittja centrum")
    counted = demo.incidents.list(anna, Period(OLD - timedelta(days=2), NOW, label=None))  # type: ignore[arg-type]
    assert counted.total == 2
    assert demo.audit.verify().ok
    with demo.db.engine.connect() as conn:
        logged = conn.execute(
            sql("SELECT actor, after FROM audit_event WHERE action = 'retention.applied'")
        ).all()
    assert len(logged) == 1 and logged[0][0] == "gallring"
    # the next day nothing is left to clear, and nothing more is logged
    assert all(s.empty for s in demo.retention.apply(now=NOW + timedelta(days=1)))
    with demo.db.engine.connect() as conn:
        again = conn.execute(
            sql("SELECT count(*) FROM audit_event WHERE action = 'retention.applied'")
        ).scalar()
    assert again == 1


def test_a_group_chooses_its_period_and_only_admins_may(demo: Services, anna, erik, history):
    with pytest.raises(Forbidden):
        demo.retention.set_months(erik, 36, now=NOW)
    with pytest.raises(InvalidInput):
        demo.retention.set_months(anna, 0, now=NOW)
    assert demo.retention.set_months(anna, 36, now=NOW) == 36
    assert all(s.empty for s in demo.retention.plan(now=NOW))  # 25 months < 36
    demo.retention.set_months(anna, 1, now=NOW)
    [sweep] = demo.retention.plan(now=NOW)
    assert sweep.incidents == (history["old"],)  # the new one happened yesterday


def test_the_clock_runs_it_daily(demo: Services, history) -> None:
    from bot.clock import ClockContext, apply_retention, jobs

    job = next(j for j in jobs() if j.id == "retention.apply")
    fire = job.trigger.get_next_fire_time(None, NOW)
    assert fire is not None and (fire.hour, fire.minute) == (3, 15)
    apply_retention(ClockContext(demo, sender=None), NOW)  # type: ignore[arg-type]
    assert MARK not in everything(demo)


def _as_first_formula(services: Services) -> None:
    """Rewrite the chain as a database from before migration 0008 holds it (hash version 1)."""
    from sqlmodel import col, select

    from storage.audit_chain import GENESIS_HASH, event_hash
    from storage.models import AuditEvent, AuditHead

    with services.db.unit_of_work() as uow:
        prev = GENESIS_HASH
        for ev in session_of(uow).exec(select(AuditEvent).order_by(col(AuditEvent.id))).all():
            fields = {k: getattr(ev, k) for k in ("group_id", "at", "actor", "action", "entity")}
            digest = event_hash(
                prev_hash=prev,
                entity_id=ev.entity_id,
                before=ev.before,
                after=ev.after,
                version=1,
                **fields,
            )
            ev.prev_hash, ev.hash, ev.hash_version, prev = prev, digest, 1, digest
            session_of(uow).add(ev)
        head = session_of(uow).get(AuditHead, 1)
        assert head is not None
        head.last_hash = prev
        session_of(uow).add(head)


def test_events_from_before_the_digests_are_left_and_counted(demo: Services, anna, history):
    _as_first_formula(demo)
    assert demo.audit.verify().ok
    [sweep] = demo.retention.apply(now=NOW)
    assert sweep.audit_events == 0 and sweep.audit_kept >= 4
    assert demo.incidents.get(anna, history["old"]).description == ""  # the rows are cleared
    with demo.db.engine.connect() as conn:
        kept = conn.execute(sql("SELECT count(*) FROM audit_event WHERE hash_version = 1")).scalar()
    assert kept and demo.audit.verify().ok  # the old events untouched, the chain whole
