"""What the delivery benchmarks share: a fresh database per run, the seeded reminders, the
environment of a clock process against the fake Slack, and stopping what they started."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from handlers.local.localslack import LocalSlack
from storage.db import Database, make_engine
from tests.e2e.test_clock import open_rows, seed


@contextmanager
def database(backend: str, pg_url: str | None, tmp: Path) -> Iterator[str]:
    """A fresh, empty database for one run; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / f'reminders-{secrets.token_hex(4)}.db'}"
        return
    assert pg_url
    name = f"est_bench_{secrets.token_hex(4)}"
    admin = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def seeded(url: str, label: str, *, owners: int, per_owner: int) -> Database:
    """The demo group with ``owners`` members and ``per_owner`` reminders each, due now
    (``tests.e2e.test_clock.seed``); every one of them queued, or the run stops here."""
    expected = owners * per_owner
    print(f"  {label}: seeding {expected} reminders …", flush=True)
    db = seed(url, owners=owners, per_owner=per_owner)
    assert open_rows(db) == expected, "the seed did not queue every reminder"
    return db


def clock_environment(url: str, slack: LocalSlack, tick: float) -> dict[str, str]:
    """A clock process's environment: this database, the fake Slack, the sweep's tick."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return env | {
        "EST_NO_BOOTSTRAP": "1",
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_API_URL": slack.api_url,
        "EST_CLOCK_TICK": str(tick),
        "PYTHONUNBUFFERED": "1",
    }


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
