"""Whole activity views are read in a fixed number of queries, however many activities they show:
the grant report, the coming activities and one's own activities, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event

from bot.activities.documents import DocumentDraft
from bot.incidents.service import parse_quick
from tests.bot.test_activities import MONDAY, draft, place_id
from tests.bot.test_evidence import cost

LISTED = datetime(
    2026, 12, 20, 9, 0, tzinfo=UTC
)  # some held and waiting for follow-up, some coming
REPORTED = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # every before/after count of 2026 is due


def statements(db, call: Callable[[], Any]) -> tuple[int, Any]:
    """How many SQL statements ``call`` runs, and what it returns."""
    seen: list[str] = []

    def counted(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        result = call()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return len(seen), result


def plan(demo, anna, first: int, count: int, motivation: str) -> None:
    """Anna's activities ``first`` … at two places, motivated, each with a cost and a document:
    every third in January 2027 with its cost on the 2026 grant, the others in Nov–Dec 2026."""
    places = [place_id(demo, anna, "Fittja centrum"), place_id(demo, anna, "Fittja torg")]
    for k in range(first, first + count):
        day = date(2027, 1, 4 + k % 20) if k % 3 == 2 else date(2026, 11, 25) + timedelta(days=k)
        activity = demo.activities.create(
            anna,
            draft(
                demo,
                anna,
                title=f"Aktivitet {k}",
                day=day,
                owner_user_id="U0ANNA",
                place_ids=places[: 1 + k % 2],
                motivation=[motivation],
            ),
            now=MONDAY,
        )
        demo.costs.add(anna, activity.id, cost(invoice_number=f"F-{k}"), now=MONDAY)
        demo.documents.add(
            anna, activity.id, DocumentDraft("avtal", f"Avtal {k}", date(2026, 11, 20)), now=MONDAY
        )


def test_views_of_3_or_30_activities_take_the_same_number_of_queries(demo, anna, db):
    motivation = demo.incidents.log(
        anna,
        parse_quick("Fittja centrum; narkotikaförsäljning; Öppen försäljning; 2026-11-15 21:30"),
        now=MONDAY - timedelta(days=7),
    ).incident
    for when in ("2026-11-28 20:00", "2026-12-09 22:00", "2026-12-16 19:00"):  # for the counts
        logged = datetime.fromisoformat(when).replace(tzinfo=UTC) + timedelta(hours=2)
        demo.incidents.log(
            anna, parse_quick(f"Fittja torg; narkotikaförsäljning; x; {when}"), now=logged
        )
    counts = []
    for first, count in ((0, 3), (3, 27)):
        plan(demo, anna, first, count, f"i:{motivation.id}")
        reported, report = statements(
            db, lambda: demo.evidence.grant_report(anna, 2026, now=REPORTED)
        )
        coming, upcoming = statements(db, lambda: demo.activities.upcoming(anna, now=LISTED))
        own, mine = statements(db, lambda: demo.activities.mine(anna, now=LISTED))
        counts.append((reported, coming, own))
        shown = first + count
        # every activity is in the report (those of 2027 through their cost on the 2026 grant)
        assert len(report.activities) == len(report.costs) == shown
        assert all(a.motivated and a.documents and a.costs for a in report.activities)
        in_2026 = [a for a in report.activities if a.start_at.year == 2026]
        assert in_2026 and all(a.effects for a in in_2026)
        assert {e.weeks for a in in_2026 for e in a.effects} == {1, 4}
        assert sum(e.before + e.after for a in in_2026 for e in a.effects) > 0
        assert 0 < upcoming.count < shown
        assert 0 < len(mine) <= shown and any(a.end_at < LISTED for a in mine)
    assert counts[0] == counts[1], f"3 activities: {counts[0]}, 30: {counts[1]}"
