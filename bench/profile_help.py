"""Where one `/est hjälp` spends its time, in-process (no HTTP, no gunicorn, no ack polling).

    python bench/profile_help.py [--requests 2000] [--profile]

Builds the bot's Bolt app as `app.build_bolt` does (with ``process_before_response=True``, so
the listener runs on the calling thread and Bolt's 10 ms ack polling is out of the picture) on a
fresh SQLite database with the demo data, and the baseline's no-op app, then times per request:
the whole Bolt dispatch of each, the bot's parts (member lookup, help blocks) alone, and, as
EXPERIMENTS patched into this process only, the bot's dispatch with the member lookup and then
also the help blocks memoised. ``--profile`` adds a cProfile of the bot's dispatch.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `app`, `bot`, `handlers` importable
    sys.path.insert(0, str(ROOT))

from bench.baseline_app import create_bolt  # noqa: E402
from bench.http_load import CHANNEL, TEAM, USER, new_request  # noqa: E402
from bench.http_servers import SECRET  # noqa: E402


def per_call_us(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    """(median, p99) microseconds per call over ``n`` calls."""
    times = []
    for _ in range(n):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    times.sort()
    return statistics.median(times) * 1e6, times[int(0.99 * (n - 1))] * 1e6


def report(name: str, fn: Callable[[], Any], n: int) -> None:
    for _ in range(50):  # warm-up
        fn()
    median, p99 = per_call_us(fn, n)
    print(f"| {name} | {median:.0f} | {p99:.0f} |", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    from slack_bolt.request import BoltRequest

    import app as composition
    from bot.demo.workspace import load_demo
    from bot.i18n import translator
    from handlers.bolt import build_app
    from handlers.commands import router as router_module
    from handlers.commands.blocks import build_help
    from handlers.commands.router import Router
    from handlers.local.localslack import LocalSlack
    from handlers.notifier import SlackNotifier

    with tempfile.TemporaryDirectory(prefix="est-profile-") as tmp, LocalSlack() as slack:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'profile.db'}",
        }
        settings = composition.read_settings(env)
        client = composition.slack_client(settings)
        services = composition.build_services(settings, SlackNotifier(client))
        load_demo(services.db, services.groups, now=datetime.now(UTC))
        bot = build_app(
            services=services,
            client=client,
            signing_secret=SECRET,
            default_language="sv",
            process_before_response=True,
        )
        noop = create_bolt(SECRET, slack.api_url, process_before_response=True)
        response_url = slack.response_url("profile")

        def dispatch(app: Any) -> Callable[[], Any]:
            def once() -> Any:
                req = new_request(response_url)
                headers: dict[str, Any] = dict(req.headers)
                response = app.dispatch(BoltRequest(body=req.body.decode(), headers=headers))
                assert response.status == 200, response.body
                return response

            return once

        tr = translator("sv")
        routes = Router().routes
        parts: list[tuple[str, Callable[[], Any]]] = [
            ("baseline: Bolt dispatch, no-op ack", dispatch(noop)),
            ("bot: Bolt dispatch of /est hjälp", dispatch(bot)),
            ("bot part: groups.locate (DB)", lambda: services.groups.locate(TEAM, CHANNEL, USER)),
            ("bot part: build_help (Block Kit)", lambda: build_help(tr, routes, group_name="G")),
            ("either: sign a request", lambda: new_request(response_url)),
        ]
        print(f"{args.requests} calls each, one thread, in-process\n")
        print("| step | median µs | p99 µs |")
        print("|---|---:|---:|")
        for name, fn in parts:
            report(name, fn, args.requests)

        # EXPERIMENTS, in this process only: how much of the dispatch the two parts are
        actor = services.groups.locate(TEAM, CHANNEL, USER)
        helps: dict[tuple[str, str | None], Any] = {}

        def memo_help(tr: Any, available: Any, *, group_name: str | None) -> Any:
            key = (tr.language, group_name)
            if key not in helps:
                helps[key] = build_help(tr, available, group_name=group_name)
            return helps[key]

        with patch.object(services.groups, "locate", lambda *_: actor):
            report("EXPERIMENT bot dispatch, locate memoised", dispatch(bot), args.requests)
            with patch.object(router_module, "build_help", memo_help):
                name = "EXPERIMENT bot dispatch, locate and help memoised"
                report(name, dispatch(bot), args.requests)
        if args.profile:
            profiler = cProfile.Profile()
            once = dispatch(bot)
            profiler.enable()
            for _ in range(args.requests):
                once()
            profiler.disable()
            print()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        services.db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
