"""The other processes: Socket Mode honours SLACK_API_URL, the console answers, clock starts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.local.localslack import LocalSlack

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return (
        base | {"EST_NO_BOOTSTRAP": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"} | extra
    )


def test_socket_mode_opens_its_connection_through_slack_api_url(tmp_path: Path) -> None:
    with LocalSlack() as slack:
        process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env(
                tmp_path,
                SLACK_BOT_TOKEN="xoxb-s",
                SLACK_APP_TOKEN="xapp-s",
                SLACK_API_URL=slack.api_url,
            ),
        )
        try:
            call = slack.wait_for("apps.connections.open", timeout=30)[0]
        finally:
            process.kill()
            process.wait()
    assert call.token == "xapp-s"


def test_console_answers_help_in_swedish_and_loads_the_demo(tmp_path: Path) -> None:
    typed = "/est hjälp\n:demo\n/est inställningar\n:som U0ERIK\n/est inställningar\n:q\n"
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=env(tmp_path),
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "effektiv samordning för trygghet" in out
    assert "EST Botkyrka är laddad" in out
    assert "Med historik: " in out and "händelser de senaste tretton veckorna" in out
    assert "Polisen lokalpolisområde Botkyrka (polis): @Erik Johansson" in out
    assert "Du är nu Erik Johansson, kommunpolis (Polisen lokalpolisområde Botkyrka, medlem)" in out
    # Erik is a member but not an admin: he sees the roster without the admin buttons
    assert len(re.findall(r":\d+ \[Lägg till organisation\]", out)) == 1  # Anna only
    assert "Traceback" not in result.stderr


def test_demo_command_is_idempotent(tmp_path: Path) -> None:
    def run():
        return subprocess.run(
            [sys.executable, "app.py", "demo"],
            cwd=ROOT,
            env=env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )

    first = run().stdout
    assert "laddad" in first and "händelser på tretton veckor" in first
    second = run().stdout
    assert "fanns redan" in second and "händelser" not in second  # nothing loaded again


def test_clock_starts_its_scheduler(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "app.py", "clock"],
        cwd=ROOT,
        env=env(tmp_path, SLACK_BOT_TOKEN="xoxb-c", SLACK_API_URL="http://127.0.0.1:9/api/"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
    jobs = "outbox.send, outbox.plan, summary.draw_charts, audit.verify, retention.apply"
    assert line.strip() == "EST-bot clock: " + jobs


def test_audit_verify_command(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "app.py", "demo"],
        cwd=ROOT,
        env=env(tmp_path),
        check=True,
        capture_output=True,
        timeout=60,
    )
    result = subprocess.run(
        [sys.executable, "app.py", "audit", "verify"],
        cwd=ROOT,
        env=env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "Granskningsloggen är hel" in result.stdout


def test_console_logs_incidents_and_fast_forwards_to_reminders(tmp_path: Path) -> None:
    typed = (
        "\n".join(
            [
                ":demo tom",  # an empty group: the first incident is #1
                "/est händelse Fittja c; langning; Försäljning vid tunnelbanan; igår 21:30",
                "/est händelser",
                "/est åtgärd ny",
                "Bättre belysning",  # what
                "U0ERIK",  # owner
                "",  # due date: the suggested one
                "",  # horizon: short
                "1",  # places: the first offered
                "",  # description
                ":spola 3w",
                ":q",
            ]
        )
        + "\n"
    )
    result = subprocess.run(
        [sys.executable, "app.py", "console"],
        cwd=ROOT,
        env=env(
            tmp_path, EST_CLOCK_START="2026-12-10T10:00:00+01:00"
        ),  # a Thursday: "igår" is this week
        input=typed,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Sparad som händelse #1:" in out
    assert "Fittja centrum · Öppen narkotikaförsäljning" in out
    assert "1 händelse, v." in out  # the week's list counts it
    assert "[DM till @Erik Johansson]" in out and "gav dig en åtgärd" in out  # the owner's DM
    assert "Den här åtgärden är försenad." in out  # three weeks later: the overdue reminder
    assert "Traceback" not in result.stderr


def test_console_runs_the_weekly_cycle(tmp_path: Path) -> None:
    typed = (
        "\n".join(
            [
                ":demo tom",  # an empty group: the report form offers one place
                "/est händelse Fittja centrum; narkotikaförsäljning; Försäljning; nu",
                "/est rapport",
                "allvarligt",
                "sämre",
                "Fler unga samlas",
                "",  # level, trend, observations, notes
                ":spola 8d",  # a week on: the call, the nudge, the lägesbild at meeting time
                "/est möte",
                ":q",
            ]
        )
        + "\n"
    )
    result = subprocess.run(
        [sys.executable, "app.py", "console"],
        cwd=ROOT,
        env=env(tmp_path),
        input=typed,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Lägesrapporten för vecka" in out and "är sparad (version 1)" in out
    assert "Lägesrapporterna för vecka" in out  # the call in the channel
    assert "Dags för din organisations lägesrapport" in out  # … and by DM
    assert "Starta mötet med `/est möte`." in out  # the lägesbild posted at meeting time
    assert "[Avsluta mötet]" in out  # the agenda with its buttons
    assert "Traceback" not in result.stderr


def test_console_shows_the_summary_and_where_its_chart_and_exports_were_saved(
    tmp_path: Path,
) -> None:
    # On the bot's clock, a Sunday: a Monday would have posted last week's summary when the
    # demo loaded, before the incident (a posted summary is the record of what was said).
    start = datetime(2026, 12, 13, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    day = (start - timedelta(days=7)).date()  # Sunday 6 December, in week 49
    year, week, monday = 2026, 49, day - timedelta(days=6)
    typed = (
        ":demo tom\n"  # an empty group: the summary counts the one incident
        f"/est händelse Fittja centrum; lustgas; Patroner vid entrén; {day} 12:00\n"
        "/est sammanfattning\n"
        "/est export händelser förra veckan\n"
        ":q\n"
    )
    result = subprocess.run(
        [sys.executable, "app.py", "console"],
        cwd=ROOT,
        env=env(tmp_path, EST_CLOCK_START=start.isoformat()),
        input=typed,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Veckosammanfattning v. {week}, {year}" in out
    assert "1. Fittja centrum 1\n      ↑ +1 mot v." in out
    files = tmp_path / "est-filer"  # beside the database, p.db
    chart = files / f"sammanfattning-{year}-v{week:02d}.png"
    assert "[#est-botkyrka, i tråden]" in out and f"📎 {chart.name}: {chart}" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    saved = files / f"handelser-{monday}-{monday + timedelta(days=6)}.csv"
    assert f"📎 {saved.name}: {saved}" in out
    assert "Patroner vid entrén" in saved.read_text(encoding="utf-8-sig")
    assert "Traceback" not in result.stderr
