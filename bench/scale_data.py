"""The national data set of bench/scale_bench.py, generated inside PostgreSQL.

At ``factor`` 1: 1 000 groups in 300 workspaces, 20 members each (20 000), 20 places, 8
categories and 3 organisations per group, two actions per group due on the benchmark's Monday,
and 25 million incidents over five years. Group 1 is the largest (4 % of the incidents, or
2/groups when there are few groups); the rest share the others evenly. Every value is a function
of the row's number (a multiplicative hash, no random state), so two runs, and the database of
"the largest group alone", hold the same rows with the same ids.

The rows are written with ``INSERT … SELECT FROM generate_series`` on the server, in chunks: no
service and no Python loop touches them (the same bulk path as COPY, without shipping 25 million
rows through the client).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

TZ = ZoneInfo("Europe/Stockholm")
# the benchmark's Monday morning: the summaries, the calls for reports and the reminders are due
MONDAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=TZ).astimezone(UTC)
YEARS_MINUTES = 5 * 365 * 24 * 60
MEMBERS, PLACES, CATEGORIES, ORGANISATIONS, ACTIONS = 20, 20, 8, 3, 2
CHUNK = 250_000
KEYS = ("narkotika", "klotter", "skadegorelse", "vald", "lustgas", "brand", "stold", "ovrigt")


@dataclass(frozen=True)
class Plan:
    groups: int
    workspaces: int
    incidents: int
    big: int  # the largest group's incidents (group 1)
    alone: bool = False  # only group 1 and its rows

    @classmethod
    def of(cls, factor: float, *, groups: int | None = None, incidents: int | None = None) -> Plan:
        g = groups or max(10, round(1000 * factor))
        n = incidents if incidents is not None else round(25_000_000 * factor)
        return cls(g, max(3, round(g * 0.3)), n, big_share(g, n))

    def only_largest(self) -> Plan:
        return Plan(1, 1, self.big, self.big, alone=True)

    @property
    def members(self) -> int:
        return self.groups * MEMBERS


def big_share(groups: int, incidents: int) -> int:
    return round(incidents * max(0.04, 2 / groups)) if groups > 1 else incidents


H = "((({i})::bigint * 2654435761 + {k}) % 4294967296)"  # a deterministic hash of a row number


def _h(i: str, k: int) -> str:
    return H.format(i=i, k=k)


def _structure(plan: Plan) -> list[str]:
    g, w = plan.groups, plan.workspaces
    now = f"'{NOW.isoformat()}'::timestamptz"
    team = f"'T' || lpad(((s - 1) % {w})::text, 4, '0')"
    return [
        "INSERT INTO est_group (id, name, slack_team_id, slack_channel_id, language, timezone, "
        "hotspot_count, hotspot_days, hotspot_factor, meeting_weekday, meeting_time, "
        "deadline_weekday, deadline_time, call_lead_hours, nudge_lead_hours, summary_weekday, "
        "summary_time, retention_months, created_by, created_at, updated_at) "
        f"SELECT s, 'EST ' || lpad(s::text, 4, '0'), {team}, 'C' || lpad(s::text, 6, '0'), "
        "'sv', 'Europe/Stockholm', 3, 7, 2.0, 1, '09:00', 1, '08:00', 24, 3, 0, '08:00', 120, "
        f"'U0', {now} - interval '6 years', {now} - interval '6 years' "
        f"FROM generate_series(1, {g}) s",
        "INSERT INTO organisation (id, group_id, name, kind, reports, created_at) "
        f"SELECT (s - 1) * {ORGANISATIONS} + k, s, (ARRAY['Kommunen','Polisen','Bostadsbolaget'])[k], "  # noqa: E501
        f"(ARRAY['kommun','polis','bostadsbolag'])[k], true, {now} - interval '6 years' "
        f"FROM generate_series(1, {g}) s, generate_series(1, {ORGANISATIONS}) k",
        "INSERT INTO member (id, group_id, slack_user_id, organisation_id, role, status, "
        "created_at, updated_at) "
        f"SELECT (s - 1) * {MEMBERS} + k, s, 'U' || lpad(s::text, 5, '0') || lpad(k::text, 2, '0'), "  # noqa: E501
        f"(s - 1) * {ORGANISATIONS} + 1 + (k % {ORGANISATIONS}), "
        f"CASE WHEN k = 1 THEN 'admin' ELSE 'medlem' END, 'active', {now} - interval '6 years', "
        f"{now} - interval '6 years' "
        f"FROM generate_series(1, {g}) s, generate_series(1, {MEMBERS}) k",
        "INSERT INTO place (id, group_id, district, name, kind, aliases, active, created_at, "
        "updated_at) "
        f"SELECT (s - 1) * {PLACES} + k, s, 'Stadsdel ' || (1 + k % 5), 'Plats ' || k, 'torg', "
        f"'[]', true, {now} - interval '6 years', {now} - interval '6 years' "
        f"FROM generate_series(1, {g}) s, generate_series(1, {PLACES}) k",
        "INSERT INTO category (id, group_id, key, label_sv, label_en, aliases, active, "
        "created_at, updated_at) "
        f"SELECT (s - 1) * {CATEGORIES} + k, s, (ARRAY{list(KEYS)})[k], "
        f"initcap((ARRAY{list(KEYS)})[k]), initcap((ARRAY{list(KEYS)})[k]), '[]', true, "
        f"{now} - interval '6 years', {now} - interval '6 years' "
        f"FROM generate_series(1, {g}) s, generate_series(1, {CATEGORIES}) k",
        "INSERT INTO est_action (id, group_id, title, description, owner_user_id, "
        "organisation_id, horizon, status, due_date, created_by, created_at, updated_at) "
        f"SELECT (s - 1) * {ACTIONS} + k, s, 'Åtgärd ' || k, '', "
        f"'U' || lpad(s::text, 5, '0') || lpad((k + 1)::text, 2, '0'), "
        f"(s - 1) * {ORGANISATIONS} + 1, 'kort', 'öppen', DATE '{MONDAY.isoformat()}', 'U0', "
        f"{now} - interval '14 days', {now} - interval '14 days' "
        f"FROM generate_series(1, {g}) s, generate_series(1, {ACTIONS}) k",
    ]


def _incidents(plan: Plan, first: int, last: int) -> str:
    """Incidents ``first``..``last`` (row numbers = ids): 1..big are group 1's."""
    big, g = plan.big, plan.groups
    group = f"CASE WHEN i <= {big} THEN 1 ELSE 2 + (i % {max(g - 1, 1)}) END"
    at = (
        f"'{NOW.isoformat()}'::timestamptz - "
        f"make_interval(mins => (1 + {_h('i', 7)} % {YEARS_MINUTES})::int)"
    )
    return (
        "INSERT INTO incident (id, group_id, place_id, category_id, occurred_at, description, "
        "restricted, reporter_user_id, organisation_id, version, created_at, updated_at) "
        f"SELECT i, gid, (gid - 1) * {PLACES} + 1 + ({_h('i', 1)} % {PLACES}), "
        f"(gid - 1) * {CATEGORIES} + 1 + ({_h('i', 2)} % {CATEGORIES}), at, "
        "'Händelse ' || i, false, "
        f"'U' || lpad(gid::text, 5, '0') || lpad((1 + {_h('i', 3)} % {MEMBERS})::text, 2, '0'), "
        f"(gid - 1) * {ORGANISATIONS} + 1 + ({_h('i', 4)} % {ORGANISATIONS}), 1, at, at "
        f"FROM (SELECT i, {group} AS gid, {at} AS at "
        f"FROM generate_series({first}, {last}) i) x"
    )


SEQUENCES = ("est_group", "organisation", "member", "place", "category", "est_action", "incident")
BULK = ("incident",)  # loaded without their secondary indexes and keys, which are made after
WORKERS = 2  # connections inserting chunks at once (the rows are a function of their number)
SESSION = ("SET synchronous_commit = off", "SET maintenance_work_mem = '512MB'")


def _deferred(conn: psycopg.Connection, table: str) -> tuple[list[str], list[str]]:
    """What makes ``table``'s secondary indexes, unique and foreign keys, as Alembic made them:
    the statements that drop them and those that make them again (indexes before keys)."""
    keys = conn.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname",
        (table,),
    ).fetchall()
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = %s AND indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'p') ORDER BY indexname",
        (table, table),
    ).fetchall()
    unique = {name for name, kind, _ in keys if kind == "u"}
    drop = [f"ALTER TABLE {table} DROP CONSTRAINT {n}" for n, kind, _ in keys if kind == "f"]
    drop += [f"ALTER TABLE {table} DROP CONSTRAINT {n}" for n in sorted(unique)]
    drop += [f"DROP INDEX {n}" for n, _ in indexes if n not in unique]
    make = [definition for _, definition in indexes]
    make += [
        f"ALTER TABLE {table} ADD CONSTRAINT {n} UNIQUE USING INDEX {n}" for n in sorted(unique)
    ]
    make += [f"ALTER TABLE {table} ADD CONSTRAINT {n} {d}" for n, kind, d in keys if kind == "f"]
    return drop, make


def _in_parallel(conninfo: str, statements: list[str], workers: int, progress: bool) -> None:
    """Run independent ``statements`` on ``workers`` connections at once."""
    pending = list(reversed(statements))
    lock = threading.Lock()
    failed: list[BaseException] = []
    done: list[str] = []

    def work() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            for setting in SESSION:
                conn.execute(setting)
            while not failed:
                with lock:
                    if not pending:
                        return
                    statement = pending.pop()
                try:
                    conn.execute(statement.encode())
                except BaseException as error:  # noqa: BLE001 - raised below, in the caller
                    failed.append(error)
                    return
                with lock:
                    done.append(statement)
                    if progress:  # "INSERT INTO incident: 12/100", "CREATE INDEX ix_…: 3/7"
                        what = " ".join(statement.split()[:3])
                        print(f"    {what}: {len(done)}/{len(statements)}", flush=True)

    pool = [threading.Thread(target=work) for _ in range(workers)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failed:
        raise failed[0]


def load(conninfo: str, plan: Plan, *, progress: bool = False, workers: int = WORKERS) -> None:
    """Fill a freshly migrated, empty database with ``plan``'s rows: the big tables' secondary
    indexes and keys are dropped first and made again after the rows are in (on ``workers``
    connections), then everything is vacuumed and analysed, as a restored database would be."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for setting in SESSION:
            conn.execute(setting)
        deferred = [_deferred(conn, table) for table in BULK]
        for drop, _ in deferred:
            for statement in drop:
                conn.execute(statement.encode())
        for statement in _structure(plan):
            conn.execute(statement.encode())
    total = plan.big if plan.alone else plan.incidents
    chunks = [
        _incidents(plan, first, min(first + CHUNK - 1, total))
        for first in range(1, total + 1, CHUNK)
    ]
    _in_parallel(conninfo, chunks, workers, progress)
    indexes = [s for _, make in deferred for s in make if not s.startswith("ALTER")]
    _in_parallel(conninfo, indexes, workers, progress)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for setting in SESSION:
            conn.execute(setting)
        for statement in [s for _, make in deferred for s in make if s.startswith("ALTER")]:
            conn.execute(statement.encode())
        for table in SEQUENCES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT max(id) FROM {table}), 1))".encode()
            )
        conn.execute("VACUUM (ANALYZE)")


# what a fresh load leaves in the tables the loader does not fill (the migrations' rows)
FRESH = (
    "UPDATE audit_head SET last_event_id = NULL, last_hash = repeat('0', 64)",
    "UPDATE delivery_count SET total = 0",
)


OWNED_SEQUENCES_RESTART = (  # the sequences of these tables' columns back to their start
    "SELECT setval(s.oid, 1, false) FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
    "JOIN pg_class t ON d.refobjid = t.oid WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') "
    "AND t.relname = ANY(%s)"
)


def reset(conninfo: str, plan: Plan) -> None:
    """Bring a kept database back to the state of its load: every table the loader does not fill
    emptied (the outbox, the summaries, the audit trail, what a meeting hour added), the
    incidents past the loaded ones deleted, the sequences where the load left them."""
    keep = {*SEQUENCES, "alembic_version", "audit_head", "delivery_count"}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        tables = [
            str(row[0])
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
            if row[0] not in keep
        ]
        with conn.transaction():
            # not TRUNCATE: a loaded table may refer to an emptied one (est_action to
            # cause_analysis); the keys' triggers are off for this transaction instead
            conn.execute("SET LOCAL session_replication_role = replica")
            for table in tables:
                conn.execute(f"DELETE FROM {table}".encode())
            conn.execute(OWNED_SEQUENCES_RESTART, (tables,))
            total = plan.big if plan.alone else plan.incidents
            conn.execute("DELETE FROM incident WHERE id > %s", (total,))
            for statement in FRESH:
                conn.execute(statement.encode())
            for table in SEQUENCES:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST((SELECT max(id) FROM {table}), 1))".encode()
                )


def counts(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo) as conn:
        found = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in SEQUENCES}
    return {t: int(row[0]) if row else 0 for t, row in found.items()}


def monday_minus(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)
