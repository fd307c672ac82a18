"""Reporters' web form benchmark: a report sent over HTTP against the bare health check.

    .venv/bin/python bench/reporting_bench.py [--reports 300]

Builds a fresh SQLite file database in a temp dir (Alembic migrations, the demo group), serves
the web process's Flask app (the same `create_wsgi_app` `serve` runs) on 127.0.0.1 with
werkzeug in a thread, and times, interleaved in the same run:

- the baseline: `GET /healthz` twice (a database ping each, no form),
- a report: `GET /rapportera/<token>` (the form, with its CSRF token and the place list) then
  `POST` of a filled-in form (rate count, CSRF check, place matching, time parsing, the
  personal-data guard, the incident with its version and audit event, the confirmation).

One link is made per 10 reports so the per-link rate limit (30 requests per 10 minutes) is not
what is measured. Prints p50/p95 in ms for both, and the ratio of the report's p95 to the
baseline's. Exits 0 (a report, not a test).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slack_bolt import App  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo  # noqa: E402
from bot.notifier import RecordingNotifier  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.timekeeping import FixedClock  # noqa: E402
from handlers.server import create_wsgi_app  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PLACES = ["Fittja centrum", "fittja torg", "Albys hjärta", "Tumba station", "Hallunda centrum"]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode()


def _post(url: str, fields: dict[str, str]) -> int:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as answer:
        answer.read()
        return int(answer.status)


def _ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000


def run(url: str, reports: int) -> tuple[list[float], list[float]]:
    db = Database(make_engine(url))
    upgrade(db.engine)
    clock = FixedClock(NOW)
    services = Services.build(db, RecordingNotifier(), clock)
    load_demo(db, services.groups, now=datetime(2026, 11, 2, tzinfo=UTC))
    admin = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    tokens = [
        services.reporters.create(admin, f"Rapportör {n}", now=NOW).token
        for n in range(reports // 10 + 1)
    ]
    bolt = App(signing_secret="x" * 32, token="xoxb-bench", token_verification_enabled=False)
    flask = create_wsgi_app(bolt, db, clock=clock, services=services)
    server = make_server("127.0.0.1", 0, flask, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    baseline, report = [], []
    for n in range(reports):
        started = time.perf_counter()
        _get(base + "/healthz")
        _get(base + "/healthz")
        baseline.append(time.perf_counter() - started)
        link = f"{base}/rapportera/{tokens[n // 10]}"
        started = time.perf_counter()
        page = _get(link)
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        fields = {
            "csrf": token.group(1),
            "plats": PLACES[n % len(PLACES)],
            "kategori": "klotter",
            "nar": "igår 21:30",
            "vad": f"Klotter på väggen vid entrén, rapport {n}",
        }
        assert _post(link, fields) == 201
        report.append(time.perf_counter() - started)
    server.shutdown()
    db.engine.dispose()
    return baseline, report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        baseline, report = run(f"sqlite:///{tmp}/bench.db", args.reports)
    b95, r95 = _ms(baseline, 0.95), _ms(report, 0.95)
    print(f"reports over HTTP on SQLite: {args.reports}")
    print(f"  baseline 2× GET /healthz: p50 {_ms(baseline, 0.5):.1f} ms, p95 {b95:.1f} ms")
    print(f"  report GET form + POST:   p50 {_ms(report, 0.5):.1f} ms, p95 {r95:.1f} ms")
    print(f"  ratio p95 report / baseline: {r95 / b95:.1f}×")
    print(f"  mean report {statistics.mean(report) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
