"""Demo benchmark: how long `python app.py demo` takes now that it loads thirteen weeks of history.

    .venv/bin/python bench/demo_bench.py [--repeat 3] [--postgres URL]

Each run is on a fresh database (a SQLite file in a temp dir, migrated; with ``--postgres URL``
also a throwaway database ``est_bench_<random>`` on that server, dropped at the end), the three
cases interleaved, run after run:

- baseline: the demo workspace alone (``load_demo``: the group, its organisations, members and
  places — what the demo loaded before it had a history, an empty group);
- demo: the whole demo (``load_full_demo``: the workspace, last December's activities, and the
  history — about 200 incidents, 35 reports, two meetings, actions, activities), the incidents
  logged in batches (``bot.incidents.batch.log_many``) between the other steps;
- one by one: the same, every incident through ``IncidentService.log`` (its own transactions),
  which is what the batch path replaced.

Prints the median of each, and the demo against the baseline. Goal: the whole demo under 5 s on
SQLite and on PostgreSQL (a few seconds, as the operator waits for it). Exits 0 on FAIL too.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.incidents_bench import raw_conninfo  # noqa: E402
from bot.demo import history  # noqa: E402
from bot.demo.loader import load_full_demo  # noqa: E402
from bot.demo.workspace import load_demo  # noqa: E402
from bot.incidents.batch import Logging  # noqa: E402
from bot.notifier import NullNotifier  # noqa: E402
from bot.services import Services  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)  # a Sunday evening; the history: from 6 Sep
GOAL_S = 5.0


def baseline(services: Services) -> int:
    load_demo(services.db, services.groups, now=NOW)
    return 0


def demo(services: Services) -> int:
    return load_full_demo(services, now=NOW).incidents


def one_by_one(services: Services) -> int:
    def log_each(db: Database, entries: Sequence[Logging]) -> list[int]:
        return [services.incidents.log(e.actor, e.draft, now=e.now).incident.id for e in entries]

    with mock.patch.object(history, "log_many", log_each):
        return load_full_demo(services, now=NOW).incidents


CASES: dict[str, Callable[[Services], int]] = {
    "baseline (workspace alone)": baseline,
    "demo (batched)": demo,
    "demo, one by one": one_by_one,
}


def timed(fresh: Callable[[], Database], case: Callable[[Services], int]) -> tuple[float, int]:
    db = fresh()
    try:
        services = Services.build(db, NullNotifier())
        began = time.perf_counter()
        made = case(services)
        return time.perf_counter() - began, made
    finally:
        db.engine.dispose()


def run(label: str, fresh: Callable[[], Database], repeat: int) -> None:
    times: dict[str, list[float]] = {name: [] for name in CASES}
    made: dict[str, int] = {}
    for _ in range(repeat):
        for name, case in CASES.items():
            seconds, made[name] = timed(fresh, case)
            times[name].append(seconds)
    medians = {name: statistics.median(t) for name, t in times.items()}
    base = medians["baseline (workspace alone)"]
    print(f"\n{label} (median of {repeat})")
    for name, median in medians.items():
        extra = f", {made[name]} incidents" if made[name] else ""
        print(f"  {name:28} {median:7.2f} s  ({median / base:5.1f}× the baseline{extra})")
    full = medians["demo (batched)"]
    verdict = "PASS" if full < GOAL_S else "FAIL"
    speedup = medians["demo, one by one"] / full
    print(f"  demo {full:.2f} s against the goal {GOAL_S:.0f} s: {verdict}; ", end="")
    print(f"one by one is {speedup:.1f}× the batched load")


def sqlite_fresh(folder: Path) -> Callable[[], Database]:
    counter = iter(range(10**6))

    def fresh() -> Database:
        engine = make_engine(f"sqlite:///{folder / f'demo-{next(counter)}.db'}")
        upgrade(engine)
        return Database(engine)

    return fresh


def postgres_fresh(url: str) -> Callable[[], Database]:
    def fresh() -> Database:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade(engine)
        return Database(engine)

    return fresh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server's URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", sqlite_fresh(Path(folder)), args.repeat)
    if args.postgres:
        name = f"est_bench_{secrets.token_hex(4)}"
        with psycopg.connect(raw_conninfo(args.postgres), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = make_url(args.postgres).set(database=name)
                run(
                    "PostgreSQL",
                    postgres_fresh(url.render_as_string(hide_password=False)),
                    args.repeat,
                )
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
