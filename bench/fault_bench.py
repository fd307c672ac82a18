"""Fault benchmark: delivery after a Slack outage, by the real `app.py clock`.

    .venv/bin/python bench/fault_bench.py [--messages 500] [--owners 50] [--outage 120]
        [--kinds 429,500] [--retry-after 10] [--per-second 1.0] [--burst 3] [--tick 5]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--no-sqlite] [--short]
        [--timeout 900]

For each backend (a fresh SQLite file; with ``--postgres URL`` also a throwaway database
``est_bench_<random>`` on that server, dropped at the end) and each run, the database is seeded
with ``tests.e2e.test_clock.seed``: the demo group, ``--owners`` members, and ``--messages``
reminders due now (``messages / owners`` per person, queued in order). The fake Slack
(``handlers.local.localslack.LocalSlack``, 127.0.0.1 only) allows ``--per-second`` messages a
second per channel with bursts of ``--burst``, answering 429 with Retry-After past that, as
Slack's chat.postMessage does. Then one real clock process (``python app.py clock``,
``EST_CLOCK_TICK=--tick``: 5 s, the product's default) runs until no row is pending or sending.

1. **floor**: no outage. The time from the clock's first call to Slack to the last accepted
   message is the rate-limit floor *measured in this run* (the theoretical floor, per channel
   ``(per-person − burst) / per-second`` seconds, is printed beside it).
2. **outage 429** / **outage 500**: every Web API call is answered 429 (with ``Retry-After:
   --retry-after``) or 500 from the clock's first call for ``--outage`` seconds; then Slack
   recovers (``LocalSlack.stop_failing``), its per-channel rate limit still on.

Reported per outage: messages delivered, lost (never accepted), duplicated (accepted twice),
whether each person's messages arrived in order, the calls the clock made during the outage (a
sender that hammers a Slack that is down is not what Slack wants), and the time from recovery to
the last accepted message, also as a ratio to the floor measured in the same run.
Goal: everything delivered within 30 s of recovery plus the floor, 0 lost, 0 duplicated.

``--short`` (a CI-sized run, about 1½ minutes per backend): 60 messages to 12 people, a 20 s
outage, Retry-After 3 s. Bounded (``--timeout`` per run), loopback only; every subprocess is
terminated in ``finally``. Exits 0 on FAIL too (it is a report); non-zero when a message was
lost or duplicated, or something crashed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot`, `handlers` and `tests` importable
    sys.path.insert(0, str(ROOT))

from bench.clock_runs import clock_environment, database, seeded, stop  # noqa: E402
from handlers.local.localslack import ApiCall, LocalSlack  # noqa: E402
from tests.e2e.test_clock import open_rows  # noqa: E402

ACTION_ID = re.compile(r"#(\d+) ")
GRACE = 30.0  # seconds after recovery, beyond the floor, that the goal allows
POLL = 0.2
OUTAGE_FOR_EVER = 10**9  # fail_next "times": until stop_failing()


@dataclass
class Run:
    backend: str
    kind: str  # "floor", "429" or "500"
    expected: int
    delivered: int = 0  # distinct reminders accepted by Slack
    duplicates: int = 0
    in_order: bool = True
    first_call: float = 0.0  # time.monotonic() of the clock's first call to Slack
    recovered: float = 0.0  # … when the outage ended (0 for the floor run)
    last_post: float = 0.0  # … of the last accepted message
    outage_calls: int = 0  # calls the clock made while Slack was down
    answers: Counter[int] = field(default_factory=Counter)  # HTTP status → calls
    load: tuple[float, float] = (0.0, 0.0)
    error: str = ""

    @property
    def lost(self) -> int:
        return self.expected - self.delivered

    @property
    def window(self) -> float:
        """Floor run: first call → last message; outage runs: recovery → last message."""
        start = self.recovered or self.first_call
        return max(0.0, self.last_post - start) if self.last_post else 0.0


def start_clock(url: str, slack: LocalSlack, tick: float, log: Path) -> subprocess.Popen[bytes]:
    env = clock_environment(url, slack, tick)
    with log.open("ab") as out:
        command = [sys.executable, str(ROOT / "app.py"), "clock"]
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)


def measure(run: Run, calls: list[ApiCall]) -> None:
    per_channel: dict[str, list[int]] = defaultdict(list)
    counts: Counter[int] = Counter()
    for call in calls:
        run.answers[call.status] += 1
        if run.recovered and call.at < run.recovered:
            run.outage_calls += 1
        match = ACTION_ID.search(str(call.args.get("text", "")))
        if call.method == "chat.postMessage" and call.status == 200 and match:
            counts[int(match.group(1))] += 1
            per_channel[str(call.args.get("channel"))].append(int(match.group(1)))
            run.last_post = max(run.last_post, call.at)
    run.delivered = len(counts)
    run.duplicates = sum(n - 1 for n in counts.values())
    run.in_order = all(ids == sorted(ids) for ids in per_channel.values())
    run.first_call = min((c.at for c in calls), default=0.0)


def run_once(backend: str, url: str, kind: str, args: argparse.Namespace, tmp: Path) -> Run:
    run = Run(backend, kind, args.messages)
    per_owner = args.messages // args.owners
    db = seeded(url, f"{backend} / {kind}", owners=args.owners, per_owner=per_owner)
    log = tmp / f"clock-{backend}-{kind}.log"
    try:
        with LocalSlack() as slack:
            slack.rate_limit("chat.postMessage", per_second=args.per_second, burst=args.burst)
            if kind != "floor":  # Slack is down before the clock's first call
                retry = args.retry_after if kind == "429" else None
                slack.fail_next("*", status=int(kind), retry_after=retry, times=OUTAGE_FOR_EVER)
            load = os.getloadavg()[0]
            clock = start_clock(url, slack, args.tick, log)
            try:
                deadline = time.monotonic() + args.timeout
                if kind != "floor":
                    while not slack.calls and time.monotonic() < deadline:
                        time.sleep(0.05)
                    outage_ends = slack.calls[0].at + args.outage if slack.calls else 0.0
                    time.sleep(max(0.0, outage_ends - time.monotonic()))
                    slack.stop_failing()
                    run.recovered = time.monotonic()
                    print(f"    Slack recovered after {args.outage:.0f} s", flush=True)
                while open_rows(db):
                    if time.monotonic() > deadline:
                        run.error = f"timeout: {open_rows(db)} rows open after {args.timeout} s"
                        break
                    if clock.poll() is not None:
                        run.error = f"the clock exited with {clock.returncode}"
                        break
                    time.sleep(POLL)
            finally:
                stop([clock])
            run.load = (load, os.getloadavg()[0])
            measure(run, list(slack.calls))
        if run.error:
            print(f"    ERROR {run.error}\n{log.read_text(errors='replace')[-2000:]}", flush=True)
    finally:
        db.engine.dispose()
    return run


def verdict(run: Run, floor: Run) -> str:
    goal = GRACE + floor.window
    problems = [run.error] if run.error else []
    if run.lost or run.duplicates:
        problems.append(f"{run.lost} lost, {run.duplicates} duplicated")
    if not run.in_order:
        problems.append("a person's messages out of order")
    if run.window > goal:
        problems.append(f"{run.window:.1f} s after recovery > {goal:.1f} s")
    return "PASS" if not problems else "FAIL: " + "; ".join(problems)


HEADER = (
    "| backend | outage | delivered | lost | dupes | in order | calls while down (/min) "
    "| recovery → last s | floor measured s | ratio | goal s | verdict | load |\n"
    "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|"
)


def row(run: Run, floor: Run, args: argparse.Namespace) -> str:
    per_minute = run.outage_calls / (args.outage / 60) if args.outage else 0.0
    ratio = run.window / floor.window if floor.window else 0.0
    return (
        f"| {run.backend} | {run.kind} ×{args.outage:.0f} s | {run.delivered}/{run.expected} "
        f"| {run.lost} | {run.duplicates} | {'yes' if run.in_order else 'NO'} "
        f"| {run.outage_calls} ({per_minute:.0f}) | {run.window:.1f} | {floor.window:.1f} "
        f"| {ratio:.2f}× | {GRACE + floor.window:.1f} | {verdict(run, floor)} "
        f"| {run.load[0]:.1f}→{run.load[1]:.1f} |"
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--owners", type=int, default=50)
    parser.add_argument("--outage", type=float, default=120.0, help="seconds Slack is down")
    parser.add_argument("--kinds", default="429,500", help="what Slack answers while down")
    parser.add_argument("--retry-after", type=int, default=10, help="the 429s' Retry-After")
    parser.add_argument("--per-second", type=float, default=1.0, help="fake Slack, per channel")
    parser.add_argument("--burst", type=int, default=3, help="fake Slack, per channel")
    parser.add_argument("--tick", type=float, default=5.0, help="EST_CLOCK_TICK (s)")
    parser.add_argument("--timeout", type=float, default=900.0, help="per run (s)")
    parser.add_argument("--postgres", metavar="URL", help="also run on a throwaway database")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--short", action="store_true", help="a CI-sized run")
    args = parser.parse_args(argv)
    if args.short:
        args.messages, args.owners, args.outage, args.retry_after = 60, 12, 20.0, 3
        args.timeout = min(args.timeout, 180.0)
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    per_owner = args.messages // args.owners
    args.messages = per_owner * args.owners
    theory = max(0, per_owner - args.burst) / args.per_second
    print(
        f"{args.messages} reminders to {args.owners} people ({per_owner} each); fake Slack "
        f"{args.per_second}/s per channel, burst {args.burst}: theoretical floor {theory:.1f} s; "
        f"outage {args.outage:.0f} s of {', '.join(kinds)} (Retry-After {args.retry_after} s); "
        f"tick {args.tick} s\n{os.cpu_count()} CPUs, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        flush=True,
    )
    runs: list[tuple[Run, Run]] = []
    with tempfile.TemporaryDirectory(prefix="fault-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for backend in backends:
            with database(backend, args.postgres, tmp) as url:
                floor = run_once(backend, url, "floor", args, tmp)
            print(f"    floor measured: {floor.window:.1f} s", flush=True)
            for kind in kinds:
                with database(backend, args.postgres, tmp) as url:
                    run = run_once(backend, url, kind, args, tmp)
                print(f"    {row(run, floor, args)}", flush=True)
                runs.append((run, floor))
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(HEADER)
    for run, floor in runs:
        print(row(run, floor, args))
    for run, floor in runs:
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(run.answers.items()))
        print(
            f"{run.backend} / {run.kind}: answers {answers}; floor run {floor.delivered} "
            f"delivered in {floor.window:.1f} s (theory {theory:.1f} s)"
        )
    broken = [r for r, f in runs + [(f, f) for _r, f in runs] if r.lost or r.duplicates]
    return 1 if broken or any(r.error for r, _f in runs) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
