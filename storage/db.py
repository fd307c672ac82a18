"""Engine, sessions and the unit of work.

One engine per process. SQLite gets WAL, a busy timeout and foreign keys; its write transactions
start with ``BEGIN IMMEDIATE`` so that two writers never both read a stale value and then collide.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Executable, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from storage.errors import Conflict
from storage.repositories import UnitOfWork

_READ_ONLY = "est_read_only"


def reading(engine: Engine) -> Engine:
    """The engine for reads only: on SQLite its transactions begin without the write lock."""
    return engine.execution_options(**{_READ_ONLY: True})


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Build the process's engine for ``url`` (a SQLAlchemy URL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"), echo=echo)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # a pool as large as the outbox sender's threads and the web threads of one process
    engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)

    @event.listens_for(engine, "connect")
    def _no_jit(dbapi_connection: Any, _record: Any) -> None:
        # Every query reads one group's rows, in milliseconds; with many groups' rows in the
        # table the planner's cost passes jit_above_cost and compiling takes 100-180 ms, more
        # than the query (the largest group's period analysis at 25 M incidents: 1.46x the
        # group alone with JIT, bench/results/2026-12-07-scale-bench.md). A SET, not the
        # ``options`` startup parameter, which connection poolers refuse.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()

    return engine


def _sqlite_engine(url: str, *, in_memory: bool, echo: bool) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" below decide
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(_READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def sqlite_file_of(url: str) -> Path | None:
    """The database file of a SQLite URL, if it is one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


class Database:
    """Hands out units of work. A service method opens exactly one."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read_engine = reading(engine)
        self._autocommit_engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def parallel_ok(self) -> bool:
        """False for in-memory SQLite: every thread shares its single connection."""
        return not isinstance(self.engine.pool, StaticPool)

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back if it raises. A write
        that a constraint refuses, in the block or at the commit, raises ``Conflict``."""
        bind = self._read_engine if read_only else self.engine
        with Session(bind, expire_on_commit=False) as session:
            try:
                yield UnitOfWork(session)
                if not read_only:
                    session.commit()
                # a read-only transaction just ends when the session closes; its rows stay loaded
            except IntegrityError as error:
                session.rollback()
                raise Conflict(str(error.orig)) from error
            except BaseException:
                session.rollback()
                raise

    def read_one(self, query: Executable, params: dict[str, Any]) -> dict[str, Any] | None:
        """One row of one statement, on a plain connection: for the few reads every request
        makes, where a unit of work's session would cost more than the query."""
        with self._read_engine.connect() as conn:
            row = conn.execute(query, params).mappings().first()
            return dict(row) if row is not None else None

    def write(self, statement: Executable, params: dict[str, Any] | None = None) -> int:
        """One write statement in a short transaction of its own, on a plain connection;
        returns the rows it touched. For hot paths where a unit of work costs more than the
        statement (the outbox records each message it sends this way)."""
        if self.dialect == "postgresql":  # one round trip: the statement is its transaction
            with self._autocommit_engine.connect() as conn:
                return int(conn.execute(statement, params).rowcount)
        with self.engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE … COMMIT, all in-process
            return int(conn.execute(statement, params).rowcount)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self._read_engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any driver error means "not answering"
            return False
        return True
