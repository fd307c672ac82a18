"""Queries for imported incidents: which row fingerprints a group already holds, and the bulk
write of a batch of them with their first versions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.sql.schema import ScalarElementColumnDefault
from sqlmodel import Session, col, func, select

from storage.models import Incident, IncidentVersion
from storage.types import UTCDateTime

VersionOf = Callable[[int, dict[str, Any]], dict[str, Any]]  # (id, incident) → version columns
CHUNK = 1000  # fingerprints per query: well under every engine's limit on bound parameters
Processor = Callable[[Any], Any]


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known(self, group_id: int, fingerprints: Sequence[str]) -> set[str]:
        """Those of ``fingerprints`` the group's incidents (deleted ones too) already carry."""
        found: set[str] = set()
        for start in range(0, len(fingerprints), CHUNK):
            chunk = list(fingerprints[start : start + CHUNK])
            query = select(Incident.import_fingerprint).where(
                Incident.group_id == group_id, col(Incident.import_fingerprint).in_(chunk)
            )
            found.update(f for f in self.session.exec(query).all() if f is not None)
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


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` (dicts with the same keys) inserted with the DBAPI cursor's executemany,
    inside ``conn``'s transaction: the statement compiled once for the engine (its paramstyle,
    PostgreSQL's casts), each column's bind processor (the UTC timestamps, JSON) applied as
    SQLAlchemy would apply it — once per distinct timestamp. A column left out that has a
    scalar default gets it, as an ORM insert would; a constraint's refusal raises
    SQLAlchemy's ``IntegrityError`` as any statement does."""
    if not rows:
        return
    dialect = conn.dialect
    compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(compiled.positiontup or compiled.binds)
    defaults = {n: _default(table, n) for n in names if n not in rows[0]}
    steps: list[tuple[int, str, Processor]] = []
    for slot, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            memo = isinstance(table.c[name].type, UTCDateTime)  # rows share their timestamps
            steps.append((slot, name, _memo(process) if memo else process))
    filled = [{**defaults, **row} for row in rows] if defaults else rows
    params = (
        list(_positional(filled, names, steps))
        if dialect.positional
        else list(_named(filled, steps))
    )
    conn.exec_driver_sql(str(compiled), params)


def _positional(
    rows: Sequence[dict[str, Any]], names: list[str], steps: list[tuple[int, str, Processor]]
) -> Iterator[tuple[Any, ...]]:
    get = itemgetter(*names)
    for row in rows:
        out = list(get(row)) if len(names) > 1 else [row[names[0]]]
        for slot, _name, process in steps:
            out[slot] = process(out[slot])
        yield tuple(out)


def _named(
    rows: Sequence[dict[str, Any]], steps: list[tuple[int, str, Processor]]
) -> Iterator[dict[str, Any]]:
    for row in rows:
        out = dict(row)
        for _slot, name, process in steps:
            out[name] = process(out[name])
        yield out


def _memo(process: Processor) -> Processor:
    """``process`` once per distinct value."""
    seen: dict[Any, Any] = {}

    def once(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = process(value)
            return out

    return once


def _default(table: Table, name: str) -> Any:
    default = table.c[name].default
    if not isinstance(default, ScalarElementColumnDefault):
        raise TypeError(f"{table.name}.{name}: no value given and no scalar default")
    return default.arg
