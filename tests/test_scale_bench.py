"""bench/scale_bench.py in its quick variant: it runs end to end on PostgreSQL and its counts are
right (no timing is asserted: the figures are for bench/RESULTS.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.postgresql, pytest.mark.e2e]

# per group at the benchmark's Monday 08:00: the call for reports in the channel and to each of
# the 20 members (all report), the summary and its chart, and the due-day reminder of each of
# the two actions (their reminder two working days before is past, and only the last past stage
# is sent)
PER_GROUP = 1 + 20 + 2 + 2
# and the summary's map: queued with it, cancelled when it is due (the data set's places have no
# coordinates, so there is nothing to draw)
MAP = 1


@pytest.mark.timeout(900)
def test_the_quick_variant_runs_and_counts_every_row(tmp_path: Path):
    out = tmp_path / "scale.json"
    argv = [sys.executable, str(ROOT / "bench" / "scale_bench.py"), "--postgres", str(PG_URL)]
    argv += ["--factor", "0.0002", "--sweep-groups", "2,3", "--sweep-incidents", "40"]
    argv += ["--repeat", "1", "--meeting-groups", "4", "--meeting-requests", "2"]
    argv += ["--burst-runs", "2:1", "--timeout", "300", "--json", str(out)]
    env = {**os.environ, "EST_NO_BOOTSTRAP": "1"}
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=880)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())

    # factor 0.0002: at least 10 groups, 25 M × 0.0002 incidents, the largest with 2/10 of them
    assert result["plan"] == {
        "groups": 10, "workspaces": 3, "incidents": 5000, "big": 1000, "alone": False,
    }  # fmt: skip
    everyone, alone = result["loaded"]["all"], result["loaded"]["alone"]
    assert (everyone["est_group"], everyone["member"], everyone["incident"]) == (10, 200, 5000)
    assert (alone["est_group"], alone["member"], alone["incident"]) == (1, 20, 1000)
    assert set(result["largest"]) == {"lägesbild", "summary", "period analysis"}
    assert result["chart"]["png_bytes"] > 10_000

    for size, sweep in zip((2, 3), result["sweep"], strict=True):
        assert sweep["groups"] == size
        assert sweep["planned"] == (PER_GROUP + MAP) * size
        # the charts are left out of the sweep: everything else is sent once (the map: nothing)
        assert sum(sweep["sent"].values()) == (PER_GROUP - 1) * size
        assert sweep["sent"]["ReportsCalled"] == 21 * size

    (burst,) = result["burst"]
    assert (burst["clocks"], burst["limited"], burst["error"]) == (2, True, "")
    # two clocks, and still every row sent once: as many rows sent as planned, none open
    assert burst["statuses"] == {"sent": PER_GROUP * 10, "cancelled": MAP * 10}
    assert burst["methods"]["chat.postMessage"] >= (PER_GROUP - 1) * 10
    # started ahead of 08:00, the clocks planned every row before it, and sent none before it
    assert burst["rows_planned_by_due"] == (PER_GROUP + MAP) * 10
    assert burst["sent_before_due"] == 0

    meeting = result["meeting"]
    assert meeting["groups"] == 4
    assert sum(k["requests"] for k in meeting["kinds"].values()) == 8
    assert all(
        k["errors"] == 0 and k["answered"] == k["requests"] for k in meeting["kinds"].values()
    )
    # the baseline after the mix: as many `hjälp` again (4 groups × 2), every one answered
    alone = meeting["help_alone"]
    assert (alone["requests"], alone["errors"], alone["answered"]) == (8, 0, 8)
    assert len(meeting["serve_rss_mb"]) == 4  # two serve processes, two workers each


@pytest.mark.timeout(300)
def test_a_kept_data_set_is_reused_and_reset_to_its_load(tmp_path: Path):
    """``--reuse NAME`` makes and loads the databases the first time; the second run loads
    nothing and undoes what a run changed (a meeting's incident, the outbox) before measuring."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from storage.db import make_engine

    name = f"est_scale_reuse_{os.getpid()}"
    argv = [sys.executable, str(ROOT / "bench" / "scale_bench.py"), "--postgres", str(PG_URL)]
    argv += ["--factor", "0.0002", "--sweep-groups", "2", "--sweep-incidents", "40"]
    argv += ["--only", "none", "--reuse", name]
    env = {**os.environ, "EST_NO_BOOTSTRAP": "1"}
    admin = make_engine(str(PG_URL)).execution_options(isolation_level="AUTOCOMMIT")
    everyone = make_url(str(PG_URL)).set(database=f"{name}_all")
    try:
        runs = []
        for n in (1, 2):
            out = tmp_path / f"run{n}.json"
            done = subprocess.run(
                [*argv, "--json", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
            assert f"kept: {name}_all, {name}_alone, {name}_s2" in done.stdout
            runs.append(json.loads(out.read_text()))
            if n == 1:  # what a run leaves behind: a meeting's incident, a queued message
                engine = make_engine(everyone.render_as_string(hide_password=False))
                with engine.begin() as conn:
                    conn.execute(text(ADDED_INCIDENT))
                    conn.execute(text(QUEUED))
                engine.dispose()
        first, second = (r["loaded"] for r in runs)
        assert {k: v["reused"] for k, v in first.items()} == dict.fromkeys(first, False)
        assert {k: v["reused"] for k, v in second.items()} == dict.fromkeys(first, True)
        # 5 000 loaded incidents (10 groups), the added 5 001st deleted; 1 000 of group 1 alone;
        # the sweep's 2 groups × 40
        assert [second[k]["incident"] for k in ("all", "alone", "s2")] == [5000, 1000, 80]
        engine = make_engine(everyone.render_as_string(hide_password=False))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
            # the sequence where the load left it: the next incident is the 5 001st again
            assert conn.execute(text("SELECT nextval('incident_id_seq')")).scalar() == 5001
        engine.dispose()
    finally:
        with admin.connect() as conn:
            for part in ("all", "alone", "s2"):
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}_{part} WITH (FORCE)"))
        admin.dispose()


ADDED_INCIDENT = (
    "INSERT INTO incident (group_id, place_id, category_id, occurred_at, description, "
    "restricted, reporter_user_id, organisation_id, version, created_at, updated_at) "
    "VALUES (1, 1, 1, now(), 'Möte', false, 'U0000101', 1, 1, now(), now())"
)
QUEUED = (
    "INSERT INTO outbox (group_id, recipient, kind, payload, dedupe_key, status, attempts, "
    "next_attempt_at, created_at) VALUES (1, 'C000001', 'x', '{}', 'x', 'pending', 0, now(), now())"
)
