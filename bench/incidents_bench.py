"""Incidents benchmark: listing and per-place history on a big group.

    .venv/bin/python bench/incidents_bench.py [--incidents 500000] [--repeat 50]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--explain] [--experiments]

Builds a fresh SQLite file database in a temp dir (Alembic migrations, the demo group of
`bot.demo.workspace` with its 21 default categories, places bulk-inserted up to 200) and
bulk-loads the
incidents: five years up to a fixed now (2026-11-20 12:00 UTC), in time order, skewed like
reality (a few hot places, evenings and weekends, more each year), a few % deleted, some edited.
With ``--postgres URL`` the same data also goes into a throwaway database ``est_bench_<random>``
on that server (COPY, then VACUUM ANALYZE as autovacuum would), dropped at the end.

Every case calls ``services.incidents.list`` and, interleaved with it, a hand-written SQL baseline
on the raw DB-API connection to the same database doing the same work (counts per category and per
place, the newest 16 rows with place, category and organisation names; for one place it filters on
the place's id alone). Both answers are compared. Prints p50/p95/max in ms, SQL statements per
service call, the service/baseline ratios, and PASS/FAIL for the goal: p95 < 100 ms on SQLite for
every case (PostgreSQL: for information).

``--explain`` prints the plans of the statements the service ran. ``--experiments`` then measures,
each labelled EXPERIMENT, changes that could fix a failing case: extra indexes created (and dropped
again) in the benchmark's own database, and code changes patched into this process only (see
``EXPERIMENTS``). The default figures always measure the product as it is. Exits 0 on FAIL too (it
is a report); non-zero only when something crashed or the service and baseline disagree.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import resource
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, cast
from unittest.mock import patch
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import Engine, event, func, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from app import settle  # noqa: E402
from bot.actors import Actor  # noqa: E402
from bot.demo.workspace import DEMO_CHANNEL, DEMO_MEMBERS, DEMO_TEAM, load_demo  # noqa: E402
from bot.incidents.service import PAGE_SIZE  # noqa: E402
from bot.notifier import RecordingNotifier  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.timeparse import Period, parse_period, this_week  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.groups import OrganisationRepository  # noqa: E402
from storage.incidents import IncidentRepository  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Category, Incident, Organisation, Place  # noqa: E402

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=5 * 365 + 1)  # five years back (2021-11-20 12:00 UTC)
TZ = ZoneInfo("Europe/Stockholm")
TOTAL_PLACES = 200
BUSY_PLACE = "Fittja centrum"  # a demo place; the hottest in the generated data
GOAL_P95_MS = 100.0
ADMIN = DEMO_MEMBERS[0][0]
LOAD_BATCH = 20_000

# local hour 0..23: quiet nights, busy evenings
HOUR_WEIGHTS = (
    3, 2, 1.5, 1, 0.7, 0.5, 0.6, 1, 1.5, 2, 2.5, 3,
    3.5, 3.5, 4, 5, 6, 7, 8, 9, 9.5, 9, 7, 5,
)  # fmt: skip
WEEKDAY_WEIGHTS = (0.9, 0.9, 0.95, 1.0, 1.25, 1.35, 1.0)  # Monday .. Sunday
CATEGORY_WEIGHTS = {
    "ordningsstorning": 14, "nedskrapning": 10, "skadegorelse": 10, "klotter": 9,
    "otrygghet": 9, "narkotikaforsaljning": 7, "narkotikahantering": 6, "konflikt": 6,
    "buskorning": 5, "stold": 5, "brand": 4, "hot": 4, "fyrverkerier": 3, "lustgas": 3,
    "vald": 3, "ovrigt": 3, "inbrott": 2, "ran": 1.5, "rekrytering": 1, "skottlossning": 0.4,
    "sprangning": 0.3,
}  # fmt: skip
HOT_DEMO_PLACES = (
    BUSY_PLACE, "Fittja tunnelbanestation", "Albys hjärta", "Hallunda centrum", "Tumba station",
    "Norsborg centrum", "Fittja torg", "Storvreten",
)  # fmt: skip
STREETS = (
    "Fittjavägen", "Krögarvägen", "Albyvägen", "Bäckgårdsvägen", "Hallundavägen",
    "Skarpbrunnavägen", "Norsborgsvägen", "Tumbavägen", "Hågelbyleden", "Tullingevägen",
    "Grödingevägen", "Eriksbergsvägen", "Banslättsvägen", "Sandstuvägen", "Björkhagavägen",
    "Slagsta strand",
)  # fmt: skip
PLACE_KINDS = (
    ("Lekplatsen", "lekplats"), ("Busshållplatsen", "hållplats"), ("Gångtunneln", "gångväg"),
    ("Parkeringen", "parkering"), ("Skolgården", "skola"), ("Bostadsgården", "bostadsområde"),
    ("Torget", "torg"), ("Parken", "park"),
)  # fmt: skip
DISTRICTS = ("Fittja", "Alby", "Hallunda/Norsborg", "Tumba", "Tullinge", "Vårsta/Grödinge")
SUBJECTS = (
    "Grupp ungdomar", "Ett tiotal personer", "Två män", "Okänd person", "Flera unga",
    "Boende rapporterar att någon", "Väktare såg att några", "Personal uppger att en grupp",
)  # fmt: skip
ACTIONS = (
    "samlades och var högljudda", "sålde narkotika öppet", "kastade sten mot en buss",
    "eldade i en papperskorg", "klottrade på väggen", "sköt fyrverkerier mot fönster",
    "körde moped på gångbanan", "hotade personal", "krossade en ruta", "lämnade lustgaspatroner",
    "uppträdde hotfullt mot förbipasserande", "bråkade",
)  # fmt: skip
WHERE = (
    "vid entrén", "vid tunnelbanan", "på torget", "vid busshållplatsen", "i gångtunneln",
    "på lekplatsen", "bakom skolan", "vid parkeringen", "i trapphuset", "vid ICA",
)  # fmt: skip
TAILS = (
    "", "", "Polis tillkallad.", "Väktare på plats.", "Anmälan gjord.", "Ingen skadad.",
    "Återkommande problem, tredje kvällen i rad.", "Boende oroliga.", "Fältare pratade med dem.",
)  # fmt: skip
DELETE_REASONS = ("Dubblett", "Fel plats, loggad igen", "Felregistrering", "Test")
COLUMNS = (
    "group_id", "place_id", "category_id", "occurred_at", "description", "persistence",
    "reporter_user_id", "organisation_id", "source_channel", "source_ts", "source_link",
    "idempotency_key", "version", "deleted_at", "delete_reason", "created_at", "updated_at",
)  # fmt: skip
DATETIME_COLUMNS = tuple(i for i, c in enumerate(COLUMNS) if c.endswith("_at"))


# ------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Register:
    """What the incidents refer to, read back from the database being filled."""

    group_id: int
    places: tuple[int, ...]  # place ids, hottest first
    place_weights: tuple[float, ...]
    categories: tuple[int, ...]
    category_weights: tuple[float, ...]
    reporters: tuple[tuple[str, int], ...]  # (slack user id, organisation id)
    quiet_place: str


def descriptions(rng: random.Random, n: int = 3000) -> list[str]:
    """Realistic Swedish descriptions of 20–120 characters."""
    pool = []
    for _ in range(n):
        text = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(WHERE)}. "
        text = (text + rng.choice(TAILS)).strip()
        pool.append(text if len(text) <= 120 else text[:120].rsplit(" ", 1)[0])
    return pool


def day_counts(total: int) -> list[tuple[date, int]]:
    """Incidents per local day: more at weekends, 40 % more in the last year than the first."""
    first, last = START.astimezone(TZ).date(), NOW.astimezone(TZ).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    weights = [WEEKDAY_WEIGHTS[d.weekday()] * (1 + 0.4 * i / len(days)) for i, d in enumerate(days)]
    weights[-1] *= 0.5  # today has only begun
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [math.floor(x) for x in exact]
    by_fraction = sorted(range(len(days)), key=lambda i: counts[i] - exact[i])
    for i in by_fraction[: total - sum(counts)]:
        counts[i] += 1
    return list(zip(days, counts, strict=True))


def incident_rows(reg: Register, total: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """The incidents in time order (so ids grow with time, as in production); deterministic."""
    rng = random.Random(seed)
    pool = descriptions(rng)
    hours = range(24)
    serial = 0
    for day, count in day_counts(total):
        times: list[datetime] = []
        while len(times) < count:
            hour = rng.choices(hours, HOUR_WEIGHTS)[0]
            local = datetime.combine(day, datetime.min.time(), tzinfo=TZ)
            at = (local + timedelta(hours=hour, minutes=rng.randrange(60))).astimezone(UTC)
            if START <= at <= NOW:
                times.append(at)
        times.sort()
        places = rng.choices(reg.places, cum_weights=reg.place_weights, k=count)
        categories = rng.choices(reg.categories, cum_weights=reg.category_weights, k=count)
        for at, place_id, category_id in zip(times, places, categories, strict=True):
            serial += 1
            yield _row(rng, reg, pool, serial, at, place_id, category_id)


def _row(
    rng: random.Random,
    reg: Register,
    pool: Sequence[str],
    serial: int,
    at: datetime,
    place_id: int,
    category_id: int,
) -> tuple[Any, ...]:
    user, organisation = rng.choice(reg.reporters)
    lag = timedelta(minutes=rng.randrange(120) if rng.random() < 0.7 else rng.randrange(4320))
    created = min(at + lag, NOW)
    updated, version = created, 1
    if rng.random() < 0.08:  # corrected once
        updated, version = min(created + timedelta(hours=rng.randrange(1, 48)), NOW), 2
    deleted, reason = None, None
    if rng.random() < 0.03:
        deleted = min(created + timedelta(hours=rng.randrange(1, 240)), NOW)
        updated, version, reason = deleted, version + 1, rng.choice(DELETE_REASONS)
    channel = ts = link = None
    if rng.random() < 0.1:  # logged from a message with the shortcut
        channel, ts = DEMO_CHANNEL, f"{int(at.timestamp())}.{serial % 1_000_000:06d}"
        link = f"https://est-botkyrka.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    key = f"bench-{serial}" if rng.random() < 0.4 else None  # submitted through the modal
    persistence = rng.choice((None, None, "ny", "återkommande", "befäst"))
    return (
        reg.group_id, place_id, category_id, at, rng.choice(pool), persistence, user,
        organisation, channel, ts, link, key, version, deleted, reason, created, updated,
    )  # fmt: skip


def place_weights(ids: Sequence[int]) -> tuple[float, ...]:
    """Cumulative weights by rank: the hottest place ~5 %, the 20 quietest a tenth of the tail."""
    weights = [1 / (rank + 5) for rank in range(len(ids))]
    for rank in range(max(0, len(ids) - 20), len(ids)):
        weights[rank] *= 0.1
    return tuple(accumulate(weights))


def build_register(engine: Engine, group_id: int, rng: random.Random) -> Register:
    """Add places up to TOTAL_PLACES (bulk insert); rank them; read categories and reporters."""
    with engine.begin() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM place"))}
        rows: list[dict[str, Any]] = []
        while len(names) + len(rows) < TOTAL_PLACES:
            label, kind = rng.choice(PLACE_KINDS)
            name = f"{label} {rng.choice(STREETS)} {rng.randrange(1, 60)}"
            if name in names or any(r["name"] == name for r in rows):
                continue
            rows.append(
                {
                    "group_id": group_id,
                    "district": rng.choice(DISTRICTS),
                    "name": name,
                    "kind": kind,
                    "aliases": [],
                    "active": True,
                    "created_at": START,
                    "updated_at": START,
                }
            )
        conn.execute(insert(Place.__table__), rows)  # type: ignore[attr-defined]
        by_name = dict(
            conn.execute(text("SELECT name, id FROM place WHERE group_id = :g"), {"g": group_id})
            .tuples()
            .all()
        )
        keys = dict(
            conn.execute(text("SELECT key, id FROM category WHERE group_id = :g"), {"g": group_id})
            .tuples()
            .all()
        )
        reporters = conn.execute(
            text(
                "SELECT slack_user_id, organisation_id FROM member "
                "WHERE group_id = :g AND role <> 'läsare' ORDER BY id"
            ),
            {"g": group_id},
        ).all()
    rest = sorted(n for n in by_name if n not in HOT_DEMO_PLACES)
    rng.shuffle(rest)
    ranked = [by_name[n] for n in (*HOT_DEMO_PLACES, *rest)]
    assert len(ranked) == TOTAL_PLACES and len(keys) == len(CATEGORY_WEIGHTS) == 21
    categories = tuple(keys[k] for k in CATEGORY_WEIGHTS)
    return Register(
        group_id=group_id,
        places=tuple(ranked),
        place_weights=place_weights(ranked),
        categories=categories,
        category_weights=tuple(accumulate(CATEGORY_WEIGHTS.values())),
        reporters=tuple((u, o) for u, o in reporters),
        quiet_place=rest[-1],
    )


def sqlite_datetime(value: datetime) -> str:
    """How SQLAlchemy stores a UTCDateTime on SQLite: naive UTC text with microseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def load_sqlite(path: Path, rows: Iterator[tuple[Any, ...]]) -> int:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")  # the loader only; the product's engine sets its own
        conn.execute("PRAGMA cache_size=-200000")
        conn.execute("BEGIN")
        sql = (
            f"INSERT INTO incident ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        )
        n, batch = 0, []
        for row in rows:
            values = list(row)
            for i in DATETIME_COLUMNS:
                if values[i] is not None:
                    values[i] = sqlite_datetime(values[i])
            batch.append(values)
            if len(batch) >= LOAD_BATCH:
                conn.executemany(sql, batch)
                n, batch = n + len(batch), []
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return n + len(batch)
    finally:
        conn.close()


def load_postgres(conninfo: str, rows: Iterator[tuple[Any, ...]]) -> int:
    n = 0
    with psycopg.connect(conninfo) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY incident ({', '.join(COLUMNS)}) FROM STDIN") as cp,
        ):
            for row in rows:
                cp.write_row(row)
                n += 1
        conn.commit()
    return n


# --------------------------------------------------------------------------------- measuring


class GcMeter:
    """Counts Python's full (generation 2) garbage collections and the time they take."""

    def __init__(self) -> None:
        self.full = 0
        self.pauses: list[float] = []  # ms
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.full += 1
            self.pauses.append((time.perf_counter() - self._began) * 1000)


GC = GcMeter()


class SqlMeter:
    """Counts the statements the engine runs (and keeps them, when asked)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.capture = False
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, _conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        self.count += 1
        if self.capture:
            self.statements.append((statement, params))


@dataclass(frozen=True)
class Case:
    name: str
    period: Period
    place: str = ""
    offset: int = 0


@dataclass
class Result:
    case: Case
    total: int
    service: list[float] = field(default_factory=list)  # ms
    baseline: list[float] = field(default_factory=list)
    queries: int = 0
    gc_calls: int = 0  # service calls during which a full garbage collection ran


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def cases(quiet_place: str) -> list[Case]:
    period = lambda text: parse_period(text, now=NOW, tz=TZ)  # noqa: E731
    five_years = f"{START.astimezone(TZ).date()}–{NOW.astimezone(TZ).date()}"
    return [
        Case("week: this week (v47), group", this_week(now=NOW, tz=TZ)),
        Case("month: November 2026, group", period("november 2026")),
        Case("year: 2025, group", period("2025")),
        Case("page 3 (offset 30): October 2026, group", period("oktober 2026"), offset=30),
        Case("busy place: last 12 weeks", period("senaste 84 dagarna"), BUSY_PLACE),
        Case("busy place: last 365 days", period("senaste 365 dagarna"), BUSY_PLACE),
        Case("busy place: all 5 years", period(five_years), BUSY_PLACE),
        Case("quiet place: last 12 weeks", period("senaste 84 dagarna"), quiet_place),
        Case("quiet place: last 365 days", period("senaste 365 dagarna"), quiet_place),
    ]  # fmt: skip


class Baseline:
    """The same work in hand-written SQL on the raw DB-API connection."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self.conn, self.dialect = conn, dialect
        self.sql = {
            (what, at_place): self._sql(what, at_place)
            for what in ("category", "place", "newest")
            for at_place in (False, True)
        }

    def _sql(self, what: str, at_place: bool) -> str:
        # a place was resolved inside the group, so its id alone selects the group's rows
        where = (
            "{t}place_id = ?" if at_place else "{t}group_id = ?"
        ) + " AND {t}occurred_at >= ? AND {t}occurred_at < ? AND {t}deleted_at IS NULL"
        if what in ("category", "place"):
            table, name = ("category", "label_sv") if what == "category" else ("place", "name")
            sql = (
                f"SELECT t.k, x.{name}, t.n FROM (SELECT {what}_id AS k, count(*) AS n "
                f"FROM incident WHERE {where.format(t='')} GROUP BY {what}_id) t "
                f"JOIN {table} x ON x.id = t.k ORDER BY t.n DESC, t.k"
            )
        else:
            sql = (
                "SELECT i.id, i.occurred_at, i.description, i.persistence, i.version, "
                "i.reporter_user_id, i.source_link, i.created_at, i.updated_at, "
                "p.name, p.district, c.key, c.label_sv, c.label_en, o.name "
                "FROM incident i JOIN place p ON p.id = i.place_id "
                "JOIN category c ON c.id = i.category_id "
                "JOIN organisation o ON o.id = i.organisation_id "
                f"WHERE {where.format(t='i.')} "
                "ORDER BY i.occurred_at DESC, i.id DESC LIMIT ? OFFSET ?"
            )
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def run(
        self, group_id: int, period: Period, place_id: int | None, offset: int
    ) -> tuple[list[Any], list[Any], list[Any]]:
        start, end = period.start, period.end
        if self.dialect == "sqlite":
            start, end = sqlite_datetime(start), sqlite_datetime(end)  # type: ignore[assignment]
        at_place = place_id is not None
        args: tuple[Any, ...] = (place_id if at_place else group_id, start, end)
        cur = self.conn.cursor()
        by_category = cur.execute(self.sql["category", at_place], args).fetchall()
        by_place = cur.execute(self.sql["place", at_place], args).fetchall()
        page = (*args, PAGE_SIZE + 1, offset)
        newest = cur.execute(self.sql["newest", at_place], page).fetchall()
        cur.close()
        return by_category, by_place, newest


@dataclass
class Target:
    """One database under test: the product's services and the baseline's raw connection."""

    label: str
    dialect: str
    engine: Engine
    services: Services
    actor: Actor
    register: Register
    baseline: Baseline
    raw: Any
    raw_connect: Callable[[], Any]
    meter: SqlMeter
    place_ids: dict[str, int]


def check_same(target: Target, case: Case) -> int:
    """Run both once and compare every number and id; returns the total in the period."""
    got = target.services.incidents.list(
        target.actor, case.period, place=case.place, offset=case.offset
    )
    place_id = target.place_ids[case.place] if case.place else None
    by_category, by_place, newest = target.baseline.run(
        target.register.group_id, case.period, place_id, case.offset
    )
    assert [(c.id, n) for c, n in got.by_category] == [(k, n) for k, _l, n in by_category], case
    assert [(p, n) for p, n in got.by_place] == [(name, n) for _k, name, n in by_place], case
    assert [e.id for e in got.entries] == [r[0] for r in newest[:PAGE_SIZE]], case
    assert got.has_more == (len(newest) > PAGE_SIZE), case
    return got.total


def measure(target: Target, case: Case, repeat: int, warmup: int, budget_s: float) -> Result:
    """Service and baseline interleaved (alternating which goes first), after a warm-up."""
    place_id = target.place_ids[case.place] if case.place else None
    incidents, actor, group_id = target.services.incidents, target.actor, target.register.group_id

    def service() -> None:
        incidents.list(actor, case.period, place=case.place, offset=case.offset)

    def baseline() -> None:
        target.baseline.run(group_id, case.period, place_id, case.offset)

    result = Result(case, check_same(target, case))
    for _ in range(warmup):
        service()
        baseline()
    began = time.perf_counter()
    for i in range(repeat):
        pair: tuple[tuple[Callable[[], None], list[float]], ...] = (
            (service, result.service),
            (baseline, result.baseline),
        )
        for fn, sink in pair if i % 2 == 0 else pair[::-1]:
            count, full = target.meter.count, GC.full
            t0 = time.perf_counter()
            fn()
            sink.append((time.perf_counter() - t0) * 1000)
            if fn is service:
                result.queries = target.meter.count - count
                result.gc_calls += GC.full > full
        if time.perf_counter() - began > budget_s and i >= 9:
            break  # a very slow case: stop after at least 10 samples
    return result


def print_table(title: str, results: Sequence[Result], *, goal: bool) -> None:
    print(f"\n{title}\n")
    print(
        "| case | live rows | service p50 | p95 | max | baseline p50 | p95 | max "
        "| ratio p50 | ratio p95 | SQL/call | n | calls with full GC | goal p95 < 100 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        s = [percentile(r.service, p) for p in (50, 95, 100)]
        b = [percentile(r.baseline, p) for p in (50, 95, 100)]
        verdict = ("PASS" if s[1] < GOAL_P95_MS else "FAIL") if goal else "(info)"
        print(
            f"| {r.case.name} | {r.total} | {s[0]:.1f} | {s[1]:.1f} | {s[2]:.1f} "
            f"| {b[0]:.1f} | {b[1]:.1f} | {b[2]:.1f} | {s[0] / b[0]:.2f} | {s[1] / b[1]:.2f} "
            f"| {r.queries} | {len(r.service)} | {r.gc_calls} | {verdict} |"
        )
    if goal:
        failed = [r for r in results if percentile(r.service, 95) >= GOAL_P95_MS]
        print(f"\ngoal: {len(results) - len(failed)}/{len(results)} cases PASS", end="")
        print(f"; FAIL: {', '.join(r.case.name for r in failed)}" if failed else "")


def explain(target: Target, case: Case) -> None:
    """The plan of each statement the service ran for ``case``."""
    target.meter.statements, target.meter.capture = [], True
    target.services.incidents.list(target.actor, case.period, place=case.place, offset=case.offset)
    target.meter.capture = False
    print(f"\n-- plans ({target.label}): {case.name}")
    for statement, params in target.meter.statements:
        if "FROM incident" not in statement:
            continue
        print("   " + " ".join(statement.split())[:160] + " …")
        if target.dialect == "sqlite":
            rows = target.raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
            for row in rows:
                print(f"      {row[3]}")
        else:
            cur = target.raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            for (line,) in cur.fetchall():
                print(f"      {line}")


# ------------------------------------------------------------------------------- experiments


def org_once(self: OrganisationRepository, organisation_id: int) -> Organisation | None:
    """Code change: each organisation is read once per unit of work, not once per listed row."""
    cache = self.__dict__.setdefault("bench_cache", {})
    if organisation_id not in cache:
        cache[organisation_id] = self.session.get(Organisation, organisation_id)
    return cast("Organisation | None", cache[organisation_id])


def count_by_pairs(
    self: IncidentRepository,
    column: str,
    group_id: int,
    start: datetime,
    end: datetime,
    place_id: int | None,
) -> list[tuple[int, int]]:
    """Code change: both counts of a listing from one GROUP BY (place, category) query.

    The place and the category are equalities (``IN`` the group's places and categories), so
    with an index on (place_id, category_id, occurred_at, deleted_at) every (place, category)
    pair is one short range of a covering index, already in GROUP BY order: no table lookups
    and no sort. The group is implied by its places.
    """
    pairs = self.session.info.setdefault("bench_pairs", {})
    key = (group_id, start, end, place_id)
    if key not in pairs:
        place, category = col(Incident.place_id), col(Incident.category_id)
        places = select(col(Place.id)).where(col(Place.group_id) == group_id)
        categories = select(col(Category.id)).where(col(Category.group_id) == group_id)
        query = (
            select(place, category, func.count())
            .where(
                place == place_id if place_id is not None else place.in_(places),
                category.in_(categories),
                col(Incident.occurred_at) >= start,
                col(Incident.occurred_at) < end,
                col(Incident.deleted_at).is_(None),
            )
            .group_by(place, category)
        )
        pairs[key] = self.session.exec(query).all()
    totals: dict[int, int] = {}
    for pid, category_id, n in pairs[key]:
        k = category_id if column == "category" else pid
        totals[k] = totals.get(k, 0) + n
    return sorted(totals.items(), key=lambda kn: (-kn[1], kn[0]))


# SQLite (3.40) uses a partial index as covering only when deleted_at is one of its columns,
# so the indexes carry it as their last column instead of being partial.
COVERING = (
    "CREATE INDEX bench_ix_group_cover ON incident "
    "(group_id, occurred_at, category_id, place_id, deleted_at)",
    "CREATE INDEX bench_ix_place_cover ON incident "
    "(place_id, occurred_at, category_id, group_id, deleted_at)",
)
UNCOVER = ("DROP INDEX bench_ix_group_cover", "DROP INDEX bench_ix_place_cover")
PAIRS_INDEX = (
    "CREATE INDEX bench_ix_place_category ON incident "
    "(place_id, category_id, occurred_at, deleted_at)",
)
UNPAIR = ("DROP INDEX bench_ix_place_category",)
ORG_ONCE = ((OrganisationRepository, "get", org_once),)
PAIRS = ((IncidentRepository, "count_by", count_by_pairs),)


@dataclass(frozen=True)
class Experiment:
    name: str
    sql: tuple[str, ...] = ()  # applied before, in the benchmark's own database
    revert: tuple[str, ...] = ()
    patches: tuple[tuple[type, str, Any], ...] = ()  # code changes, in this process only
    sqlite_only: bool = False
    freeze_gc: bool = False  # gc.freeze() once set up, as app.py could do after start-up


EXPERIMENTS = (
    Experiment(
        "A: ANALYZE (planner statistics; the product never runs it on SQLite)",
        ("ANALYZE",),
        ("DROP TABLE IF EXISTS sqlite_stat1", "DROP TABLE IF EXISTS sqlite_stat4"),
        sqlite_only=True,
    ),
    Experiment("B: organisations read once per listing (no query per row)", patches=ORG_ONCE),
    Experiment(
        "C: covering indexes, no code change: (group_id, occurred_at, category_id, place_id, "
        "deleted_at) and (place_id, occurred_at, category_id, group_id, deleted_at)",
        COVERING,
        UNCOVER,
    ),
    Experiment("D: B + C", COVERING, UNCOVER, ORG_ONCE),
    Experiment(
        "E: B + both counts from one GROUP BY place_id, category_id query (IN the group's "
        "places and categories) + index (place_id, category_id, occurred_at, deleted_at)",
        PAIRS_INDEX,
        UNPAIR,
        (*ORG_ONCE, *PAIRS),
    ),
    Experiment(
        "F: E + gc.freeze() after start-up (full collections skip the start-up objects)",
        PAIRS_INDEX,
        UNPAIR,
        (*ORG_ONCE, *PAIRS),
        freeze_gc=True,
    ),
)


def run_experiments(target: Target, args: argparse.Namespace) -> None:
    goal = target.dialect == "sqlite"
    for exp in EXPERIMENTS:
        if exp.sqlite_only and target.dialect != "sqlite":
            continue
        began = time.perf_counter()
        execute_all(target, exp.sql)
        if target.dialect == "postgresql" and exp.sql:
            execute_all(target, ("ANALYZE incident",))
        built = time.perf_counter() - began
        reconnect(target)
        print(f"\nEXPERIMENT ({target.label}) {exp.name}: applied in {built:.1f} s")
        with ExitStack() as stack:
            for owner, name, value in exp.patches:
                stack.enter_context(patch.object(owner, name, value))
            if exp.freeze_gc:
                gc.collect()
                gc.freeze()
                stack.callback(gc.unfreeze)
            results = [
                measure(target, case, args.repeat, args.warmup, args.budget)
                for case in cases(target.register.quiet_place)
            ]
            if args.explain:
                for case in cases(target.register.quiet_place):
                    explain(target, case)
        print_table(
            f"EXPERIMENT ({target.label}) {exp.name[:1]}, not the product", results, goal=goal
        )
        execute_all(target, exp.revert)
        reconnect(target)


def reconnect(target: Target) -> None:
    """New connections for both sides, so that none keeps plans or statistics from before."""
    target.engine.dispose()
    target.raw.close()
    target.raw = target.raw_connect()
    target.baseline = Baseline(target.raw, target.dialect)


def execute_all(target: Target, statements: Sequence[str]) -> None:
    for statement in statements:  # the raw connections are in autocommit mode
        target.raw.execute(statement)


# -------------------------------------------------------------------------------------- main


def open_target(
    label: str, url: str, raw_connect: Callable[[], Any], args: argparse.Namespace
) -> Target:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    services = Services.build(db, RecordingNotifier())
    demo = load_demo(db, services.groups, now=START)
    actor = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, ADMIN)
    register = build_register(engine, demo.group.id, random.Random(args.seed))
    rows = incident_rows(register, args.incidents, args.seed)
    began = time.perf_counter()
    dialect = engine.dialect.name
    if dialect == "sqlite":
        database = make_url(url).database
        assert database is not None
        loaded = load_sqlite(Path(database), rows)
    else:
        loaded = load_postgres(raw_conninfo(url), rows)
    load_s = time.perf_counter() - began
    raw = raw_connect()
    if dialect == "postgresql":
        began_analyze = time.perf_counter()
        raw.execute("VACUUM ANALYZE")
        print(f"{label}: VACUUM ANALYZE in {time.perf_counter() - began_analyze:.1f} s")
    print(
        f"{label}: loaded {loaded} incidents in {load_s:.1f} s "
        f"({loaded / load_s:,.0f} rows/s, generation included)"
    )
    with engine.connect() as conn:
        place_ids = dict(conn.execute(text("SELECT name, id FROM place")).tuples().all())
    del rows  # the generated data is gone once loaded, as in the product
    settle()  # what `python app.py serve` and `clock` do once started (see app.settle)
    return Target(
        label=label,
        dialect=dialect,
        engine=engine,
        services=services,
        actor=actor,
        register=register,
        baseline=Baseline(raw, dialect),
        raw=raw,
        raw_connect=raw_connect,
        meter=SqlMeter(engine),
        place_ids=place_ids,
    )


def raw_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run(target: Target, args: argparse.Namespace) -> None:
    reg = target.register
    with target.engine.connect() as conn:
        live = conn.execute(
            text("SELECT count(*), count(deleted_at) FROM incident WHERE group_id = :g"),
            {"g": reg.group_id},
        ).one()
        places = conn.execute(text("SELECT count(*) FROM place")).scalar_one()
        categories = conn.execute(text("SELECT count(*) FROM category")).scalar_one()
    print(
        f"{target.label}: {places} places, {categories} categories, {live[0]} incidents "
        f"({live[1]} deleted); busy place {BUSY_PLACE!r}, quiet place {reg.quiet_place!r}"
    )
    began = time.perf_counter()
    gc.collect()
    print(
        f"{target.label}: a full garbage collection of this process takes "
        f"{(time.perf_counter() - began) * 1000:.0f} ms ({len(gc.get_objects())} tracked objects)"
    )
    results = [
        measure(target, case, args.repeat, args.warmup, args.budget)
        for case in cases(reg.quiet_place)
    ]
    goal = target.dialect == "sqlite"
    print_table(
        f"RESULTS ({target.label}): services.incidents.list vs hand-written SQL", results, goal=goal
    )
    if args.explain:
        for case in cases(reg.quiet_place):
            explain(target, case)
    if args.experiments:
        run_experiments(target, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per case, at most")
    parser.add_argument("--seed", type=int, default=47)
    parser.add_argument("--postgres", metavar="URL", help="also run on a throwaway database here")
    parser.add_argument("--explain", action="store_true", help="print the service's query plans")
    parser.add_argument("--experiments", action="store_true", help="measure candidate indexes")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"incidents bench: {args.incidents} incidents, {TOTAL_PLACES} places, "
        f"now {NOW:%Y-%m-%d %H:%M} UTC, "
        f"repeat {args.repeat} after {args.warmup} warm-up, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    with tempfile.TemporaryDirectory(prefix="est-incidents-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        target = open_target(
            "SQLite", f"sqlite:///{path}", lambda: sqlite3.connect(path, isolation_level=None), args
        )
        try:
            print(f"SQLite: file {path.stat().st_size / 2**20:.0f} MiB")
            run(target, args)
        finally:
            target.raw.close()
            target.engine.dispose()
    if args.postgres:
        run_postgres(args)
    if GC.pauses:
        pauses = GC.pauses
        print(
            f"\nfull garbage collections during the run: {len(pauses)}, "
            f"p50 {percentile(pauses, 50):.0f} ms, max {max(pauses):.0f} ms"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (maxrss): {peak:.0f} MiB")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def run_postgres(args: argparse.Namespace) -> None:
    name = f"est_bench_{secrets.token_hex(4)}"
    with psycopg.connect(raw_conninfo(args.postgres), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            print(f"\nPostgreSQL: throwaway database {name}")
            target = open_target(
                "PostgreSQL", url, lambda: psycopg.connect(raw_conninfo(url), autocommit=True), args
            )
            try:
                server = target.raw.execute("SHOW server_version").fetchone()[0]
                print(f"PostgreSQL: server {server}")
                run(target, args)
            finally:
                target.raw.close()
                target.engine.dispose()
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"PostgreSQL: dropped {name}")


if __name__ == "__main__":
    main()
