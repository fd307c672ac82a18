"""Weekly summary benchmark: the summary of a big group, and its chart.

    .venv/bin/python bench/summary_bench.py [--incidents 1000000] [--places 500]
        [--actions 10000] [--activities 5000] [--repeat 10]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

Builds a fresh SQLite file database in a temp dir (Alembic migrations, the demo group, places
bulk-inserted up to ``--places``) and bulk-loads five years of incidents exactly as
bench/incidents_bench.py does (executemany on SQLite, COPY on PostgreSQL; same generator, same
seed), plus ``--actions`` actions (done, open, in progress, cancelled; due dates over the five
years) the same way, and ``--activities`` activities (five years back to a month ahead, 1–2
places each, most of the past ones held with attendance, about 70 % motivated). With
``--postgres URL`` the same data also goes into a throwaway database
``est_bench_<random>`` on that server, dropped at the end.

Measured, interleaved, after a warm-up: ``bot.summary.service.compute`` (the summary of
ISO week 46 of
2026, the week before the benchmark's "now", as the Monday post computes it) against a
hand-written SQL baseline on the raw DB-API connection doing the same work (the same aggregates
and the few rows named), and the two answers compared. Then the chart of that summary
(``bot.summary.chart.render_chart``), timed separately, and the peak memory: Python's allocations
during
one computation (tracemalloc) and the process's maxrss at the end. Goals: compute within 1.5× the
baseline and under 1 s on SQLite; peak memory under 200 MB. Exits 0 on FAIL too (it is a report).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import incidents_bench as ib  # noqa: E402
from bench import timing  # noqa: E402
from bot.demo.workspace import load_demo  # noqa: E402
from bot.notifier import RecordingNotifier  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.summary.service import WEEKS, Summary, compute, last_week, week_start  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = ib.NOW  # 2026-11-20 12:00 UTC: the summary is of week 46
TZ = ib.TZ
GOAL_RATIO, GOAL_SECONDS, GOAL_MB = 1.5, 1.0, 200
ACTION_COLUMNS = (
    "group_id", "title", "description", "owner_user_id", "organisation_id", "horizon", "status",
    "due_date", "iso_year", "iso_week", "decision_ref", "created_by", "escalated_at", "done_at",
    "created_at", "updated_at",
)  # fmt: skip
TITLES = ("Belysning", "Trygghetsvandring", "Klotter bort", "Nattvandring", "Kamera", "Städning")


def action_rows(group_id: int, owners: list[tuple[str, int]], n: int, seed: int) -> Iterator[tuple]:
    """Actions created over five years, due 1–8 weeks later; most older ones are done."""
    rng = random.Random(seed)
    span = (NOW - ib.START).total_seconds()
    for i in range(n):
        created = ib.START + timedelta(seconds=span * i / n)
        due = (created + timedelta(days=rng.randrange(7, 56))).astimezone(TZ).date()
        age = (NOW - created).days
        roll = rng.random()
        status, done = "öppen", None
        if (age > 60 and roll < 0.85) or (age <= 60 and roll < 0.3):
            status, done = "klar", min(created + timedelta(days=rng.randrange(1, 60)), NOW)
        elif roll < 0.9:
            status = "avbruten"
        elif roll < 0.95:
            status = "pågår"
        owner, organisation = rng.choice(owners)
        updated = done or created
        yield (
            group_id, f"{rng.choice(TITLES)} {i}", "", owner, organisation, "kort", status, due,
            None, None, None, owner, None, done, created, updated,
        )  # fmt: skip


def load_actions_sqlite(path: Path, rows: Iterator[tuple]) -> int:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        sql = (
            f"INSERT INTO est_action ({', '.join(ACTION_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(ACTION_COLUMNS))})"
        )
        batch = [
            [
                ib.sqlite_datetime(v)
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else v
                for v in row
            ]
            for row in rows
        ]
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        return len(batch)
    finally:
        conn.close()


def load_actions_postgres(conninfo: str, rows: Iterator[tuple]) -> int:
    n = 0
    with psycopg.connect(conninfo) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY est_action ({', '.join(ACTION_COLUMNS)}) FROM STDIN") as cp,
        ):
            for row in rows:
                cp.write_row(row)
                n += 1
        conn.commit()
    return n


ACTIVITY_COLUMNS = (
    "group_id", "title", "kind", "owner_user_id", "organisation_id", "start_at", "end_at",
    "target_group", "purpose", "organisers", "status", "attendance", "counting_method",
    "effect", "created_by", "created_at", "updated_at",
)  # fmt: skip
KINDS = ("evenemang", "trygghetsvandring", "nattvandring", "aktivering av plats", "lovaktivitet")


def load_activities(
    conn: Any, dialect: str, register: ib.Register, n: int, seed: int
) -> tuple[int, int]:
    """``n`` activities from five years back to a month ahead (evenings, 1–2 places each); the
    past ones mostly held with attendance, some cancelled, the future ones planned; about 70 %
    motivated by an incident. Returns (activities, motivations)."""
    rng = random.Random(seed + 1)
    end_of_span = NOW + timedelta(days=30)
    span = (end_of_span - ib.START).total_seconds()
    ph = "?" if dialect == "sqlite" else "%s"

    def value(v: Any) -> Any:
        if dialect == "sqlite" and isinstance(v, datetime):
            return ib.sqlite_datetime(v)
        return v

    rows, places, motivated = [], [], []
    for i in range(n):
        start = (ib.START + timedelta(seconds=span * i / n)).replace(minute=0, second=0)
        status, attendance, method = "planerad", None, None
        if start < NOW:
            roll = rng.random()
            if roll < 0.1:
                status = "inställd"
            elif roll < 0.9:
                status, method = "genomförd", rng.choice(("räknat", "uppskattat", "klickräknare"))
                attendance = json.dumps({"vuxna": rng.randrange(5, 400), "barn och unga": 3})
        owner, organisation = rng.choice(register.reporters)
        planned = start - timedelta(days=14)
        kind = rng.choice(KINDS)
        fields = (
            register.group_id, f"{kind.capitalize()} {i}", kind, owner, organisation, start,
            start + timedelta(hours=3), "boende", "Fler vuxna ute", "[]", status, attendance,
            method, "", owner, planned, planned,
        )  # fmt: skip
        rows.append([value(v) for v in fields])
        places.append(rng.sample(register.places[:200], rng.choice((1, 1, 2))))
        motivated.append(rng.random() < 0.7)
    cur = conn.cursor()
    columns = ", ".join(ACTIVITY_COLUMNS)
    marks = ", ".join([ph] * len(ACTIVITY_COLUMNS))
    cur.executemany(f"INSERT INTO activity ({columns}) VALUES ({marks})", rows)
    ids = [r[0] for r in cur.execute("SELECT id FROM activity ORDER BY id").fetchall()]
    assert len(ids) == n
    cur.executemany(
        f"INSERT INTO activity_place (activity_id, place_id) VALUES ({ph}, {ph})",
        [(a, p) for a, ps in zip(ids, places, strict=True) for p in ps],
    )
    at = ACTIVITY_COLUMNS.index("created_at")
    links = [
        (a, "incident", 1, ps[0], row[at], "tips", "U0ANNA", row[at])
        for a, ps, row, m in zip(ids, places, rows, motivated, strict=True)
        if m
    ]
    cur.executemany(
        "INSERT INTO activity_motivation (activity_id, kind, record_id, place_id, record_at, "
        f"summary, linked_by, linked_at) VALUES ({', '.join([ph] * 8)})",
        links,
    )
    conn.commit()
    return len(ids), len(links)


# ------------------------------------------------------------------------------------ baseline


class Baseline:
    """The summary's aggregates in hand-written SQL on the raw connection, pivoted in Python."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self.conn, self.dialect = conn, dialect

    def _q(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def _t(self, at: datetime) -> Any:
        return ib.sqlite_datetime(at) if self.dialect == "sqlite" else at

    def run(self, group_id: int, year: int, week: int) -> dict[str, Any]:
        first = week_start(year, week, TZ).date()
        days = [first - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS + 1)]
        bounds = [datetime.combine(d, clock_time(0), tzinfo=TZ) for d in days]
        bucket = " ".join(f"WHEN occurred_at < ? THEN {i}" for i in range(WEEKS - 1))
        live = "group_id = ? AND occurred_at >= ? AND occurred_at < ? AND deleted_at IS NULL"
        edges = [self._t(b) for b in bounds[1:-1]]
        window = (group_id, self._t(bounds[0]), self._t(bounds[-1]))
        cur = self.conn.cursor()
        weekly = {}
        for key in ("place_id", "category_id"):
            sql = (
                f"SELECT {key}, CASE {bucket} ELSE {WEEKS - 1} END AS w, count(*) "
                f"FROM incident WHERE {live} GROUP BY {key}, w"
            )
            found: dict[int, list[int]] = {}
            for k, w, n in cur.execute(self._q(sql), (*edges, *window)).fetchall():
                found.setdefault(k, [0] * WEEKS)[w] = n
            weekly[key] = found
        this_week = cur.execute(
            self._q(
                f"SELECT place_id, category_id, count(*) FROM incident WHERE {live} "
                "GROUP BY place_id, category_id"
            ),
            (group_id, self._t(bounds[-2]), self._t(bounds[-1])),
        ).fetchall()
        names = cur.execute(
            self._q("SELECT id, name, district FROM place WHERE group_id = ?"), (group_id,)
        ).fetchall()
        labels = cur.execute(
            self._q("SELECT id, label_sv, label_en FROM category WHERE group_id = ?"), (group_id,)
        ).fetchall()
        start, end, today = self._t(bounds[-2]), self._t(bounds[-1]), bounds[-1].date()
        today_arg = today.isoformat() if self.dialect == "sqlite" else today
        counts = cur.execute(
            self._q(
                "SELECT count(*), "
                "sum(CASE WHEN status = 'klar' AND done_at >= ? AND done_at < ? THEN 1 ELSE 0 END),"
                " sum(CASE WHEN status IN ('öppen', 'pågår') THEN 1 ELSE 0 END),"
                " sum(CASE WHEN status IN ('öppen', 'pågår') AND due_date < ? THEN 1 ELSE 0 END)"
                " FROM est_action WHERE group_id = ?"
            ),
            (start, end, today_arg, group_id),
        ).fetchone()
        lines = "SELECT a.id, a.title, a.owner_user_id, o.name, a.due_date FROM est_action a "
        lines += "JOIN organisation o ON o.id = a.organisation_id WHERE a.group_id = ? AND "
        done = cur.execute(
            self._q(
                lines + "a.status = 'klar' AND a.done_at >= ? AND a.done_at < ? "
                "ORDER BY a.done_at, a.id LIMIT 10"
            ),
            (group_id, start, end),
        ).fetchall()
        overdue = cur.execute(
            self._q(
                lines + "a.status IN ('öppen', 'pågår') AND a.due_date < ? "
                "ORDER BY a.due_date, a.id LIMIT 10"
            ),
            (group_id, today_arg),
        ).fetchall()
        missing = cur.execute(
            self._q(
                "SELECT o.name FROM organisation o WHERE o.group_id = ? AND o.reports AND NOT "
                "EXISTS (SELECT 1 FROM situation_report r WHERE r.organisation_id = o.id "
                "AND r.iso_year = ? AND r.iso_week = ?) ORDER BY o.name"
            ),
            (group_id, year, week),
        ).fetchall()
        coming_end = self._t(bounds[-1] + timedelta(days=14))
        activities = None
        if cur.execute(
            self._q("SELECT id FROM activity WHERE group_id = ? LIMIT 1"), (group_id,)
        ).fetchone():
            rows = cur.execute(
                self._q(
                    "SELECT id, title, kind, start_at, attendance, counting_method FROM activity "
                    "WHERE group_id = ? AND start_at >= ? AND start_at < ? AND ("
                    "(start_at < ? AND status IN ('planerad', 'genomförd')) OR "
                    "(start_at >= ? AND status = 'planerad')) ORDER BY start_at, id"
                ),
                (group_id, start, coming_end, end, end),
            ).fetchall()
            ids = [r[0] for r in rows]
            marks = ", ".join("?" * len(ids)) or "NULL"
            where: dict[int, list[str]] = {}
            for activity_id, name in cur.execute(
                self._q(
                    "SELECT ap.activity_id, p.name FROM activity_place ap JOIN place p "
                    f"ON p.id = ap.place_id WHERE ap.activity_id IN ({marks}) ORDER BY p.name"
                ),
                ids,
            ).fetchall():
                where.setdefault(activity_id, []).append(name)
            motivated = {
                r[0]
                for r in cur.execute(
                    self._q(
                        "SELECT DISTINCT activity_id FROM activity_motivation "
                        f"WHERE activity_id IN ({marks})"
                    ),
                    ids,
                ).fetchall()
            }
            activities = [
                (r[0], where.get(r[0], []), r[0] in motivated, _attendance(r[4])) for r in rows
            ]
        cur.close()
        return {
            "activities": activities,
            "weekly": weekly,
            "this_week": this_week,
            "names": names,
            "labels": labels,
            "actions": counts,
            "done": done,
            "overdue": overdue,
            "missing": missing,
        }


def _attendance(value: Any) -> int | None:
    counted = json.loads(value) if isinstance(value, str) else value
    return sum(counted.values()) if counted else None


# --------------------------------------------------------------------------------- the runs


def open_target(label: str, url: str, raw_connect: Callable[[], Any], args: argparse.Namespace):
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    services = Services.build(db, RecordingNotifier())
    group = load_demo(db, services.groups, now=ib.START).group
    register = ib.build_register(engine, group.id, random.Random(args.seed))
    began = time.perf_counter()
    rows = ib.incident_rows(register, args.incidents, args.seed)
    actions = action_rows(group.id, list(register.reporters), args.actions, args.seed)
    if engine.dialect.name == "sqlite":
        path = Path(make_url(url).database or "")
        loaded = ib.load_sqlite(path, rows)
        load_actions_sqlite(path, actions)
    else:
        loaded = ib.load_postgres(ib.raw_conninfo(url), rows)
        load_actions_postgres(ib.raw_conninfo(url), actions)
    raw = raw_connect()
    activities, motivated = load_activities(
        raw, engine.dialect.name, register, args.activities, args.seed
    )
    if engine.dialect.name == "postgresql":
        raw.execute("VACUUM ANALYZE")
    print(
        f"{label}: loaded {loaded} incidents, {args.actions} actions and {activities} activities "
        f"({motivated} motivated) at {args.places} places in {time.perf_counter() - began:.1f} s "
        "(generation included)"
    )
    return engine, db, group.id, raw


def compare(summary: Summary, base: dict[str, Any]) -> None:
    """The service and the baseline agree on every number the post shows."""
    places = base["weekly"]["place_id"]
    assert {p.place_id: p.series for p in summary.places} == {
        k: v for k, v in places.items() if v[-1] or v[-2]
    }
    assert summary.total == sum(v[-1] for v in places.values())
    assert summary.actions is not None
    assert (summary.actions.done, summary.actions.open, summary.actions.overdue) == tuple(
        int(x or 0) for x in base["actions"][1:]
    )
    assert [a.id for a in summary.actions.overdue_lines] == [r[0] for r in base["overdue"]]
    assert summary.missing_reports == [r[0] for r in base["missing"]]
    if base["activities"] is not None:
        part = summary.activities
        assert part is not None
        ours = [(e.id, e.places, e.motivated, e.attendance) for e in (*part.held, *part.coming)]
        assert ours == base["activities"]


CHILD = """
import json, sys
from datetime import datetime
from zoneinfo import ZoneInfo

def rss():  # VmHWM: this process's peak resident memory (ru_maxrss survives exec)
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024

url, group_id, now = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
from bot.summary.chart import render_chart
from bot.summary.service import compute, last_week
from storage.db import Database, make_engine
db = Database(make_engine(url))
imported = rss()
with db.unit_of_work(read_only=True) as uow:
    group = uow.groups.get(group_id)
    year, week = last_week(now, ZoneInfo(group.timezone))
    summary = compute(uow, group, year, week, now=now)
computed = rss()
render_chart(summary, "sv", group_name="EST Bench", produced=now.date())
print(json.dumps({"imported": imported, "computed": computed, "charted": rss()}))
"""


def process_memory(url: str, group_id: int) -> dict[str, float]:
    """A fresh process, as the clock is: its peak memory after the imports, after computing the
    summary and after drawing the chart (maxrss, MiB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(  # this interpreter, our own code
        [sys.executable, "-c", CHILD, url, str(group_id), NOW.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(label: str, engine, db: Database, group_id: int, raw: Any, args) -> dict[str, float]:
    year, week = last_week(NOW, TZ)
    baseline = Baseline(raw, engine.dialect.name)

    def service() -> Summary:
        with db.unit_of_work(read_only=True) as uow:
            group = uow.groups.get(group_id)
            assert group is not None
            return compute(uow, group, year, week, now=NOW)

    compare(service(), baseline.run(group_id, year, week))
    contestants = {"service": service, "baseline": lambda: baseline.run(group_id, year, week)}
    timings = timing.interleaved(contestants, repeat=args.repeat, warmup=args.warmup)
    tracemalloc.start()
    summary = service()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    a = summary.actions
    assert a is not None
    s50, b50 = (ib.percentile(timings[k], 50) for k in ("service", "baseline"))
    s_max, b_max = max(timings["service"]), max(timings["baseline"])
    print(
        f"\n{label}: summary of {year}-W{week:02d}: {summary.total} incidents at "
        f"{len(summary.places)} places, {len(summary.categories)} categories; actions "
        f"done {a.done}, open {a.open}, overdue {a.overdue}"
    )
    print(f"| {label} | service p50 | max | baseline p50 | max | ratio p50 | n |")
    print(
        f"| compute | {s50 * 1000:.0f} ms | {s_max * 1000:.0f} ms | {b50 * 1000:.0f} ms "
        f"| {b_max * 1000:.0f} ms | {s50 / b50:.2f} | {len(timings['service'])} |"
    )
    print(f"{label}: Python allocations during one computation, peak {peak / 2**20:.1f} MiB")
    from bot.summary.chart import render_chart

    # warm: fonts and the backend load once per process
    render_chart(summary, "sv", group_name="EST Bench", produced=NOW.date())
    chart = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        png = render_chart(summary, "sv", group_name="EST Bench", produced=NOW.date())
        chart.append(time.perf_counter() - t0)
    print(
        f"{label}: chart p50 {ib.percentile(chart, 50) * 1000:.0f} ms, max "
        f"{max(chart) * 1000:.0f} ms ({len(png) / 1024:.0f} KiB PNG, {len(chart)} renders)"
    )
    memory = process_memory(engine.url.render_as_string(hide_password=False), group_id)
    print(
        f"{label}: a fresh process (as the clock): maxrss {memory['imported']:.0f} MiB after the "
        f"imports, {memory['computed']:.0f} MiB after computing, {memory['charted']:.0f} MiB "
        f"after the chart (goal < {GOAL_MB} MiB)"
    )
    verdict = s50 / b50 <= GOAL_RATIO and (label != "SQLite" or s50 < GOAL_SECONDS)
    goal = f"≤ {GOAL_RATIO}× baseline, < 1 s on SQLite"
    print(f"{label}: goal ({goal}): {'PASS' if verdict else 'FAIL'}")
    return {"ratio": s50 / b50, "service": s50, "peak": peak}


def run_sqlite(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="est-summary-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        connect = partial(sqlite3.connect, path)
        with timing.opened(open_target, "SQLite", f"sqlite:///{path}", connect, args) as target:
            run("SQLite", *target, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=47)
    parser.add_argument("--postgres", metavar="URL", help="also run on a throwaway database here")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    ib.TOTAL_PLACES = args.places  # build_register fills the register up to this many places
    print(f"load average at start: {timing.load_average()}")
    print(
        f"summary bench: {args.incidents} incidents, {args.places} places, {args.actions} "
        f"actions, {args.activities} activities, now {NOW:%Y-%m-%d %H:%M} UTC, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    if not args.skip_sqlite:
        run_sqlite(args)
    if args.postgres:
        with (
            timing.throwaway_postgres(args.postgres) as url,
            timing.opened(
                open_target, "PostgreSQL", url, timing.postgres_connect(url), args
            ) as target,
        ):
            run("PostgreSQL", *target, args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (maxrss, loader included): {peak:.0f} MiB")
    print(f"load average at end: {timing.load_average()}")


if __name__ == "__main__":
    main()
