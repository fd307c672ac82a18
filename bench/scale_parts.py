"""The parts of bench/scale_bench.py: the databases, each measurement, the processes."""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot`, `handlers` and `storage` importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import scale_data as sd  # noqa: E402
from bench.http_servers import SECRET, free_port, running, server_env  # noqa: E402
from handlers.local import slack_requests as sr  # noqa: E402
from handlers.local.localslack import LocalSlack  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

OPEN_SQL = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending') AND "
RESET = (
    "DELETE FROM outbox",
    "DELETE FROM weekly_summary",
    "DELETE FROM clock_anchor",
    "UPDATE delivery_count SET total = 0",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_text() -> str:
    return "{:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


# ------------------------------------------------------------------------------ databases


@contextmanager
def databases(
    pg_url: str, names: list[str], keep: bool, prefix: str | None = None, reuse: bool = False
) -> Iterator[tuple[dict[str, str], set[str]]]:
    """The benchmark's databases ``<prefix>_<name>`` on the server of ``pg_url``, migrated, and
    which of them were made here (to be loaded). With ``reuse`` the ones that exist already are
    taken as they are (kept from an earlier run) and only the missing ones made; nothing is
    dropped at the end with ``keep`` or ``reuse``."""
    admin = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    prefix = prefix or f"est_scale_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        there = {str(n) for (n,) in conn.execute(text("SELECT datname FROM pg_database"))}
    urls, made = {}, set()
    try:
        for name in names:
            full = f"{prefix}_{name}"
            urls[name] = make_url(pg_url).set(database=full).render_as_string(hide_password=False)
            if not (reuse and full in there):
                with admin.connect() as conn:
                    conn.execute(text(f"CREATE DATABASE {full}"))
                made.add(name)
            engine = make_engine(urls[name])
            upgrade(engine)
            engine.dispose()
        yield urls, made
    finally:
        if keep or reuse:
            print(f"kept: {', '.join(f'{prefix}_{name}' for name in urls)}", flush=True)
        else:
            for name in urls:
                with admin.connect() as conn:
                    conn.execute(text(f"DROP DATABASE IF EXISTS {prefix}_{name} WITH (FORCE)"))
        admin.dispose()


def conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def execute(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> Any:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def pairs(url: str, sql: str) -> dict[Any, Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {a: b for a, b in conn.execute(text(sql))}  # noqa: C416
    finally:
        engine.dispose()


# ------------------------------------------------------------------------- in-process parts


def services_on(url: str) -> Any:
    from bot.notifier import NullNotifier
    from bot.services import Services
    from bot.timekeeping import FixedClock

    return Services.build(Database(make_engine(url)), NullNotifier(), FixedClock(sd.NOW))


def admin_of(services: Any, group: int) -> Any:
    with services.db.engine.connect() as conn:
        team = conn.execute(
            text("SELECT slack_team_id FROM est_group WHERE id = :g"), {"g": group}
        ).scalar()
    return services.groups.locate(team, f"C{group:06d}", f"U{group:05d}01")


def timed(function: Callable[[], Any]) -> float:
    began = time.perf_counter()
    function()
    return (time.perf_counter() - began) * 1000


def largest(urls: dict[str, str], repeat: int) -> dict[str, Any]:
    """The largest group's three heavy reads, everyone's rows beside the group alone."""
    from bot.summary.service import compute, last_week

    out: dict[str, Any] = {}
    targets = {name: services_on(urls[name]) for name in ("all", "alone")}
    actors = {name: admin_of(s, 1) for name, s in targets.items()}
    tz = sd.TZ
    year, week = last_week(sd.NOW, tz)

    def summary(s: Any) -> Callable[[], Any]:
        def run() -> Any:
            with s.db.unit_of_work(read_only=True) as uow:
                return compute(uow, uow.groups.get(1), year, week, now=sd.NOW)

        return run

    reads: dict[str, Callable[[Any, Any], Callable[[], Any]]] = {
        "lägesbild": lambda s, a: lambda: s.meetings.picture(a, "", now=sd.NOW),
        "summary": lambda s, a: summary(s),
        "period analysis": lambda s, a: lambda: s.periods.analyse(a, "", now=sd.NOW),
    }
    for label, make in reads.items():
        calls = {n: make(targets[n], actors[n]) for n in targets}
        for call in calls.values():
            call()  # warm-up: caches, plans
        times: dict[str, list[float]] = {n: [] for n in calls}
        for _ in range(repeat):
            for name, call in calls.items():
                times[name].append(timed(call))
        everyone, alone = (statistics.median(times[n]) for n in ("all", "alone"))
        out[label] = {"all_ms": everyone, "alone_ms": alone, "ratio": everyone / alone}
    for s in targets.values():
        s.db.engine.dispose()
    return out


def chart(url: str, repeat: int) -> dict[str, float]:
    """One chart of the largest group's summary, against a bare figure of the same size."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bot.summary import chart as summary_chart
    from bot.summary.service import compute, last_week

    s = services_on(url)
    year, week = last_week(sd.NOW, sd.TZ)
    with s.db.unit_of_work(read_only=True) as uow:
        group = uow.groups.get(1)
        summary = compute(uow, group, year, week, now=sd.NOW)
    s.db.engine.dispose()

    def product() -> bytes:
        return summary_chart.render_chart(
            summary, "sv", group_name="EST 0001", produced=sd.NOW.date()
        )

    def bare() -> bytes:
        figure = Figure(figsize=(summary_chart.WIDTH, summary_chart.HEIGHT), dpi=summary_chart.DPI)
        FigureCanvasAgg(figure)
        figure.add_subplot().bar(range(20), range(20))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()

    product(), bare()
    mine = statistics.median(timed(product) for _ in range(repeat))
    base = statistics.median(timed(bare) for _ in range(repeat))
    return {"chart_ms": mine, "bare_ms": base, "ratio": mine / base, "png_bytes": len(product())}


class CountingTransport:
    """Takes every message at once (no HTTP): what is left is the bot's own cost."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.lock = threading.Lock()

    def send(self, recipient: str, note: Any, *, language: str | None = None) -> str:
        with self.lock:
            self.sent[type(note).__name__] += 1
            n = sum(self.sent.values())
        return f"1700000000.{n:06d}"


def sweep(url: str, groups: int, db: Database) -> dict[str, Any]:
    """Planning and sending at Monday 08:00 for ``groups`` groups, per group."""
    from bot.clock import PREFETCH, PREPARERS, SCHEDULED
    from bot.delivery import OutboxSender
    from bot.summary.notifications import SummaryOutbox

    plan_ms: dict[str, float] = {}
    for scheduled in SCHEDULED:
        name = scheduled.kinds.__name__
        began = time.perf_counter()
        scheduled.plan(db, now=sd.NOW)
        plan_ms[name] = (time.perf_counter() - began) * 1000
    planned = int(scalar(url, "SELECT count(*) FROM outbox"))
    execute(url, f"UPDATE outbox SET status = 'cancelled' WHERE kind = '{SummaryOutbox.CHART}'")
    transport = CountingTransport()
    sender = OutboxSender(db, transport, PREPARERS, worker="bench", prefetch=PREFETCH)
    at = sd.NOW + timedelta(minutes=30)
    began = time.perf_counter()
    while sender.sweep(now=at, limit=200).claimed:
        pass
    send_ms = (time.perf_counter() - began) * 1000
    plan_total = sum(plan_ms.values())
    return {
        "groups": groups,
        "planned": planned,
        "sent": dict(transport.sent),
        "plan_ms": plan_ms,
        "plan_ms_per_group": plan_total / groups,
        "send_ms_per_group": send_ms / groups,
    }


def warm_sweeps(urls: dict[int, str], rounds: int) -> list[dict[str, Any]]:
    """Each size's sweep ``rounds`` times, the sizes interleaved round by round, after one
    warm-up each (the first sweep in a process also pays for what is done once: statement
    caches, connections, imports, which would make the smallest size look dearest per group);
    per size the run with the median sending cost, with every round's figures beside it. One
    engine per size, as a clock keeps its pool."""
    dbs = {n: Database(make_engine(url)) for n, url in urls.items()}
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in urls}
    try:
        for n, url in urls.items():
            sweep(url, n, dbs[n])
            execute(url, *RESET)
        for _ in range(rounds):
            for n, url in urls.items():
                runs[n].append(sweep(url, n, dbs[n]))
                execute(url, *RESET)
    finally:
        for db in dbs.values():
            db.engine.dispose()
    out = []
    for found in runs.values():
        ordered = sorted(found, key=lambda r: r["send_ms_per_group"])
        median = dict(ordered[len(ordered) // 2])
        median["plan_ms_per_group"] = statistics.median(r["plan_ms_per_group"] for r in found)
        median["rounds"] = [
            (round(r["plan_ms_per_group"], 2), round(r["send_ms_per_group"], 2)) for r in found
        ]
        out.append(median)
    return out


# ------------------------------------------------------------------------------ processes


def vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def meeting(url: str, args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    """The meeting hour against two serve processes; p99 ack and answer per kind. Then, on the
    same processes, as many ``hjälp`` alone from the same members: the baseline of the lightest
    command at the load of the moment."""
    groups = min(args.meeting_groups, int(scalar(url, "SELECT count(*) FROM est_group")))
    teams = pairs(url, "SELECT id, slack_team_id FROM est_group")
    kinds = ["lägesbild", "händelser", "quick", "hjälp"]
    with LocalSlack() as slack:
        env = server_env(slack, url, WEB_CONCURRENCY="2", WEB_THREADS="8")
        ports = [free_port(), free_port()]
        with (
            running(
                "serve-a", ["app.py", "serve"], {**env, "PORT": str(ports[0])}, ports[0], logs
            ) as a,
            running(
                "serve-b", ["app.py", "serve"], {**env, "PORT": str(ports[1])}, ports[1], logs
            ) as b,
        ):
            jobs = []
            for g in range(1, groups + 1):
                for n in range(args.meeting_requests):
                    jobs.append((g, kinds[(g + n) % len(kinds)], n))
            results = fire(jobs, ports, teams, slack)
            answers = settle(slack, results)
            load = load_text()
            alone = fire([(g, "hjälp", n) for g, _kind, n in jobs], ports, teams, slack)
            alone_answers = settle(slack, alone)
            memory = {
                "serve_rss_mb": [
                    vm_hwm_mb(pid) for server in (a, b) for pid in children(server.process.pid)
                ]
            }
    by_kind = {kind: figures([r for r in results if r["kind"] == kind], answers) for kind in kinds}
    return {
        "groups": groups,
        "kinds": by_kind,
        "help_alone": figures(alone, alone_answers),
        **memory,
        "load": load,
        "load_help_alone": load_text(),
    }


def figures(mine: list[dict[str, Any]], answers: dict[str, float]) -> dict[str, Any]:
    done = [answers[r["key"]] for r in mine if r["key"] in answers]
    return {
        "requests": len(mine),
        "errors": sum(r["status"] != 200 for r in mine),
        "answered": len(done),
        "ack_p99_s": percentile([r["ack_s"] for r in mine], 0.99),
        "answer_p99_s": percentile(done, 0.99),
    }


def fire(jobs, ports, teams, slack: LocalSlack, threads: int = 32) -> list[dict[str, Any]]:
    import http.client

    lock = threading.Lock()
    queue = list(reversed(jobs))
    results: list[dict[str, Any]] = []

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", ports[index % len(ports)], timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                g, kind, n = queue.pop()
            key = uuid.uuid4().hex[:12]
            words = {"quick": f"händelse Plats {1 + n % 20}; narkotika; Möte {key}"}
            req = sr.slash_command(
                words.get(kind, kind),
                secret=SECRET,
                team_id=teams[g],
                channel_id=f"C{g:06d}",
                user_id=f"U{g:05d}{1 + n % sd.MEMBERS:02d}",
                response_url=slack.response_url(key),
            )
            sent = time.monotonic()
            try:
                conn.request("POST", "/slack/events", body=req.body, headers=req.headers)
                response = conn.getresponse()
                body, status = response.read(), response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", ports[index % len(ports)], 30)
                body, status = b"", 0
            ack = time.monotonic() - sent
            with lock:
                results.append(
                    {
                        "kind": kind,
                        "status": status,
                        "ack_s": ack,
                        "sent": sent,
                        "key": key,
                        "body": len(body.strip(b"{} ")),
                    }
                )
        conn.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


def settle(slack: LocalSlack, results: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds from sending to the answer: the acknowledgement's text, or the response_url."""
    answers = {r["key"]: r["ack_s"] for r in results if r["status"] == 200 and r["body"]}
    waiting = {r["key"]: r for r in results if r["status"] == 200 and not r["body"]}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not set(waiting) <= set(slack.responded_at):
        time.sleep(0.2)
    for key, r in waiting.items():
        if key in slack.responded_at:
            answers[key] = slack.responded_at[key] - r["sent"]
    return answers
