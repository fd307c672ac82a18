"""Period analysis and pattern chart benchmark: a big group's `/est analys period` and
`/est mönster`.

    .venv/bin/python bench/analysis_bench.py [--incidents 500000] [--places 200]
        [--actions 5000] [--activities 2000] [--levels 40] [--repeat 20]
        [--postgres postgresql://postgres@127.0.0.1:5432/test_wN] [--quick]

Builds a fresh SQLite file database in a temp dir exactly as bench/summary_bench.py does (the
demo group, places bulk-inserted up to ``--places``, five years of incidents, actions and
activities, same generators, same seed), and adds what the period analysis reads besides: each
open action at one or two places, and the joint levels the meetings agreed for the ``--levels``
busiest places every week of the five years. With ``--postgres URL`` the same data also goes
into a throwaway database ``est_bench_<random>`` there, dropped at the end. ``--quick`` is a
small run (20 000 incidents, 50 places) that shows the benchmark runs end to end; its figures
answer no goal.

Measured, interleaved, after a warm-up: ``PeriodService.analyse`` (2026-Q3, the quarter before
the benchmark's "now", 2026-11-20) against a hand-written SQL baseline on the raw DB-API
connection doing the same work (three counts per place, the levels, the open actions, the
activities held, the places; the need and the ranking in Python) — the two rankings compared
place by place. Then the pattern chart of the busiest place over the last year
(``PatternService.find`` and ``render_patterns``). Goals: the period analysis p95 < 2 s on
SQLite and ≤ 1.5× the baseline; the chart p95 < 1 s. Exits 0 on FAIL too (it is a report).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock_time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

from bench import incidents_bench as ib  # noqa: E402
from bench import summary_bench as sb  # noqa: E402
from bench import timing  # noqa: E402
from bot.analysis.chart import render_patterns  # noqa: E402
from bot.analysis.periods import EstPeriod, PlaceNeed, ranked  # noqa: E402
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM  # noqa: E402
from bot.notifier import RecordingNotifier  # noqa: E402
from bot.services import Services  # noqa: E402

NOW = ib.NOW
TZ = ib.TZ
PERIOD = EstPeriod("kvartal", 2026, 3)
GOAL_RATIO, GOAL_SECONDS, GOAL_CHART = 1.5, 2.0, 1.0
LEVELS = ("lugnt", "lugnt", "lugnt", "oroligt", "allvarligt")


def add_places_and_levels(raw: Any, dialect: str, group_id: int, busiest: int, seed: int) -> int:
    """Each open action at one or two places; the joint level of the ``busiest`` places every
    ISO week of the five years. Returns the levels added."""
    rng = random.Random(seed)
    mark = "?" if dialect == "sqlite" else "%s"
    cur = raw.cursor()
    cur.execute(f"SELECT id FROM place WHERE group_id = {mark} ORDER BY id", (group_id,))
    places = [int(r[0]) for r in cur.fetchall()]
    cur.execute(
        f"SELECT id FROM est_action WHERE group_id = {mark} AND status IN ('öppen', 'pågår')",
        (group_id,),
    )
    pairs = {(int(a), p) for (a,) in cur.fetchall() for p in rng.sample(places, rng.randint(1, 2))}
    cur.executemany(
        f"INSERT INTO action_place (action_id, place_id) VALUES ({mark}, {mark})", sorted(pairs)
    )
    cur.execute(
        f"SELECT place_id FROM incident WHERE group_id = {mark} GROUP BY place_id "
        f"ORDER BY count(*) DESC LIMIT {int(busiest)}",
        (group_id,),
    )
    hot = [int(r[0]) for r in cur.fetchall()]
    rows, monday = [], (ib.START - timedelta(days=ib.START.weekday())).astimezone(TZ).date()
    while monday <= NOW.astimezone(TZ).date():
        year, week, _ = monday.isocalendar()
        at = datetime.combine(monday, clock_time(10), tzinfo=TZ)
        for place in hot:
            stamp = ib.sqlite_datetime(at) if dialect == "sqlite" else at
            rows.append((group_id, year, week, place, rng.choice(LEVELS), "U0ANNA", stamp))
        monday += timedelta(weeks=1)
    cur.executemany(
        "INSERT INTO joint_level (group_id, iso_year, iso_week, place_id, level, set_by, set_at) "
        f"VALUES ({', '.join([mark] * 7)})",
        rows,
    )
    if dialect == "sqlite":
        raw.commit()
    return len(rows)


class Baseline:
    """The same analysis as plain SQL on the raw connection, the need and rank in Python."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw, self.dialect = raw, dialect
        self.mark = "?" if dialect == "sqlite" else "%s"

    def _bound(self, at: datetime) -> Any:
        return ib.sqlite_datetime(at) if self.dialect == "sqlite" else at

    def _span(self, period: EstPeriod) -> tuple[Any, Any]:
        start = datetime.combine(period.first, clock_time(), tzinfo=TZ)
        end = datetime.combine(period.last + timedelta(days=1), clock_time(), tzinfo=TZ)
        return self._bound(start), self._bound(end)

    def run(self, group_id: int) -> list[PlaceNeed]:
        m, cur = self.mark, self.raw.cursor()
        counts = []
        for period in (PERIOD, PERIOD.before(), PERIOD.year_before()):
            cur.execute(
                f"SELECT place_id, count(*) FROM incident WHERE group_id = {m} "
                f"AND occurred_at >= {m} AND occurred_at < {m} AND deleted_at IS NULL "
                "GROUP BY place_id",
                (group_id, *self._span(period)),
            )
            counts.append(dict(cur.fetchall()))
        weeks = {
            (d.isocalendar()[0], d.isocalendar()[1])
            for d in (PERIOD.first + timedelta(days=i) for i in range(92))
            if d <= PERIOD.last and d.weekday() == 0
        }
        cur.execute(
            f"SELECT iso_year, iso_week, place_id, level FROM joint_level WHERE group_id = {m} "
            f"AND iso_year = {m}",
            (group_id, PERIOD.year),
        )
        levels = [(p, lv) for y, w, p, lv in cur.fetchall() if (y, w) in weeks]
        serious = Counter(p for p, lv in levels if lv == "allvarligt")
        worrying = Counter(p for p, lv in levels if lv == "oroligt")
        cur.execute(
            "SELECT ap.place_id, a.due_date FROM est_action a JOIN action_place ap "
            f"ON ap.action_id = a.id WHERE a.group_id = {m} AND a.status IN ('öppen', 'pågår')",
            (group_id,),
        )
        today = NOW.astimezone(TZ).date().isoformat()
        actions = [(p, str(due)[:10]) for p, due in cur.fetchall()]
        opened = Counter(p for p, _d in actions)
        overdue = Counter(p for p, d in actions if d < today)
        cur.execute(
            "SELECT ap.place_id, count(*) FROM activity a JOIN activity_place ap "
            f"ON ap.activity_id = a.id WHERE a.group_id = {m} AND a.start_at >= {m} "
            f"AND a.start_at < {m} AND a.status <> 'inställd' GROUP BY ap.place_id",
            (group_id, *self._span(PERIOD)),
        )
        held = dict(cur.fetchall())
        cur.execute(f"SELECT id, name, district FROM place WHERE group_id = {m}", (group_id,))
        return ranked(
            [
                PlaceNeed(
                    p,
                    name,
                    district,
                    counts[0].get(p, 0),
                    counts[1].get(p, 0),
                    counts[2].get(p, 0),
                    serious[p],
                    worrying[p],
                    opened[p],
                    overdue[p],
                    held.get(p, 0),
                )
                for p, name, district in cur.fetchall()
            ]
        )


def run(label: str, db: Any, group_id: int, raw: Any, dialect: str, args: Any) -> dict[str, float]:
    services = Services.build(db, RecordingNotifier())
    actor = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, ib.ADMIN)
    baseline = Baseline(raw, dialect)

    def service() -> Any:
        return services.periods.analyse(actor, PERIOD.label, now=NOW)

    found, expected = service(), baseline.run(group_id)
    assert list(found.places) == expected, "the service and the baseline rank differently"
    contestants = {"service": service, "baseline": lambda: baseline.run(group_id)}
    times = timing.interleaved(contestants, repeat=args.repeat, warmup=args.warmup)
    s95, b95 = (ib.percentile(times[k], 95) for k in ("service", "baseline"))
    s50, b50 = (ib.percentile(times[k], 50) for k in ("service", "baseline"))
    top = found.places[0]
    print(
        f"\n{label}: {PERIOD.label}: {len(found.places)} places ranked; first {top.place!r} "
        f"(need {top.need}: {top.incidents} incidents, {top.previous} before, "
        f"{top.serious_weeks} serious weeks, {top.overdue_actions} overdue actions)"
    )
    print(f"| {label} | service p50 | p95 | baseline p50 | p95 | ratio p95 | n |")
    print(
        f"| period analysis | {s50 * 1000:.0f} ms | {s95 * 1000:.0f} ms | {b50 * 1000:.0f} ms "
        f"| {b95 * 1000:.0f} ms | {s95 / b95:.2f} | {args.repeat} |"
    )
    chart, queried = [], []

    def pattern() -> bytes:
        t0 = time.perf_counter()
        report = services.patterns.find(actor, ib.BUSY_PLACE, now=NOW)
        queried.append(time.perf_counter() - t0)
        return render_patterns(report, "EST Bench", "sv")

    pattern()  # fonts and the backend load once per process
    queried.clear()
    for _ in range(args.repeat):
        chart.append(timing.timed(pattern))
    c95, q50, q95 = (ib.percentile(t, p) for t, p in ((chart, 95), (queried, 50), (queried, 95)))
    print(
        f"{label}: pattern chart of {ib.BUSY_PLACE} (last year): p50 "
        f"{ib.percentile(chart, 50) * 1000:.0f} ms, p95 {c95 * 1000:.0f} ms; of it the query "
        f"p50 {q50 * 1000:.0f} ms, p95 {q95 * 1000:.0f} ms"
    )
    verdict = s95 / b95 <= GOAL_RATIO and c95 < GOAL_CHART
    verdict = verdict and (label != "SQLite" or s95 < GOAL_SECONDS)
    print(f"{label}: goal (≤ 1.5× baseline, < 2 s on SQLite; chart < 1 s): "
          f"{'PASS' if verdict else 'FAIL'}")  # fmt: skip
    return {"ratio": s95 / b95, "service": s95, "chart": c95}


def prepared(label: str, url: str, connect: Callable[[], Any], args: Any) -> tuple[Any, ...]:
    engine, db, group_id, raw = sb.open_target(label, url, connect, args)
    began = time.perf_counter()
    levels = add_places_and_levels(raw, engine.dialect.name, group_id, args.levels, args.seed)
    if engine.dialect.name == "postgresql":
        raw.execute("VACUUM ANALYZE")
    else:
        raw.execute("ANALYZE")
    took = time.perf_counter() - began
    print(f"{label}: {levels} joint levels and the actions' places in {took:.1f} s")
    return engine, db, group_id, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=500_000)
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--actions", type=int, default=5_000)
    parser.add_argument("--activities", type=int, default=2_000)
    parser.add_argument("--levels", type=int, default=40, help="places with a level every week")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=47)
    parser.add_argument("--postgres", metavar="URL", help="also run on a throwaway database here")
    parser.add_argument("--quick", action="store_true", help="a small run: 20 000 incidents")
    args = parser.parse_args()
    if args.quick:
        args.incidents, args.places, args.actions, args.activities = 20_000, 50, 200, 100
        args.levels, args.repeat, args.warmup = 10, 5, 1
    ib.TOTAL_PLACES = args.places
    print(f"load average at start: {timing.load_average()}")
    print(
        f"analysis bench: {args.incidents} incidents, {args.places} places, {args.actions} "
        f"actions, {args.activities} activities, now {NOW:%Y-%m-%d %H:%M} UTC, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    with tempfile.TemporaryDirectory(prefix="est-analysis-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        connect = partial(sqlite3.connect, path)
        with timing.opened(prepared, "SQLite", f"sqlite:///{path}", connect, args) as target:
            _engine, db, group_id, raw = target
            run("SQLite", db, group_id, raw, "sqlite", args)
    if args.postgres:
        with (
            timing.throwaway_postgres(args.postgres) as url,
            timing.opened(
                prepared, "PostgreSQL", url, timing.postgres_connect(url), args
            ) as target,
        ):
            _engine, db, group_id, raw = target
            run("PostgreSQL", db, group_id, raw, "postgresql", args)
    print(f"\nload average at end: {timing.load_average()}")


if __name__ == "__main__":
    main()
