"""Queries for imported incidents: which row fingerprints a group already holds, and the bulk
write of a batch of them with their first versions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert
from sqlalchemy.sql.schema import ScalarElementColumnDefault
from sqlmodel import Session, col, func, select

from storage.errors import Conflict
from storage.models import Incident, IncidentVersion
from storage.types import UTCDateTime

VersionOf = Callable[[int, dict[str, Any]], dict[str, Any]]  # (id, incident) → version columns
CHUNK = 1000  # fingerprints per query: well under every engine's limit on bound parameters
CACHE_KIB = 16 * 1024  # SQLite's page cache while a batch is inserted (the default: 2 MB)


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known(self, group_id: int, fingerprints: Sequence[str]) -> set[str]:
        """Those of ``fingerprints`` the group's incidents (deleted ones too) already carry."""
        found: set[str] = set()
        query = select(Incident.import_fingerprint).where(  # one statement, bound per chunk
            Incident.group_id == group_id,
            col(Incident.import_fingerprint).in_(bindparam("chunk", expanding=True)),
        )
        conn = self.session.connection()
        for start in range(0, len(fingerprints), CHUNK):
            chunk = list(fingerprints[start : start + CHUNK])
            found.update(conn.execute(query, {"chunk": chunk}).scalars())
        return found

    def add(self, incidents: Sequence[dict[str, Any]], versions: VersionOf) -> list[int]:
        """Insert many imported incidents (their columns as dicts, every dict with the same
        keys; fingerprints unique) and their first versions, in the session's transaction.
        Returns the new ids in the incidents' order.

        Each table is written with one executemany of the driver's own (`bulk_insert`): no
        ORM objects, and no per-row parameter handling by SQLAlchemy, which costs about as
        much as the driver's insert itself. The new ids are read back in one query: the
        group's incidents above the highest id before the insert, by fingerprint (rows another
        transaction added meanwhile carry other fingerprints, and are passed over)."""
        group_id = incidents[0]["group_id"]
        floor = self.session.exec(select(func.max(Incident.id))).one() or 0
        with _roomy_cache(self.session.connection()):
            bulk_insert(self.session.connection(), Incident.__table__, incidents)  # type: ignore[attr-defined]
        query = select(Incident.import_fingerprint, Incident.id).where(
            Incident.group_id == group_id,
            col(Incident.id) > floor,
            col(Incident.import_fingerprint).is_not(None),
        )
        by_fingerprint = dict(self.session.connection().execute(query).tuples().all())
        ids = [by_fingerprint[row["import_fingerprint"]] for row in incidents]
        firsts = [versions(i, row) for i, row in zip(ids, incidents, strict=True)]
        bulk_insert(self.session.connection(), IncidentVersion.__table__, firsts)  # type: ignore[attr-defined]
        return ids


@contextmanager
def _roomy_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, a page cache of ``CACHE_KIB`` for the block, then the one before: a batch's
    fingerprints are hashes, so they land all over the unique index, and in the default 2 MB
    cache every other insert would fetch an index page again (a quarter of the insert's
    time)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = {-CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` (dicts with the same keys) inserted with the DBAPI cursor's executemany (on
    PostgreSQL through psycopg: COPY), inside ``conn``'s transaction: the statement compiled
    once for the engine (its paramstyle, PostgreSQL's casts), each column's bind processor
    (the UTC timestamps, JSON) applied as SQLAlchemy would apply it. A column left out that
    has a scalar default gets it, as an ORM insert would; a constraint's refusal raises
    SQLAlchemy's ``IntegrityError`` (``Conflict`` from COPY), as any statement does.

    The parameters are built a column at a time, so that most of the work runs in C: a
    timestamp column is processed once per distinct value (an import's rows share their
    `now`), a column without a processor is only picked out of the dicts."""
    if not rows:
        return
    dialect = conn.dialect
    compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(compiled.positiontup or compiled.binds)
    columns = [_column(table, n, rows, conn) for n in names]
    tuples = zip(*columns, strict=True)
    if dialect.driver == "psycopg":
        _copy(conn, table, names, tuples)
        return
    if dialect.positional:
        params: list[Any] = list(tuples)
    else:
        params = [dict(zip(names, t, strict=True)) for t in tuples]
    conn.exec_driver_sql(str(compiled), params)


def _copy(
    conn: Connection, table: Table, names: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """PostgreSQL through psycopg 3: ``COPY … FROM STDIN`` on the connection's own transaction,
    the values as the bind processors left them (aware timestamps, JSON as its text). A
    constraint's refusal is the same ``Conflict`` a refused statement becomes."""
    import psycopg

    quote = conn.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    raw: Any = conn.connection.dbapi_connection  # a psycopg.Connection, in the transaction
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.IntegrityError as error:
        raise Conflict(str(error)) from error


def _column(
    table: Table, name: str, rows: Sequence[dict[str, Any]], conn: Connection
) -> Iterable[Any]:
    """The bound values of column ``name``, in the rows' order."""
    if name not in rows[0]:
        return repeat(_default(table, name), len(rows))
    values = map(itemgetter(name), rows)
    column_type = table.c[name].type
    process = column_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    if process is None:
        return values
    if isinstance(column_type, UTCDateTime):  # hashable, and mostly the same few values
        seen = list(values)
        done = {v: process(v) for v in set(seen)}
        return map(done.__getitem__, seen)
    return map(process, values)


def _default(table: Table, name: str) -> Any:
    default = table.c[name].default
    if not isinstance(default, ScalarElementColumnDefault):
        raise TypeError(f"{table.name}.{name}: no value given and no scalar default")
    return default.arg
