"""The Monday burst of bench/scale_bench.py: the real ``python app.py clock`` processes, in OAuth
mode with one installation (one bot token) per workspace, against the fake Slack with Slack's
limits per channel and per workspace.

Run on its own against a database a scale benchmark kept (``scale_bench.py … --keep``):

    .venv/bin/python bench/scale_burst.py --database URL [--runs 1:0,2:0] [--repeat 3]
        [--no-charts] [--per-second 1] [--burst 3] [--workspace-messages 100]

``--runs`` is clocks:limited per run; the runs are interleaved ``--repeat`` times and each
figure is printed with the load average beside it. The clocks start ``--lead`` real seconds
before 08:00 bot time (at the real pace), so that what they plan and draw ahead is done as a
Monday's clock does it; the window is from 08:00 (the first due instant, in real time) to the
last message. ``--no-charts`` leaves the summary's chart
out (its rows are cancelled as they are written, by a trigger of this benchmark's own), to tell
the chart's drawing from the rest of the send.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot`, `handlers` and `storage` importable
    sys.path.insert(0, str(ROOT))

from slack_sdk.oauth.installation_store import Installation  # noqa: E402

from bench import scale_data as sd  # noqa: E402
from bench.http_servers import SECRET  # noqa: E402
from bench.scale_parts import (  # noqa: E402
    OPEN_SQL,
    RESET,
    cpu_seconds,
    execute,
    load_text,
    pairs,
    scalar,
    vm_hwm_mb,
)
from handlers.installations import installation_store  # noqa: E402
from handlers.local.localslack import ApiCall, LocalSlack  # noqa: E402
from handlers.local.ratelimits import RateLimits  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.oauth_tables import BOTS, INSTALLATIONS  # noqa: E402

CLIENT_ID = "1000.2000"
CHARTS = "SELECT count(*) FROM outbox WHERE kind = 'summary.chart'"
# --no-charts: the chart rows are written as cancelled (this benchmark's trigger, not the bot's)
NO_CHARTS = (
    "CREATE OR REPLACE FUNCTION bench_no_charts() RETURNS trigger AS $$ BEGIN "
    "NEW.status := 'cancelled'; NEW.last_error := 'bench: no charts'; RETURN NEW; END $$ "
    "LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS bench_no_charts ON outbox",
    "CREATE TRIGGER bench_no_charts BEFORE INSERT ON outbox FOR EACH ROW "
    "WHEN (NEW.kind = 'summary.chart') EXECUTE FUNCTION bench_no_charts()",
)
CHARTS_BACK = ("DROP TRIGGER IF EXISTS bench_no_charts ON outbox",)


def token_of(team: str) -> str:
    return f"xoxb-bench-{team}"


def install_workspaces(url: str, slack: LocalSlack) -> int:
    """One installation per workspace of the data set, in the bot's installation store, and its
    token known to the fake Slack as that workspace's; returns how many workspaces."""
    teams = sorted(set(pairs(url, "SELECT id, slack_team_id FROM est_group").values()))
    execute(url, f"DELETE FROM {BOTS}", f"DELETE FROM {INSTALLATIONS}")
    engine = make_engine(url)
    store = installation_store(CLIENT_ID, engine)
    for n, team in enumerate(teams):
        store.save(
            Installation(
                app_id="AEST",
                enterprise_id=None,
                team_id=team,
                bot_token=token_of(team),
                bot_id=f"B{n:05d}",
                bot_user_id="UBOT",
                user_id=f"U{n:05d}",
            )
        )
        slack.install(token_of(team), team)
    engine.dispose()
    return len(teams)


def clock_env(
    url: str, slack: LocalSlack, tick: float = 0.2, lead: float = 1.0, claim: int | None = None
) -> dict[str, str]:
    """A clock in OAuth mode: each workspace's messages go with its installation's token; its
    time starts ``lead`` seconds before 08:00."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    if claim is not None:
        env["EST_OUTBOX_CLAIM"] = str(claim)
    return env | {
        "EST_NO_BOOTSTRAP": "1",
        "DATABASE_URL": url,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": "bench-client-secret",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "EST_CLOCK_TICK": str(tick),
        "EST_CLOCK_START": (sd.NOW - timedelta(seconds=lead)).isoformat(),
        "PYTHONUNBUFFERED": "1",
    }


def floor_seconds(calls: list[ApiCall], limits: RateLimits) -> tuple[float, str]:
    """The least time the limits allow for these calls: for each bucket (a channel's, a
    workspace's per method), what did not fit in its burst, at its rate; the largest, and
    which bucket it is."""
    counts: Counter[tuple[str, ...]] = Counter()
    for call in calls:
        if call.method in limits.per_channel:
            counts[(call.method, call.team, str(call.args.get("channel", "")))] += 1
        if call.method in limits.per_workspace:
            counts[(call.method, call.team)] += 1
    floor, which = 0.0, ""
    for key, n in counts.items():
        budget = (limits.per_channel if len(key) == 3 else limits.per_workspace)[key[0]]
        seconds = max(0.0, n - budget.burst) / budget.per_second
        if seconds > floor:
            floor, which = seconds, "/".join(key)
    return floor, which


def start_clocks(
    url: str,
    slack: LocalSlack,
    clocks: int,
    logs: Path,
    tag: str,
    lead: float = 1.0,
    claim: int | None = None,
) -> list[Any]:
    processes = []
    for n in range(clocks):
        log = (logs / f"clock-{tag}-{n}.log").open("ab")
        processes.append(
            subprocess.Popen(
                [sys.executable, str(ROOT / "app.py"), "clock"],
                cwd=ROOT,
                env=clock_env(url, slack, lead=lead, claim=claim),
                stdout=log,
                stderr=log,
            )
        )
        log.close()
    return processes


def due_instant(url: str, lead: float, timeout: float) -> float:
    """The monotonic instant at which the clocks' time is 08:00: from when their shared time
    began (the first clock's start, in the database) plus the lead."""
    began_by = time.monotonic() + timeout
    while time.monotonic() < began_by:
        began = scalar(url, "SELECT extract(epoch FROM began) FROM clock_anchor")
        if began is not None:
            return time.monotonic() + float(began) + lead - time.time()
        time.sleep(0.05)
    raise SystemExit("the clocks never started")


def wait_until_sent(
    url: str, processes: list[Any], groups: int, timeout: float, due: float | None = None
) -> str:
    """Poll until 08:00 has come, every chart row is planned and nothing due is open; '' or
    what went wrong."""
    began = time.monotonic()
    due = began if due is None else due
    while True:
        if time.monotonic() > began + timeout:
            return "timeout"
        if any(p.poll() is not None for p in processes):
            return "a clock exited"
        bot_now = sd.NOW + timedelta(seconds=time.monotonic() - due)
        if bot_now >= sd.NOW and int(scalar(url, CHARTS)) >= groups:
            open_due = f"next_attempt_at <= '{bot_now.isoformat()}'"
            if int(scalar(url, OPEN_SQL + open_due)) == 0:
                return ""
        time.sleep(0.5)


def stop_all(processes: list[Any]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def burst_once(url: str, clocks: int, limited: bool, args: argparse.Namespace, logs: Path):
    """One Monday morning: returns its figures."""
    execute(url, *RESET)
    execute(url, *(NO_CHARTS if getattr(args, "no_charts", False) else CHARTS_BACK))
    groups = int(scalar(url, "SELECT count(*) FROM est_group"))
    began = time.monotonic()
    with LocalSlack() as slack:
        workspaces = install_workspaces(url, slack)
        if limited:
            slack.rate_limit("chat.postMessage", per_second=args.per_second, burst=args.burst)
            slack.limits.tiers(messages_per_minute=args.workspace_messages)
        lead = float(getattr(args, "lead", 1.0))
        tag = f"{clocks}-{int(limited)}"
        claim = getattr(args, "claim", None)
        processes = start_clocks(url, slack, clocks, logs, tag, lead, claim)
        try:
            due = due_instant(url, lead, 60.0)
            planned_by_due = wait_planned(url, due)
            cpu_at_due = [cpu_seconds(p.pid) for p in processes]
            fake_at_due = time.process_time()  # this process: the fake Slack's threads
            error = wait_until_sent(url, processes, groups, args.timeout, due)
            memory = [vm_hwm_mb(p.pid) for p in processes]
            cpu = [cpu_seconds(p.pid) - c for p, c in zip(processes, cpu_at_due, strict=True)]
            fake_cpu = time.process_time() - fake_at_due
        finally:
            stop_all(processes)
        calls = [c for c in slack.calls if c.status == 200 and c.method != "auth.test"]
        limited_calls = sum(c.status == 429 for c in slack.calls)
        floor, bucket = floor_seconds(calls, slack.limits) if limited else (0.0, "")
        first = min((c.at for c in calls), default=began)
        last = max((c.at for c in calls), default=began)
        early = sum(c.at < due for c in calls)  # sent before 08:00: none should be
        per_channel = Counter(
            (c.team, str(c.args.get("channel"))) for c in calls if c.method == "chat.postMessage"
        )
        methods = Counter(c.method for c in calls)
        tokens = {c.token for c in slack.calls}
    statuses = pairs(url, "SELECT status, count(*) FROM outbox GROUP BY 1")
    by_worker = pairs(
        url,
        "SELECT claimed_by, json_build_array(count(*), "
        "extract(epoch FROM max(sent_at) - min(sent_at))) "
        "FROM outbox WHERE status = 'sent' GROUP BY 1",
    )
    return {
        "clocks": clocks,
        "claim": claim,
        "limited": limited,
        "charts": not getattr(args, "no_charts", False),
        "error": error,
        "window_s": last - due,  # from 08:00 (real instant) to the last message
        "first_after_due_s": first - due,
        "sent_before_due": early,
        "rows_planned_by_due": planned_by_due,
        "floor_s": floor,
        "floor_bucket": bucket,
        "messages": sum(methods.values()),
        "methods": dict(methods),
        "sent_rows": int(statuses.get("sent", 0)),
        "statuses": {str(k): int(v) for k, v in statuses.items()},
        "limited_answers": limited_calls,
        "by_clock": [list(v) for v in by_worker.values()],  # rows sent, first to last s
        "busiest_channel": max(per_channel.values(), default=0),
        "workspaces": workspaces,
        "tokens": len(tokens),
        "clock_rss_mb": memory,
        "clock_cpu_s": cpu,  # from 08:00 to the end of the run (polling to the end included)
        "bench_cpu_s": fake_cpu,  # this process: the fake Slack and the polling
        "load": load_text(),
    }


def wait_planned(url: str, due: float) -> int:
    """Sleep until 08:00; the outbox rows queued by then (planned ahead)."""
    time.sleep(max(0.0, due - time.monotonic()))
    return int(scalar(url, "SELECT count(*) FROM outbox"))


def runs(text: str) -> list[tuple[int, bool]]:
    """``1:0,1:1,2:1``: clocks and whether Slack's limits are on, per Monday burst run."""
    pairs_ = [part.split(":") for part in text.split(",") if part]
    return [(int(clocks), limited == "1") for clocks, limited in pairs_]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--per-second", type=float, default=1.0, help="per channel")
    parser.add_argument("--burst", type=int, default=3, help="per channel")
    parser.add_argument(
        "--workspace-messages",
        type=float,
        default=100.0,
        help="chat.postMessage per workspace a minute (Slack does not publish it; assumed)",
    )
    parser.add_argument("--no-charts", action="store_true", help="leave the charts out")
    parser.add_argument(
        "--lead", type=float, default=30.0, help="real seconds the clocks start before 08:00"
    )
    parser.add_argument("--claim", type=int, default=None, help="EST_OUTBOX_CLAIM of the clocks")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="the Monday burst against a kept database")
    parser.add_argument("--database", required=True, help="a loaded scale benchmark database")
    parser.add_argument("--runs", default="1:0,2:0", help="clocks:limited, …")
    parser.add_argument("--repeat", type=int, default=1, help="the runs, interleaved")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--json", default=None)
    add_arguments(parser)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for clocks, limited in runs(args.runs):
                r = burst_once(args.database, clocks, limited, args, Path(tmp))
                results.append(r)
                print(
                    f"{clocks} clock(s) {'limited' if limited else 'no limit'}"
                    f"{'' if r['charts'] else ', no charts'}: window {r['window_s']:.1f} s, "
                    f"floor {r['floor_s']:.1f} s ({r['floor_bucket'] or '-'}), "
                    f"{r['sent_rows']} rows sent ({r['rows_planned_by_due']} planned by 08:00, "
                    f"first {r['first_after_due_s']:.1f} s after), {r['limited_answers']} 429s, "
                    f"{r['tokens']} tokens, load {r['load']} {r['error']}",
                    flush=True,
                )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
