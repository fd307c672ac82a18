"""import-all, export-all's inverse: a group's export read into a fresh database gives the same
export again, its audit chain verifies, and a database that holds the rows already is untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot.errors import Conflict
from bot.services import Services
from bot.trust.audit import AuditService
from bot.trust.registrar import export_group, find_group, write_export
from bot.trust.restore import import_group, read_export
from storage.db import Database, make_engine
from storage.migrate import upgrade
from storage.models import Place
from tests.bot.test_registrar import two_groups  # noqa: F401 - the fixture
from tests.conftest import NOW
from tests.e2e.conftest import _database

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ("group_id", "at", "actor", "action", "entity", "entity_id", "before", "after")


@pytest.fixture
def fresh(db: Database, tmp_path: Path):
    """A second, empty database on the same backend, migrated as `serve` would."""
    backend = "postgresql" if db.dialect == "postgresql" else "sqlite"
    databases = _database(backend, tmp_path)
    engine = make_engine(next(databases))
    upgrade(engine)
    yield Database(engine)
    engine.dispose()
    next(databases, None)


def exported(db: Database, directory: Path) -> dict[str, Any]:
    group = find_group(db, "EST Botkyrka")
    write_export(export_group(db, group, now=NOW), directory)
    return json.loads((directory / "export.json").read_text(encoding="utf-8"))


def without_audit(whole: dict[str, Any]) -> dict[str, Any]:
    return {n: rows for n, rows in whole["tables"].items() if n != "audit_event"}


def test_export_import_export_gives_the_same_group_and_a_whole_chain(
    two_groups: Services,  # noqa: F811
    fresh: Database,
    tmp_path: Path,
):
    first = exported(two_groups.db, tmp_path / "a")
    done = import_group(fresh, read_export(tmp_path / "a"), now=NOW)
    events = first["tables"]["audit_event"]
    assert (done.group, done.audit_events) == ("EST Botkyrka", len(events))
    second = exported(fresh, tmp_path / "b")

    assert without_audit(second) == without_audit(first)
    assert len(without_audit(first)["incident"]) == 1  # the group's, not Alby's
    again = second["tables"]["audit_event"]
    # the group's events in their order and content, then one that says the import happened
    assert [{k: e[k] for k in CONTENT} for e in again[:-1]] == [
        {k: e[k] for k in CONTENT} for e in events
    ]
    assert again[-1]["action"] == "group.imported"
    assert again[-1]["after"]["last_hash"] == events[-1]["hash"]
    assert again[0]["prev_hash"] == "0" * 64  # the fresh database's chain starts with them
    report = AuditService(fresh).verify()
    assert report.ok and report.events == len(events) + 2  # + the import + the second export
    # new rows after the import get new ids (PostgreSQL's sequences moved past the imported)
    with fresh.unit_of_work() as uow:
        place = uow.places.add(
            Place(
                group_id=done.group_id,
                district="Alby",
                name="Ny plats",
                kind="torg",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    assert place.id == max(p["id"] for p in first["tables"]["place"]) + 1


def test_a_database_that_holds_the_ids_is_left_as_it_was(
    two_groups: Services,  # noqa: F811
    tmp_path: Path,
):
    whole = exported(two_groups.db, tmp_path / "a")
    with two_groups.db.engine.connect() as conn:
        before = conn.execute(sql("SELECT count(*) FROM audit_event")).scalar()
    with pytest.raises(Conflict) as refused:
        import_group(two_groups.db, whole, now=NOW)
    assert refused.value.message.params["table"] == "est_group"
    assert "Nothing was written" in refused.value.message.msgid
    with two_groups.db.engine.connect() as conn:
        assert conn.execute(sql("SELECT count(*) FROM audit_event")).scalar() == before
        assert conn.execute(sql("SELECT count(*) FROM est_group")).scalar() == 2


def test_the_command_line_round_trip(tmp_path: Path):
    def run(database: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / database}"}
        env["EST_NO_BOOTSTRAP"] = "1"
        env.pop("SLACK_BOT_TOKEN", None)
        return subprocess.run(
            [sys.executable, str(ROOT / "app.py"), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=check,
        )

    run("source.db", "demo")
    run("source.db", "export-all", "--group", "EST Botkyrka", "--out", "a")
    out = run("target.db", "import-all", "a").stdout
    assert out.startswith("EST Botkyrka (#1): ") and "tabeller från a/" in out
    run("target.db", "export-all", "--group", "EST Botkyrka", "--out", "b")
    first, second = (json.loads((tmp_path / d / "export.json").read_text()) for d in "ab")
    assert without_audit(second) == without_audit(first)
    assert len(first["tables"]["incident"]) > 100  # the demo's thirteen weeks
    verify = run("target.db", "audit", "verify")
    assert verify.stdout.startswith("Granskningsloggen är hel")
    twice = run("target.db", "import-all", "a", check=False)
    assert twice.returncode == 1 and "inget skrevs" in twice.stderr.lower()
    missing = run("target.db", "import-all", "nowhere", check=False)
    assert missing.returncode == 1 and "export.json" in missing.stderr
