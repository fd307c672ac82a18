"""A meeting's decision and the action made from it are one unit of work: refused together or
saved together, so the minutes never show a decision whose action was refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text as sql
from sqlmodel import SQLModel

from bot.errors import InvalidInput

TUESDAY = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # week 48, in the meeting


def fingerprint_of(db) -> dict[str, list[str]]:
    """Every row of every table: equal fingerprints mean nothing was written."""
    with db.engine.connect() as conn:
        return {
            t.name: sorted(repr(tuple(r)) for r in conn.execute(sql(f"SELECT * FROM {t.name}")))
            for t in SQLModel.metadata.sorted_tables
        }


def _decisions(demo, anna, meeting_id):
    return [d.text for d in demo.meetings.close(anna, meeting_id, now=TUESDAY).decisions]


@pytest.mark.parametrize(
    ("owner", "due", "field"),
    [
        ("U0BRA", date(2026, 12, 4), "owner"),  # a reader cannot own an action
        ("U0NOBODY", date(2026, 12, 4), "owner"),  # not in the group
        ("U0ERIK", date(2026, 11, 23), "due"),  # yesterday, in Stockholm
    ],
)
def test_a_refused_action_leaves_no_decision(demo, anna, owner, due, field):
    meeting_id, _agenda = demo.meetings.open(anna, now=TUESDAY)
    before = fingerprint_of(demo.db)
    with pytest.raises(InvalidInput) as refused:
        demo.meetings.decide(
            anna, meeting_id, "Ökad belysning vid tunnelbanan", owner=owner, due=due, now=TUESDAY
        )
    assert refused.value.field == field
    assert fingerprint_of(demo.db) == before  # nothing half-saved: no decision, no audit event
    # the same decision again with an owner who may own it: once in the minutes, with its action
    saved = demo.meetings.decide(
        anna,
        meeting_id,
        "Ökad belysning vid tunnelbanan",
        owner="U0ERIK",
        due=date(2026, 12, 4),
        now=TUESDAY,
    )
    assert saved.action_id is not None
    assert demo.actions.get(anna, saved.action_id).decision_ref == f"decision:{saved.id}"
    assert _decisions(demo, anna, meeting_id) == ["Ökad belysning vid tunnelbanan"]


def test_a_decision_with_an_action_is_saved_with_it(demo, anna):
    meeting_id, _agenda = demo.meetings.open(anna, now=TUESDAY)
    saved = demo.meetings.decide(
        anna, meeting_id, "Nattvandring fredag", owner="U0SARA", due=date(2026, 11, 27), now=TUESDAY
    )
    action = demo.actions.get(anna, saved.action_id)
    assert (action.owner_user_id, action.iso_year, action.iso_week) == ("U0SARA", 2026, 48)
    assert (saved.owner_user_id, saved.due_date) == ("U0SARA", date(2026, 11, 27))
