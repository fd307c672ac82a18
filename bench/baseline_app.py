"""The benchmark's baseline: a minimal Bolt app whose `/est` listener only calls ``ack()``.

Served exactly like `python app.py serve` (Flask + `handlers.server.GunicornServer`, gthread
workers, the same gunicorn options), so the difference to the bot is what the bot does per
command: its middleware, the router, one database lookup and the help blocks.

    python bench/baseline_app.py --port 3001 --secret S --api-url http://127.0.0.1:PORT/api/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `handlers` importable
    sys.path.insert(0, str(ROOT))

DEFAULT_WORKERS = 2  # what `app.serve` uses without WEB_CONCURRENCY
DEFAULT_THREADS = 8  # ... and without WEB_THREADS


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The options `app.serve` passes to gunicorn."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 10,
        "loglevel": "warning",
        "accesslog": None,
    }


def create_bolt(secret: str, api_url: str, *, process_before_response: bool = False) -> Any:
    """A Bolt app whose `/est` listener only acknowledges."""
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    bolt = App(
        client=WebClient(token="xoxb-bench", base_url=api_url, timeout=10),
        signing_secret=secret,
        token_verification_enabled=False,
        process_before_response=process_before_response,
    )

    @bolt.command("/est")
    def est(ack: Ack) -> None:
        ack()

    return bolt


def create_app(secret: str, api_url: str) -> Any:
    """A Flask app with the bot's two routes around the no-op Bolt app."""
    from flask import Flask, Response, jsonify, request
    from slack_bolt.adapter.flask.handler import to_bolt_request, to_flask_response

    from handlers.server import MAX_BODY_BYTES

    bolt = create_bolt(secret, api_url)
    flask = Flask("est-bench-baseline")
    flask.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @flask.post("/slack/events")
    def slack_events() -> Response:
        return to_flask_response(bolt.dispatch(to_bolt_request(request)))

    @flask.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    return flask


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True, help="the Slack signing secret")
    parser.add_argument("--api-url", required=True, help="base URL of the (fake) Slack Web API")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    args = parser.parse_args(argv)

    from handlers.server import GunicornServer

    options = gunicorn_options(args.host, args.port, args.workers, args.threads)
    GunicornServer(lambda: create_app(args.secret, args.api_url), options).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
