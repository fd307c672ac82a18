"""Motivation picker benchmark: the typeahead's search over a group with 50 000 incidents.

    .venv/bin/python bench/motivation_bench.py [--incidents 50000] [--repeat 30]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

Builds a fresh SQLite file database in a temp dir (Alembic migrations, the demo group of
`bot.demo.workspace`) and bulk-loads the incidents: two years up to a fixed now (2026-11-23
09:00 UTC) at the demo's places, each with a short Swedish description, plus a year of weekly
situation reports from three organisations. With ``--postgres URL`` the same data also goes into a
throwaway database ``est_bench_<random>`` on that server, dropped at the end.

Each case calls ``services.activities.candidates`` as the picker's options listener does (every
place, what was typed, at most 100) and, interleaved with it in the same run, a baseline: the
bare query of the newest 100 live incidents of the group saved by now, on the raw DB-API
connection. Prints p50/p95/max in ms, the ratio to the baseline's p95, and PASS/FAIL for the
goal: p95 < 1 000 ms in every case on SQLite, a third of the 3 s Slack waits for options.
Exits 0 on FAIL too (it is a report); non-zero only when something crashed.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import col  # noqa: E402

from app import settle  # noqa: E402
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo  # noqa: E402
from bot.notifier import RecordingNotifier  # noqa: E402
from bot.services import Services  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Incident, ReportEntry, SituationReport  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GOAL_P95_MS = 1000.0
WORDS = [
    "försäljning vid trappan",
    "unga samlas vid entrén",
    "patroner på marken",
    "mopeder på gångvägen",
    "brand i papperskorg",
    "klotter på väggen",
    "fyrverkerier mot bussen",
    "hot mot personal",
]
CASES = [
    ("empty: the newest", ""),
    ("a place, no diacritics", "karsby"),
    ("a category", "lustgas"),
    ("a word of the text", "trappan"),
    ("place and word", "fittja patroner"),
    ("a week", "v. 12"),
    ("a rare word (no match)", "zebra"),
    ("an observation", "langning"),
]


def load(db: Database, services: Services, n: int, rng: random.Random) -> None:
    load_demo(db, services.groups, now=NOW - timedelta(days=800))
    with db.unit_of_work(read_only=True) as uow:
        group = uow.groups.by_channel(DEMO_TEAM, DEMO_CHANNEL)
        assert group is not None and group.id is not None
        places = [p.id or 0 for p in uow.places.of_group(group.id)]
        categories = [c.id for c in uow.categories.of_group(group.id)]
        orgs = [o.id for o in uow.organisations.of_group(group.id)]
    rows = []
    span = 730 * 24 * 3600
    for i in range(n):
        at = NOW - timedelta(seconds=rng.randrange(span))
        rows.append(
            {
                "group_id": group.id,
                "place_id": rng.choice(places),
                "category_id": rng.choice(categories),
                "occurred_at": at,
                "description": f"{rng.choice(WORDS)} nr {i}",
                "restricted": rng.random() < 0.05,
                "reporter_user_id": "U0ANNA",
                "organisation_id": rng.choice(orgs),
                "version": 1,
                "deleted_at": NOW if rng.random() < 0.02 else None,
                "created_at": at + timedelta(hours=rng.randrange(1, 72)),
                "updated_at": at,
            }
        )
    with db.engine.begin() as conn:
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(Incident), rows[start : start + 10_000])
        for week in range(52):
            monday = NOW - timedelta(weeks=week)
            year, number, _ = monday.isocalendar()
            for org in orgs[:3]:
                report = conn.execute(
                    insert(SituationReport).returning(col(SituationReport.id)),
                    {
                        "group_id": group.id,
                        "organisation_id": org,
                        "iso_year": year,
                        "iso_week": number,
                        "version": 1,
                        "notes": "",
                        "submitted_by": "U0ERIK",
                        "late": False,
                        "created_at": monday,
                        "updated_at": monday,
                    },
                ).scalar_one()
                conn.execute(
                    insert(ReportEntry),
                    [
                        {
                            "report_id": report,
                            "place_id": p,
                            "level": "oroligt",
                            "trend": "sämre",
                            "observations": "Langning kvällstid" if p % 3 else "",
                        }
                        for p in rng.sample(places, 6)
                    ],
                )


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def run(url: str, label: str, n: int, repeat: int) -> bool:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    services = Services.build(db, RecordingNotifier())
    began = time.perf_counter()
    load(db, services, n, random.Random(7))
    print(f"\n{label}: {n} incidents loaded in {time.perf_counter() - began:.1f} s")
    actor = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    assert actor.group is not None
    group_id = actor.group.id
    bare = text(
        "SELECT id, occurred_at, description FROM incident WHERE group_id = :g "
        "AND deleted_at IS NULL AND created_at <= :now ORDER BY occurred_at DESC LIMIT 100"
    )
    settle()
    ok = True
    print(
        f"{'case':28} {'found':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'base p95':>9} ratio"
    )
    for name, typed in CASES:
        mine: list[float] = []
        base: list[float] = []
        found = 0
        for i in range(repeat + 2):

            def service(typed: str = typed) -> None:
                nonlocal found
                found = len(
                    services.activities.candidates(actor, [], now=NOW, typed=typed, limit=100)
                )

            def baseline() -> None:
                with engine.connect() as conn:
                    conn.execute(bare, {"g": group_id, "now": NOW}).all()

            pair = (timed(service), timed(baseline))
            if i >= 2:  # two warm-up rounds
                mine.append(pair[0])
                base.append(pair[1])
        passed = p95(mine) < GOAL_P95_MS
        ok = ok and passed
        print(
            f"{name:28} {found:5} {statistics.median(mine):8.1f} {p95(mine):8.1f} "
            f"{max(mine):8.1f} {p95(base):9.1f} {p95(mine) / p95(base):5.1f}x"
            f"{'' if passed else '  FAIL'}"
        )
    engine.dispose()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ok = run(f"sqlite:///{folder}/bench.db", "SQLite", args.incidents, args.repeat)
    if args.postgres:
        name = f"est_bench_{secrets.token_hex(4)}"
        server = make_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            run(url, "PostgreSQL (for information)", args.incidents, args.repeat)
        finally:
            with server.connect() as conn:
                conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
            server.dispose()
    print(f"\ngoal: p95 < {GOAL_P95_MS:.0f} ms in every case on SQLite: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
