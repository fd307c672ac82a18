"""The summary's chart drawn ahead: the sending sweep of N groups' chart rows, with the images
drawn ahead against the same sweep drawing them in place, interleaved in one run.

    .venv/bin/python bench/chart_ahead_bench.py --postgres URL [--groups 100] [--rounds 3]

A throwaway database ``est_bench_<random>`` on that server gets bench/scale_data.py's data set
for ``--groups`` groups (``--incidents`` over five years), and each group's summary is planned
as the clock plans it, DRAW_AHEAD before Monday 08:00. The posts are marked sent and the maps
cancelled, so the sweep measured claims exactly the N chart rows. After a warm-up, each round
lets the draw job draw them ahead (timed: the cost taken off the send path), then sends the N
chart rows twice (the order alternating), from the stored images and with no images (the
sender draws each, as before), through a transport that takes every message at once: what is
left is the bot's own cost per chart row. Prints JSON; exits 0 (it is a report).
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import scale_data as sd  # noqa: E402
from bench.scale_parts import CountingTransport, load_text  # noqa: E402
from bot.clock import PREPARERS  # noqa: E402
from bot.delivery import OutboxSender  # noqa: E402
from bot.summary.charts import DRAW_AHEAD, draw_due_charts  # noqa: E402
from bot.summary.posts import plan_summaries  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

AHEAD = sd.NOW - DRAW_AHEAD
RESET = (
    "UPDATE outbox SET status = 'pending', attempts = 0, claimed_by = NULL, claimed_at = NULL, "
    "sent_at = NULL, slack_ts = NULL, last_error = NULL WHERE kind = 'summary.chart'"
)


def execute(engine: Engine, *statements: str, **params: Any) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def prepare(db: Database, groups: int) -> None:
    """Plan every group's summary; the posts sent, the maps cancelled."""
    queued = plan_summaries(db, now=AHEAD)
    assert queued == 3 * groups, queued
    execute(
        db.engine,
        "UPDATE outbox SET status = 'sent', slack_ts = '1700000000.000001', sent_at = :now "
        "WHERE kind = 'summary.post'",
        "UPDATE outbox SET status = 'cancelled', sent_at = :now WHERE kind = 'summary.map'",
        now=sd.NOW,
    )


def draw_ahead(db: Database) -> tuple[float, dict[int, bytes]]:
    """The draw job from no images until nothing is left: its time, and the images it stored."""
    execute(db.engine, RESET, "DELETE FROM chart_image")
    began = time.perf_counter()
    while draw_due_charts(db, worker="drawer", now=AHEAD, lease=timedelta(minutes=2)):
        pass
    spent = (time.perf_counter() - began) * 1000
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT outbox_id, png FROM chart_image")).all()
    return spent, {int(i): bytes(png) for i, png in rows}


def send_charts(db: Database, images: dict[int, bytes] | None, worker: str, n: int) -> float:
    """One sending sweep of the chart rows, from ``images`` (None: none stored); its ms."""
    execute(db.engine, RESET, "DELETE FROM chart_image")
    if images:
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO chart_image (outbox_id, png, drawn_by, claimed_at) "
                    "VALUES (:i, :png, 'drawer', :at)"
                ),
                [{"i": i, "png": png, "at": AHEAD} for i, png in images.items()],
            )
    transport = CountingTransport()
    sender = OutboxSender(db, transport, PREPARERS, worker=worker)
    began = time.perf_counter()
    result = sender.sweep(now=sd.NOW)
    spent = (time.perf_counter() - began) * 1000
    assert result.sent == transport.sent["SummaryChart"] == n, (result, transport.sent)
    return spent


def run(url: str, groups: int, incidents: int, rounds: int) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    sd.load(conninfo, sd.Plan.of(0.1, groups=groups, incidents=incidents))
    db = Database(engine)
    prepare(db, groups)
    _warm, images = draw_ahead(db)  # matplotlib imported, each shape's Figure built
    send_charts(db, images, "warm-up", groups)  # the connections warmed up
    drawn: list[float] = []
    ahead: list[float] = []
    in_place: list[float] = []
    for n in range(rounds):
        draw_ms, images = draw_ahead(db)
        assert len(images) == groups and all(png[:4] == b"\x89PNG" for png in images.values())
        drawn.append(draw_ms / groups)
        variants = [(ahead, images), (in_place, None)]
        for found, stored in variants if n % 2 == 0 else variants[::-1]:
            found.append(send_charts(db, stored, f"round-{n}", groups) / groups)
    sizes = [len(png) for png in images.values()]
    engine.dispose()
    return {
        "groups": groups,
        "incidents": incidents,
        "rounds": rounds,
        "send_ms_per_chart_ahead": statistics.median(ahead),
        "send_ms_per_chart_in_place": statistics.median(in_place),
        "ratio": statistics.median(in_place) / statistics.median(ahead),
        "all_ahead": ahead,
        "all_in_place": in_place,
        "draw_ahead_ms_per_chart": statistics.median(drawn),
        "all_draw_ahead": drawn,
        "png_kb_mean": statistics.mean(sizes) / 1024,
        "png_kb_max": max(sizes) / 1024,
        "load": load_text(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="a server URL; a throwaway DB is made")
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    name = f"est_bench_{secrets.token_hex(4)}"
    admin = make_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        print(json.dumps(run(url, args.groups, args.incidents, args.rounds), indent=2))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
