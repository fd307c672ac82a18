"""Reminders benchmark: 10 000 due reminders to 500 owners against a fake Slack that allows
about one message per second per channel, with short bursts.

    .venv/bin/python bench/reminders_bench.py [--owners 500] [--per-owner 20]
        [--per-second 1.0] [--burst 3] [--tick 0.2] [--timeout 900]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--no-sqlite] [--no-baseline]
        [--experiments] [--only TEXT] [--breakdown [--breakdown-rows 1000]]

For each backend (a fresh SQLite file in a temp dir; with ``--postgres URL`` also a throwaway
database ``est_bench_<random>`` created on that server and dropped at the end) and each run, the
database is migrated and seeded with ``tests.e2e.test_clock.seed`` (the demo group, ``--owners``
members, ``--per-owner`` actions each due today, with a reminder row per action in the outbox,
due now). The fake Slack (``handlers.local.localslack.LocalSlack``, 127.0.0.1 only) enforces
``rate_limit("chat.postMessage", per_second=1.0, burst=3)`` per channel: 429 with Retry-After.
Then the real clock process (``python app.py clock``, EST_NO_BOOTSTRAP=1, EST_CLOCK_TICK=0.2)
runs until no outbox row is pending or sending; its CPU time is read from /proc before it is
terminated.

The floor the rate limit implies: each channel gets ``per_owner`` messages; ``burst`` may go at
once and then one each 1/per_second s, so the last one can go (per_owner − burst) / per_second
seconds after the first at the earliest (20 − 3 = 17 s). The goal is delivery within 1.2× that.
"window" is from the clock's first call to Slack to the last accepted message; "from start" adds
the process start (imports, migrations) and the 0.2 s polling.

Reports per run: messages accepted (must equal owners × per_owner), duplicates (messages per
action id, parsed from "#<id> " in the text as ``test_clock.delivered`` does; must be 0), 429s
received (chat.postMessage and users.info), window and ratio to the floor, wall time from start,
CPU of the clock process (total, and ms per message during the window), CPU of this process (the
fake Slack and the polling), CPU of the PostgreSQL backends of the bench database (a lower bound:
polled), the per-channel gap between messages, and the load average. A second run without a rate
limit ("baseline") shows the raw speed of the sender: is it the sender or the rate limit that
bounds the time?

``--experiments`` then runs, each labelled EXPERIMENT, variations that the product does not expose
as settings: the product's ``OutboxSender`` built with other ``concurrency`` and claim ``limit``
in a child process of this script (``--sender-child``; the same loop as ``bot.clock.send_outbox``,
timing each sweep), two real clock processes at once, the fake Slack also limiting users.info
like Slack's Tier 4 (100/min, workspace-wide), and a cProfile of the sender's threads (``--only``
picks variants by label). ``--breakdown`` instead delivers ``--breakdown-rows`` rows in this
process through the clock's own sender, one thread, and splits each message's CPU into claim,
read, prepare, render, HTTP and record. The product's own figures and the verdict always come
from the real ``python app.py clock``.

Bounded (``--timeout`` per run), loopback only; every subprocess is terminated in ``finally``.
Exits 0 on FAIL too (it is a report); non-zero when something crashed or a message was lost.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import os
import pstats
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot`, `handlers` and `tests` importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.clock_runs import clock_environment, database, seeded, stop  # noqa: E402
from handlers.local.localslack import ApiCall, LocalSlack  # noqa: E402
from storage.db import Database  # noqa: E402
from tests.e2e.test_clock import delivered, open_rows, seed  # noqa: E402

GOAL_RATIO = 1.2
CLK_TCK = os.sysconf("SC_CLK_TCK")
POLL = 0.2
CLOCK_CALLS = ("chat.postMessage", "users.info")  # what the clock asks Slack while delivering


# ------------------------------------------------------------------------------ what to run


@dataclass(frozen=True)
class Variant:
    label: str
    limited: bool = True  # the fake Slack enforces the per-channel rate limit
    clocks: int = 1  # real `app.py clock` processes at once
    concurrency: int | None = None  # set: the EXPERIMENT sender child instead of `app.py clock`
    limit: int = 200  # the child's claim limit per sweep (the product's sweep() default: 200)
    profile: bool = False  # the child profiles its threads with cProfile
    users_info_per_minute: float = 0.0  # > 0: the fake Slack limits users.info workspace-wide
    users_info_burst: int = 20

    @property
    def child(self) -> bool:
        return self.concurrency is not None


PRODUCT = Variant("product")
BASELINE = Variant("baseline: no rate limit", limited=False)
EXPERIMENTS = (
    Variant("EXPERIMENT sender c4 limit 200 (= product)", concurrency=4, limit=200),
    Variant("EXPERIMENT sender c8 limit 200", concurrency=8, limit=200),
    Variant("EXPERIMENT sender c16 limit 500", concurrency=16, limit=500),
    Variant("EXPERIMENT sender c4 limit 500", concurrency=4, limit=500),
    Variant("EXPERIMENT 2 × app.py clock", clocks=2),
    Variant("EXPERIMENT 2 × app.py clock, no rate limit", limited=False, clocks=2),
    Variant(
        "EXPERIMENT users.info limited too, like Tier 4 (100/min, burst 20)",
        users_info_per_minute=100.0,
    ),
    Variant(
        "EXPERIMENT cProfile c4 limit 200, no rate limit",
        limited=False,
        concurrency=4,
        limit=200,
        profile=True,
    ),
)


@dataclass
class Run:
    backend: str
    variant: Variant
    expected: int
    messages: int = 0  # accepted chat.postMessage calls carrying "#<id> "
    distinct: int = 0
    duplicates: int = 0
    unparsed: int = 0  # accepted posts without "#<id> " (must be 0)
    limited: int = 0  # 429s answered
    users_info: int = 0
    window: float = 0.0  # first clock call → last accepted post
    from_start: float = 0.0  # process start → no open row seen
    cpu_total: float = 0.0  # the clock process(es), start → done
    cpu_window: float = 0.0  # … from its first call to Slack → done
    bench_cpu: float = 0.0  # this process (fake Slack, polling) during the run
    db_cpu: float = 0.0  # PostgreSQL backends of the bench database during the run
    gap_p50: float = 0.0  # per channel: seconds between consecutive accepted posts
    gap_p95: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)
    sweeps: dict[str, Any] | None = None  # from the EXPERIMENT child
    profile: str = ""
    error: str = ""

    @property
    def rate(self) -> float:
        return self.messages / self.window if self.window else 0.0

    @property
    def cpu_ms_per_message(self) -> float:
        return 1000 * self.cpu_window / self.messages if self.messages else 0.0


def floor_seconds(per_owner: int, burst: int, per_second: float) -> float:
    """When the last message of a channel can go at the earliest, after the first."""
    return max(0, per_owner - burst) / per_second


# ------------------------------------------------------------------------------- databases


def statuses(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))
        return {str(status): int(n) for status, n in rows}


# ------------------------------------------------------------------------------- processes


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def db_backends(url: str, seen: dict[int, float]) -> None:
    """Note the CPU seconds of each PostgreSQL backend now connected to the database of ``url``
    (its process title names it) in ``seen``; nothing for SQLite, which runs inside the clock.
    Polled while a run goes on, so that backends of connections closed early still count (those
    that live less than one poll are missed: the figure is a lower bound)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    marker = f" {parsed.database} ".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres:") and marker in title:
                cpu = proc_cpu(int(entry.name))
                seen[int(entry.name)] = max(cpu, seen.get(int(entry.name), 0.0))


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def start_process(
    url: str, slack: LocalSlack, variant: Variant, args: argparse.Namespace, out: Path
) -> subprocess.Popen[bytes]:
    env = clock_environment(url, slack, args.tick)
    if variant.child:
        command = [sys.executable, str(Path(__file__).resolve()), "--sender-child"]
        command += ["--concurrency", str(variant.concurrency), "--limit", str(variant.limit)]
        command += ["--tick", str(args.tick), "--child-out", str(out)]
        command += ["--profile"] if variant.profile else []
    else:
        command = [sys.executable, str(ROOT / "app.py"), "clock"]
    log = (out.with_suffix(".log")).open("ab")
    try:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    finally:
        log.close()


# ------------------------------------------------------------------------------------ a run


def run_once(backend: str, url: str, variant: Variant, args: argparse.Namespace, tmp: Path) -> Run:
    expected = args.owners * args.per_owner
    run = Run(backend, variant, expected)
    db = seeded(url, f"{backend} / {variant.label}", owners=args.owners, per_owner=args.per_owner)
    out = tmp / f"run-{secrets.token_hex(4)}.json"
    processes: list[subprocess.Popen[bytes]] = []
    first: dict[str, float] = {}
    lock = threading.Lock()

    def on_call(call: ApiCall) -> None:
        if call.method in CLOCK_CALLS and "at" not in first:
            cpu = sum(proc_cpu(p.pid) for p in processes)
            with lock:
                first.setdefault("at", call.at)
                first.setdefault("cpu", cpu)

    try:
        with LocalSlack(on_call=on_call) as slack:
            if variant.limited:
                slack.rate_limit("chat.postMessage", per_second=args.per_second, burst=args.burst)
            if variant.users_info_per_minute:  # no channel argument: one bucket for all calls
                per_second = variant.users_info_per_minute / 60
                slack.rate_limit(
                    "users.info", per_second=per_second, burst=variant.users_info_burst
                )
            load_start = os.getloadavg()[0]
            backends_before: dict[int, float] = {}
            db_backends(url, backends_before)
            backends = dict(backends_before)
            bench_cpu = self_cpu()
            started = time.monotonic()
            for _ in range(variant.clocks):
                processes.append(start_process(url, slack, variant, args, out))
            try:
                deadline = started + args.timeout
                while open_rows(db):
                    if time.monotonic() > deadline:
                        run.error = f"timeout: {open_rows(db)} rows open after {args.timeout} s"
                        break
                    if any(p.poll() is not None for p in processes):
                        run.error = "a clock process exited early"
                        break
                    db_backends(url, backends)
                    time.sleep(POLL)
                done = time.monotonic()
                cpu_done = sum(proc_cpu(p.pid) for p in processes)
                db_backends(url, backends)
                run.db_cpu = sum(backends.values()) - sum(backends_before.values())
                if variant.child and not run.error:  # its summary, written when it saw no rows
                    wait_for_file(out, processes)
            finally:
                stop(processes)
            run.bench_cpu = self_cpu() - bench_cpu
            run.load = (load_start, os.getloadavg()[0])
            run.from_start = done - started
            run.cpu_total = cpu_done
            run.cpu_window = cpu_done - first.get("cpu", 0.0)
            measure_slack(run, slack, first.get("at", started))
        run.statuses = statuses(db)
        if out.exists():
            summary = json.loads(out.read_text())
            run.sweeps, run.profile = summary["sweeps"], summary.get("profile", "")
        if run.error:
            log_file = out.with_suffix(".log")
            tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            print(f"    ERROR {run.error}\n{tail}", flush=True)
    finally:
        db.engine.dispose()
    print(f"    {row(run, args)}", flush=True)
    return run


def wait_for_file(path: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return
        time.sleep(0.1)


def measure_slack(run: Run, slack: LocalSlack, first_at: float) -> None:
    posts = slack.calls_to("chat.postMessage")
    accepted = [c for c in posts if c.status == 200]
    counts = delivered(slack)
    run.messages = sum(counts.values())
    run.distinct = len(counts)
    run.duplicates = sum(n - 1 for n in counts.values())
    run.unparsed = len(accepted) - run.messages
    run.limited = sum(c.status == 429 for m in CLOCK_CALLS for c in slack.calls_to(m))
    run.users_info = len(slack.calls_to("users.info"))
    if accepted:
        run.window = max(c.at for c in accepted) - first_at
    per_channel: dict[str, list[float]] = defaultdict(list)
    for call in accepted:
        per_channel[str(call.args.get("channel"))].append(call.at)
    gaps = sorted(b - a for times in per_channel.values() for a, b in itertools.pairwise(times))
    if gaps:
        run.gap_p50 = statistics.median(gaps)
        run.gap_p95 = gaps[min(len(gaps) - 1, int(0.95 * len(gaps)))]


# ---------------------------------------------------------------------------------- report


HEADER = (
    "| backend | run | delivered | dupes | 429s | window s | ratio | from start s | msg/s "
    "| CPU ms/msg | clock CPU s | PG CPU s | bench CPU s | gap p50/p95 s | load |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def row(run: Run, args: argparse.Namespace) -> str:
    floor = floor_seconds(args.per_owner, args.burst, args.per_second)
    ratio = f"{run.window / floor:.2f}×" if floor and run.variant.limited else "–"
    pg_cpu = f"{run.db_cpu:.1f}" if run.backend == "postgresql" else "–"
    return (
        f"| {run.backend} | {run.variant.label} | {run.messages}/{run.expected} "
        f"| {run.duplicates} | {run.limited} | {run.window:.1f} | {ratio} "
        f"| {run.from_start:.1f} | {run.rate:.0f} | {run.cpu_ms_per_message:.2f} "
        f"| {run.cpu_total:.1f} | {pg_cpu} | {run.bench_cpu:.1f} "
        f"| {run.gap_p50:.2f}/{run.gap_p95:.2f} | {run.load[0]:.1f}→{run.load[1]:.1f} |"
    )


def verdict(run: Run, args: argparse.Namespace) -> str:
    floor = floor_seconds(args.per_owner, args.burst, args.per_second)
    problems = []
    if run.error:
        problems.append(run.error)
    if run.messages != run.expected or run.distinct != run.expected:
        problems.append(f"{run.distinct} of {run.expected} reminders delivered")
    if run.duplicates or run.unparsed:
        problems.append(f"{run.duplicates} duplicates, {run.unparsed} unparsed")
    ratio = run.window / floor if floor else 0.0
    start_ratio = run.from_start / floor if floor else 0.0
    timing = (
        f"window {run.window:.1f} s = {ratio:.2f}× the floor {floor:.0f} s "
        f"(goal ≤ {GOAL_RATIO}×; from process start {run.from_start:.1f} s = {start_ratio:.2f}×)"
    )
    status = "PASS" if not problems and ratio <= GOAL_RATIO else "FAIL"
    rest = "; ".join(problems) or f"all {run.expected} delivered, no duplicates"
    return f"{status} {run.backend}: {timing}; {rest}"


def print_sweeps(runs: list[Run]) -> None:
    rows = [r for r in runs if r.sweeps]
    if not rows:
        return
    print("\nSweeps of the EXPERIMENT sender child (claim, prepare, send, record; one sweep):")
    print(
        "| backend | run | sweeps | claimed p50 | sweep ms p50/p95 | claim ms p50 "
        "| CPU ms/sweep p50 |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        s = r.sweeps or {}
        print(
            f"| {r.backend} | {r.variant.label} | {s['count']} | {s['claimed_p50']:.0f} "
            f"| {s['ms_p50']:.0f}/{s['ms_p95']:.0f} | {s['claim_ms_p50']:.1f} "
            f"| {s['cpu_ms_p50']:.0f} |"
        )
    for r in runs:
        if r.profile:
            print(f"\n{r.backend} / {r.variant.label} (CPU of all threads, cProfile on):")
            print(r.profile)


# ------------------------------------------------------------------------------ sender child


def sender_child(args: argparse.Namespace) -> int:
    """EXPERIMENT: the product's OutboxSender with another concurrency and claim limit, in the
    loop of ``bot.clock.send_outbox`` (sweep; wait as a 429 says; an empty sweep → next tick),
    timing each sweep. Writes a JSON summary to ``--child-out`` when no row is open, then idles
    until terminated (the parent reads its CPU from /proc first)."""
    import app
    from bot.delivery import OutboxSender

    settings = app.read_settings(dict(os.environ))
    services = app.build_services(settings, None)
    product = app.clock_context(settings, services).sender  # the clock's own composition
    sender = OutboxSender(
        product.db,
        product.transport,
        product.preparers,
        worker=f"bench-child:{os.getpid()}",
        on_failure=product.on_failure,
        lease=product.lease,
        concurrency=args.concurrency,
        prefetch=product.prefetch,
    )
    profiles: list[cProfile.Profile] = []
    claim_ms: list[float] = []
    if args.profile:
        local = threading.local()
        send_one = sender._send

        def profiled(job: Any, now: datetime, started: float) -> tuple[str, float]:
            profile = getattr(local, "profile", None)
            if profile is None:
                profile = local.profile = cProfile.Profile(time.thread_time)
                profiles.append(profile)
            profile.enable()
            try:
                return send_one(job, now, started)
            finally:
                profile.disable()

        setattr(sender, "_send", profiled)  # noqa: B010 - an instance-level patch
    from storage.outbox import OutboxRepository

    real_claim = OutboxRepository.claim

    def timed_claim(self: OutboxRepository, **kwargs: Any) -> list[int]:
        t0 = time.perf_counter()
        try:
            return real_claim(self, **kwargs)
        finally:
            claim_ms.append(1000 * (time.perf_counter() - t0))

    setattr(OutboxRepository, "claim", timed_claim)  # noqa: B010 - this process only
    main_profile = cProfile.Profile(time.thread_time) if args.profile else None
    sweeps: list[tuple[float, float, int]] = []  # (wall ms, CPU ms, claimed)
    while True:
        now = datetime.now(UTC)
        t0, c0 = time.perf_counter(), time.process_time()
        if main_profile:
            main_profile.enable()
        result = sender.sweep(now=now, limit=args.limit)
        if main_profile:
            main_profile.disable()
        sweeps.append(
            (1000 * (time.perf_counter() - t0), 1000 * (time.process_time() - c0), result.claimed)
        )
        if result.wait:
            time.sleep(min(result.wait, 60.0))
        elif result.claimed == 0:
            if open_rows(services.db) == 0:
                break
            time.sleep(args.tick)
    working = [s for s in sweeps if s[2]] or sweeps
    walls = sorted(s[0] for s in working)
    summary: dict[str, Any] = {
        "sweeps": {
            "count": len(working),
            "claimed_p50": statistics.median(s[2] for s in working),
            "ms_p50": statistics.median(walls),
            "ms_p95": walls[min(len(walls) - 1, int(0.95 * len(walls)))],
            "claim_ms_p50": statistics.median(claim_ms) if claim_ms else 0.0,
            "cpu_ms_p50": statistics.median(s[1] for s in working),
        }
    }
    if main_profile:
        stream = io.StringIO()
        stats = pstats.Stats(main_profile, stream=stream)
        for profile in profiles:
            stats.add(profile)
        stats.sort_stats("tottime").print_stats(18)
        ours = r"bot/|storage/|handlers/|slack_sdk/web/base"
        stats.sort_stats("cumulative").print_stats(ours, 22)
        summary["profile"] = trim_profile(stream.getvalue())
    tmp = Path(str(args.child_out) + ".tmp")
    tmp.write_text(json.dumps(summary))
    tmp.rename(args.child_out)
    time.sleep(600)  # until the parent terminates us
    return 0


def trim_profile(report: str) -> str:
    """pstats output without absolute paths of this machine."""
    prefixes = sorted({str(ROOT) + os.sep, sys.prefix + os.sep, sys.base_prefix + os.sep}, key=len)
    for prefix in reversed(prefixes):
        report = report.replace(prefix, "")
    return "\n".join(line.rstrip() for line in report.splitlines() if line.strip())


# ------------------------------------------------------------------------------- breakdown


def breakdown(backend: str, url: str, args: argparse.Namespace) -> None:
    """EXPERIMENT: where one message's CPU goes. In this process and one thread, on the seeded
    database, the clock's own sender (``app.clock_context``) delivers ``--breakdown-rows`` rows
    through ``OutboxSender._prepare`` and ``_send`` as a sweep does, with its parts wrapped to
    add up their thread CPU and wall time; the fake Slack answers from its own threads (not
    counted) and has no rate limit here."""
    import app
    import handlers.transport
    from storage.outbox import OutboxRepository

    print(f"  {backend} / EXPERIMENT breakdown: seeding …", flush=True)
    db = seed(url, owners=args.owners, per_owner=args.per_owner)
    db.engine.dispose()
    cpu: dict[str, float] = defaultdict(float)
    wall: dict[str, float] = defaultdict(float)

    def timed(name: str, function: Any) -> Any:
        def wrapper(*a: Any, **kw: Any) -> Any:
            c0, w0 = time.thread_time(), time.perf_counter()
            try:
                return function(*a, **kw)
            finally:
                cpu[name] += time.thread_time() - c0
                wall[name] += time.perf_counter() - w0

        return wrapper

    sweep_parts = "claim + read txn + rows (once a sweep)"
    send, render = "transport.send", "render: messages_for"
    http, users = "HTTP chat.postMessage (WebClient)", "HTTP users.info (once a person)"
    prepare, record = "prepare (preparer: action, group, action_item)", "record: _close"
    rows = 0
    with LocalSlack() as slack:
        env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": slack.api_url}
        settings = app.read_settings(env | {"DATABASE_URL": url})
        services = app.build_services(settings, None)
        sender = app.clock_context(settings, services).sender
        transport: Any = sender.transport  # the SlackTransport that clock_context builds
        client = transport.client
        client.auth_test()  # warm up: imports, first connection
        setattr(client, "chat_postMessage", timed(http, client.chat_postMessage))  # noqa: B010
        setattr(client, "users_info", timed(users, client.users_info))  # noqa: B010
        setattr(transport, "send", timed(send, transport.send))  # noqa: B010
        setattr(sender, "_close", timed(record, sender._close))  # noqa: B010
        prepare_all = timed("prepare phase", sender._prepare)
        send_one = timed("send phase", sender._send)
        sender.preparers = {k: timed(prepare, f) for k, f in sender.preparers.items()}
        real_render = getattr(handlers.transport, "messages_for")  # noqa: B009
        claim = timed("claim", OutboxRepository.claim)
        try:
            setattr(handlers.transport, "messages_for", timed(render, real_render))  # noqa: B010
            while rows < args.breakdown_rows:  # what sweep() does, in this one thread
                now = datetime.now(UTC)
                with services.db.unit_of_work() as uow:
                    ids = claim(uow.outbox, worker=sender.worker, now=now, limit=200)
                ready, cancelled, broken = prepare_all(ids, now)
                assert not cancelled and not broken
                started = time.monotonic()
                for job in ready:
                    outcome, _ = send_one(job, now, started)
                    assert outcome == "sent", outcome
                    rows += 1
            plan = "plan job (bot.clock.plan: once a minute)"
            from bot.clock import plan as plan_job

            timed(plan, plan_job)(app.clock_context(settings, services), datetime.now(UTC))
        finally:
            setattr(handlers.transport, "messages_for", real_render)  # noqa: B010
            services.db.engine.dispose()
    for table in (cpu, wall):
        table[sweep_parts] = table["claim"] + table["prepare phase"] - table[prepare]
        table["send: the rest (mapping, cache)"] = (
            table[send] - table[render] - table[http] - table[users]
        )
    order = [
        sweep_parts,
        prepare,
        render,
        users,
        http,
        "send: the rest (mapping, cache)",
        record,
    ]
    total = cpu["claim"] + cpu["prepare phase"] + cpu["send phase"]
    total_wall = wall["claim"] + wall["prepare phase"] + wall["send phase"]
    print(f"\n{backend}: {rows} messages through the clock's sender, one thread (EXPERIMENT)")
    print("| part | CPU ms/msg | wall ms/msg | share of CPU |")
    print("|---|---:|---:|---:|")
    for name in [*order, "total"]:
        c = total if name == "total" else cpu[name]
        w = total_wall if name == "total" else wall[name]
        print(
            f"| {name} | {1000 * c / rows:.2f} | {1000 * w / rows:.2f} | {100 * c / total:.0f} % |"
        )
    print(
        f"plan job over {args.owners * args.per_owner} open actions: {cpu[plan]:.2f} s CPU, "
        f"{wall[plan]:.2f} s wall (the clock runs it once a minute)"
    )


# -------------------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--per-owner", type=int, default=20)
    parser.add_argument("--per-second", type=float, default=1.0, help="fake Slack, per channel")
    parser.add_argument("--burst", type=int, default=3, help="fake Slack, per channel")
    parser.add_argument("--tick", type=float, default=0.2, help="EST_CLOCK_TICK (s)")
    parser.add_argument("--timeout", type=float, default=900, help="per run (s)")
    parser.add_argument("--postgres", metavar="URL", help="also run on a throwaway database")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unlimited run")
    parser.add_argument("--experiments", action="store_true", help="EXPERIMENT variations")
    parser.add_argument("--only", help="run only the variants whose label contains this")
    parser.add_argument(
        "--breakdown", action="store_true", help="EXPERIMENT: CPU per phase of one message"
    )
    parser.add_argument("--breakdown-rows", type=int, default=1000)
    parser.add_argument("--sender-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.sender_child:
        return sender_child(args)
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    variants = [PRODUCT] + ([] if args.no_baseline else [BASELINE])
    variants += list(EXPERIMENTS) if args.experiments else []
    if args.only:
        variants = [v for v in variants if args.only in v.label]
    floor = floor_seconds(args.per_owner, args.burst, args.per_second)
    print(
        f"{args.owners} owners × {args.per_owner} reminders = {args.owners * args.per_owner}; "
        f"fake Slack {args.per_second}/s per channel, burst {args.burst}; tick {args.tick} s\n"
        f"floor = ({args.per_owner} − {args.burst}) / {args.per_second} = {floor:.1f} s "
        f"(goal ≤ {GOAL_RATIO}× = {GOAL_RATIO * floor:.1f} s); to reach it the sender needs "
        f"about {args.owners / args.per_second:.0f} msg/s sustained "
        f"({args.owners * args.per_owner / floor:.0f} msg/s on average)\n"
        f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    runs: list[Run] = []
    if args.breakdown:
        with tempfile.TemporaryDirectory(prefix="reminders-bench-") as tmp_name:
            for backend in backends:
                with database(backend, args.postgres, Path(tmp_name)) as url:
                    breakdown(backend, url, args)
        return 0
    with tempfile.TemporaryDirectory(prefix="reminders-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for backend in backends:
            for variant in variants:
                with database(backend, args.postgres, tmp) as url:
                    runs.append(run_once(backend, url, variant, args, tmp))
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(HEADER)
    for run in runs:
        print(row(run, args))
    print()
    for run in runs:
        if run.variant is PRODUCT:
            print(verdict(run, args))
    for run in runs:
        if run.variant is BASELINE:
            need = args.owners * args.per_owner / (GOAL_RATIO * floor) if floor else 0.0
            print(
                f"sender speed without a rate limit ({run.backend}): {run.rate:.0f} msg/s, "
                f"{run.window:.1f} s for all = {run.window / floor:.2f}× the floor "
                f"(the goal needs ≥ {need:.0f} msg/s on average)"
            )
    print_sweeps(runs)
    lost = [r for r in runs if r.messages < r.expected or r.duplicates or r.unparsed]
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
