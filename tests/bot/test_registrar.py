"""export-all: everything one group holds, with its audit log, and nothing of another group."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from bot.actions.service import ActionDraft
from bot.actors import Actor
from bot.errors import NotFound
from bot.incidents.service import parse_quick
from bot.places.service import parse_place_form
from bot.services import Services
from bot.trust.registrar import export_group, find_group, write_export
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_groups(demo: Services, anna, erik) -> Services:
    """The demo group with an incident (corrected), an action with a note; and EST Alby."""
    logged = demo.incidents.log(erik, parse_quick("Fittja centrum; klotter; =HYPERLINK()"), now=NOW)
    demo.incidents.correct(
        erik, logged.incident.id, parse_quick("Fittja centrum; klotter; Tags, rättad"), now=NOW
    )
    action = demo.actions.create(
        anna,
        ActionDraft(
            title="Sanera klotter",
            owner_user_id="U0ERIK",
            due_date=(NOW + timedelta(days=3)).date(),
            places=["Fittja centrum"],
        ),
        now=NOW,
    )
    demo.actions.add_note(erik, action.id, "Beställt", now=NOW)
    other = Actor("T0EST", "U0MAL", "C0ALBY")
    demo.groups.create_group(
        other, name="EST Alby", organisation="Albyhem", kind="bostadsbolag", language="sv", now=NOW
    )
    mallory = demo.groups.locate("T0EST", "C0ALBY", "U0MAL")
    demo.places.add(mallory, parse_place_form("Albys torg; Alby; torg"), now=NOW)
    demo.incidents.log(mallory, parse_quick("Albys torg; klotter; ALBY-TEXT"), now=NOW)
    return demo


def test_the_export_holds_the_groups_rows_and_audit_log_only(two_groups: Services, tmp_path):
    group = find_group(two_groups.db, "est botkyrka")
    with two_groups.db.engine.connect() as conn:
        audit = conn.execute(
            sql("SELECT count(*) FROM audit_event WHERE group_id = :g"), {"g": group.id}
        ).scalar()
    export = export_group(two_groups.db, group, now=NOW)
    counts = export.counts()
    assert counts["est_group"] == 1 and counts["member"] == 5 and counts["organisation"] == 3
    assert counts["incident"] == 1 and counts["incident_version"] == 2
    assert counts["est_action"] == 1 and counts["action_note"] == 1 and counts["action_place"] == 1
    assert counts["place"] == 23  # the demo's places, not Alby's
    assert counts["audit_event"] == audit and audit > 30
    files = write_export(export, tmp_path)
    assert {p.name for p in files} >= {"export.json", "incident.csv", "audit_event.csv"}
    whole = (tmp_path / "export.json").read_text(encoding="utf-8")
    assert "ALBY-TEXT" not in whole and "Albys torg" not in whole
    data = json.loads(whole)
    assert data["group"]["name"] == "EST Botkyrka"
    assert data["tables"]["incident"][0]["description"] == "Tags, rättad"
    first = json.dumps(data["tables"]["incident_version"][0]["content"], ensure_ascii=False)
    assert "=HYPERLINK()" in first  # exact in JSON
    with (tmp_path / "incident_version.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2 and json.loads(rows[0]["content"])["description"] == "=HYPERLINK()"
    with (tmp_path / "audit_event.csv").open(encoding="utf-8-sig") as handle:
        events = list(csv.DictReader(handle))
    assert len(events) == audit and all(len(e["hash"]) == 64 for e in events)


def test_the_export_is_itself_audited(two_groups: Services):
    group = find_group(two_groups.db, "EST Botkyrka")
    export_group(two_groups.db, group, now=NOW)
    with two_groups.db.engine.connect() as conn:
        action = conn.execute(
            sql("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1")
        ).scalar()
    assert action == "group.exported"


def test_an_unknown_group_names_the_existing_ones(two_groups: Services):
    with pytest.raises(NotFound) as missing:
        find_group(two_groups.db, "EST Tumba")
    assert "EST Botkyrka" in str(missing.value.message.params["names"])
    assert find_group(two_groups.db, "#2").name == "EST Alby"


def test_the_commands_write_files_and_report_in_swedish(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "EST_NO_BOOTSTRAP": "1",
    }
    env.pop("SLACK_BOT_TOKEN", None)

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    run("demo")
    out = run("export-all", "--group", "EST Botkyrka", "--out", str(tmp_path / "ut"))
    assert "EST Botkyrka:" in out and (tmp_path / "ut" / "audit_event.csv").exists()
    dry = run("gallra", "--dry-run")
    assert "EST Botkyrka (24 månader" in dry and "skulle gallras i 0 händelser" in dry
