"""HTTP benchmark: signed `/est hjälp` against `python app.py serve`, beside a no-op Bolt baseline.

    python bench/http_bench.py [--requests 2000] [--concurrency 1,8,32]
                               [--workers N --threads N] [--new-connections]
                               [--compare-servers] [--experiments]

Starts the fake Slack Web API (`handlers.local.localslack.LocalSlack`), a fresh SQLite database with
the demo data, the bot (`python app.py serve`, gunicorn gthread) and the baseline
(`bench/baseline_app.py`: a Bolt app whose `/est` listener only acks, served the same way), then
fires freshly signed slash commands from the demo admin (team T0EST, channel C0EST, user U0ANNA)
at each concurrency level, bot and baseline interleaved. Prints p50, p99, throughput, the
bot/baseline ratios, and PASS/FAIL for the goal: at concurrency 32 the bot's p99 is at most
1.5 × the baseline's and under 300 ms, with no errors. Exits 0 on FAIL too (it is a report);
non-zero only when something crashed. Traffic goes only to 127.0.0.1.

``--compare-servers`` then serves the bot's own app under other servers (werkzeug, one thread or a
thread per request; gunicorn with one thread per worker). ``--experiments`` adds a target labelled
EXPERIMENT (`bench/memo_serve.py`: the bot with its member lookup and help memoised) to bound what
caching could gain; the bot's own figures and the verdict always measure the product as it is.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `handlers` importable
    sys.path.insert(0, str(ROOT))

from bench.http_load import WARMUP, Result, measure, sanity_check  # noqa: E402
from bench.http_servers import SECRET, Server, free_port, load_demo, running, server_env  # noqa: E402
from handlers.local.localslack import LocalSlack  # noqa: E402

GROUP_NAME = "EST Botkyrka"  # the help names the group: proof that the member lookup found it
GOAL_LEVEL, GOAL_RATIO, GOAL_P99_MS = 32, 1.5, 300.0
MEMO = "EXPERIMENT memoised"  # bench/memo_serve.py: only with --experiments


# ------------------------------------------------------------------------------------ report


def progress(r: Result) -> None:
    line = f"  {r.target} c{r.concurrency}: p99 {r.p99_ms:.1f} ms, {r.throughput:.0f} req/s"
    print(line, flush=True)


def print_results(results: list[Result]) -> None:
    print("| target | concurrency | requests | errors | p50 ms | p99 ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.target} | {r.concurrency} | {r.requests} | {r.errors} "
            f"| {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.throughput:.0f} |"
        )
    for r in results:
        if r.errors:
            print(f"  {r.target} c{r.concurrency}: answers {r.statuses}")


def print_ratios(results: list[Result], name: str, reference: str) -> None:
    by_key = {(r.target, r.concurrency): r for r in results}
    print(f"\n| concurrency | p99 {name}/{reference} | throughput {name}/{reference} |")
    print("|---:|---:|---:|")
    for (target, level), r in by_key.items():
        base = by_key.get((reference, level))
        if target == name and base is not None:
            p99, rate = r.p99_ms / base.p99_ms, r.throughput / base.throughput
            print(f"| {level} | {p99:.2f}× | {rate:.2f}× |")


def verdict(results: list[Result]) -> str:
    by_key = {(r.target, r.concurrency): r for r in results}
    bot, base = by_key.get(("bot", GOAL_LEVEL)), by_key.get(("baseline", GOAL_LEVEL))
    if bot is None or base is None:
        return f"goal not evaluated (concurrency {GOAL_LEVEL} was not run)"
    ratio = bot.p99_ms / base.p99_ms
    errors = sum(r.errors for r in results)
    checks = [
        (ratio <= GOAL_RATIO, f"p99 ratio {ratio:.2f}× ≤ {GOAL_RATIO}×"),
        (bot.p99_ms < GOAL_P99_MS, f"p99 {bot.p99_ms:.1f} ms < {GOAL_P99_MS:.0f} ms"),
        (errors == 0, f"errors {errors} = 0"),
    ]
    marks = "; ".join(f"{text} {'ok' if ok else 'NOT MET'}" for ok, text in checks)
    return (
        f"{'PASS' if all(ok for ok, _ in checks) else 'FAIL'} at concurrency {GOAL_LEVEL}: {marks}"
    )


# -------------------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per run")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated levels")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY for both (default: app's)")
    parser.add_argument("--threads", type=int, help="WEB_THREADS for both (default: app's)")
    parser.add_argument(
        "--new-connections", action="store_true", help="a new TCP connection per request"
    )
    parser.add_argument(
        "--compare-servers",
        action="store_true",
        help="also serve the bot with werkzeug (single-threaded / threaded) and gunicorn 2×1",
    )
    parser.add_argument(
        "--experiments",
        action="store_true",
        help=f"also measure '{MEMO}': the bot with the member lookup and help memoised",
    )
    args = parser.parse_args(argv)
    args.levels = [int(level) for level in args.concurrency.split(",") if level.strip()]
    if args.requests < 1 or not args.levels or min(args.levels) < 1:
        parser.error("--requests and every --concurrency level must be at least 1")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the servers started below are stopped on the way out
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(128 + signal.SIGTERM))
    keepalive = not args.new_connections
    worker_env = {"WEB_CONCURRENCY": str(args.workers)} if args.workers else {}
    worker_env |= {"WEB_THREADS": str(args.threads)} if args.threads else {}
    sizing = [f"--workers={args.workers}"] if args.workers else []
    sizing += [f"--threads={args.threads}"] if args.threads else []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="est-bench-")))
        slack = stack.enter_context(LocalSlack())
        response_url = slack.response_url("bench")
        env = server_env(slack, f"sqlite:///{tmp / 'bench.db'}")
        load_demo(env)

        def launch(
            name: str, argv: list[str], extra: dict[str, str] | None = None
        ) -> AbstractContextManager[Server]:
            port = free_port()
            process_env = {**env, "PORT": str(port), **worker_env, **(extra or {})}
            argv = [arg.replace("{port}", str(port)) for arg in argv]
            return running(name, argv, process_env, port, tmp)

        bot = stack.enter_context(launch("bot", ["app.py", "serve"]))
        baseline_argv = ["bench/baseline_app.py", "--port={port}", f"--secret={SECRET}"]
        baseline_argv += [f"--api-url={slack.api_url}", *sizing]
        baseline = stack.enter_context(launch("baseline", baseline_argv))
        targets = [bot, baseline]
        if args.experiments:
            targets.append(stack.enter_context(launch(MEMO, ["bench/memo_serve.py"])))
        for server in targets:
            sanity_check(server, response_url, None if server is baseline else GROUP_NAME)
        print(
            f"{args.requests} signed `/est hjälp` per run (+{WARMUP} warm-up), "
            f"{'keep-alive' if keepalive else 'new connection per request'}, "
            f"workers={args.workers or 'app default'}, threads={args.threads or 'app default'}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n",
            flush=True,
        )
        results: list[Result] = []
        for level in args.levels:
            for server in targets:
                results.append(measure(server, args.requests, level, response_url, keepalive))
                progress(results[-1])
        print()
        print_results(results)
        print_ratios(results, "bot", "baseline")
        if args.experiments:
            print_ratios(results, MEMO, "baseline")
        print("\n" + verdict(results))
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        if args.compare_servers:
            compare_servers(launch, args, results, response_url, keepalive)
        calls = Counter(call.method for call in slack.calls)
        print(f"\nfake Slack Web API calls during the benchmark: {dict(calls) or 'none'}")
    return 0


def compare_servers(
    launch: Callable[..., AbstractContextManager[Server]],
    args: argparse.Namespace,
    results: list[Result],
    response_url: str,
    keepalive: bool,
) -> None:
    """The same bot under other servers, one at a time, against this run's gunicorn figures."""
    others = [
        ("werkzeug 1 thread", ["bench/dev_server.py", "--port={port}"], None),
        ("werkzeug threaded", ["bench/dev_server.py", "--port={port}", "--threaded"], None),
        ("gunicorn 2×1", ["app.py", "serve"], {"WEB_CONCURRENCY": "2", "WEB_THREADS": "1"}),
    ]
    compared = [r for r in results if r.target == "bot"]
    print("\nServer comparison (the bot's own app; 'bot' is gunicorn gthread as configured above)")
    for name, argv, extra in others:
        with launch(name, argv, extra) as server:
            sanity_check(server, response_url, GROUP_NAME)
            for level in args.levels:
                compared.append(measure(server, args.requests, level, response_url, keepalive))
                progress(compared[-1])
    print()
    print_results(compared)
    for name, _argv, _extra in others:
        print_ratios(compared, name, "bot")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
