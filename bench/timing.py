"""What the benchmarks measure alike: contestants timed in turns after a warm-up, a throwaway
PostgreSQL database for a run, the database a run measures opened and closed again, and the
load average said beside the figures."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy.engine import make_url


def load_average() -> str:
    """'1.52 1.20 0.98': the 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(fn: Callable[[], Any]) -> float:
    """The wall time of one call, in seconds."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def interleaved(
    contestants: dict[str, Callable[[], Any]], *, repeat: int, warmup: int
) -> dict[str, list[float]]:
    """Each contestant's wall times in seconds, ``repeat`` of each: after ``warmup`` untimed
    rounds, the contestants take turns, in their order in even rounds and the other way round
    in odd ones, so that neither gains from going first (a warm cache, a quieter machine)."""
    for _ in range(warmup):
        for fn in contestants.values():
            fn()
    order = list(contestants.items())
    times: dict[str, list[float]] = {name: [] for name in contestants}
    for i in range(repeat):
        for name, fn in order if i % 2 == 0 else order[::-1]:
            times[name].append(timed(fn))
    return times


@contextmanager
def throwaway_postgres(server_url: str) -> Iterator[str]:
    """A new database ``est_bench_<random>`` on the server at ``server_url``, its URL given to
    the run, and dropped after it even when the run fails."""
    name = f"est_bench_{secrets.token_hex(4)}"
    admin_url = make_url(server_url).set(drivername="postgresql")
    with psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            print(f"\nPostgreSQL: throwaway database {name}")
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"PostgreSQL: dropped {name}")


Target = tuple[Any, Any, int, Any]  # the engine, the Database, the group's id, a DB-API connection


@contextmanager
def opened(
    opener: Callable[[str, str, Callable[[], Any], Any], Target],
    label: str,
    url: str,
    connect: Callable[[], Any],
    args: Any,
) -> Iterator[Target]:
    """The database at ``url`` filled by ``opener`` (``connect`` opens its raw connection), and
    closed after the run: the raw connection, then the engine's pool."""
    engine, db, group_id, raw = opener(label, url, connect, args)
    try:
        yield engine, db, group_id, raw
    finally:
        raw.close()
        engine.dispose()


def postgres_connect(url: str) -> Callable[[], Any]:
    """A raw psycopg connection (autocommit) to the database at the SQLAlchemy ``url``."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return lambda: psycopg.connect(conninfo, autocommit=True)
