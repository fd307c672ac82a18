"""The real bot process (`python app.py serve`) against the fake Slack Web API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from storage.db import make_engine, reading
from tests.conftest import BACKENDS, PG_URL

ROOT = Path(__file__).resolve().parents[2]
SECRET = "e2e-signing-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Bot:
    url: str
    slack: LocalSlack
    database_url: str
    process: subprocess.Popen[bytes]

    def post(self, req: sr.SignedRequest) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = sr.post(self.url + "/slack/events", req)
        self.slack.check_ack(body)  # what Slack would make of the answer
        return status, headers, body

    def command(self, text: str, **kwargs: Any) -> dict:
        """What the acknowledgement said (``{}`` when it said nothing, e.g. a form opened)."""
        kwargs.setdefault("response_url", self.slack.response_url())
        status, _headers, body = self.post(sr.slash_command(text, secret=SECRET, **kwargs))
        assert status == 200, body
        return json.loads(body) if body else {}

    def answer(self, text: str, **kwargs: Any) -> dict:
        """The person's answer to a command: in the acknowledgement, or — for what is saved
        after it (an incident waits for the write lock) — posted to the command's response_url."""
        key = uuid.uuid4().hex[:12]
        acknowledged = self.command(text, response_url=self.slack.response_url(key), **kwargs)
        return acknowledged or self.slack.wait_for_response(key)

    def engine(self) -> Engine:
        return make_engine(self.database_url)

    def scalar(self, sql: str) -> Any:
        engine = self.engine()
        try:
            with reading(engine).connect() as conn:
                return conn.execute(text(sql)).scalar()
        finally:
            engine.dispose()


def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'e2e.db'}"
        return
    assert PG_URL
    name = f"est_e2e_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL, on SQLite and (marked) on PostgreSQL, dropped afterwards."""
    databases = _database(request.param, tmp_path)
    url = next(databases)
    yield url
    next(databases, None)


def start_bot(database_url: str, slack: LocalSlack, **env: str) -> Bot:
    port = free_port()
    environment = {
        **os.environ,
        "EST_NO_BOOTSTRAP": "1",
        "SLACK_BOT_TOKEN": "xoxb-e2e",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        **env,
    }
    environment.pop("SLACK_APP_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "serve"], cwd=ROOT, env=environment
    )
    bot = Bot(f"http://127.0.0.1:{port}", slack, database_url, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(bot.url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return bot
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("serve did not answer /healthz within 30 s")


@pytest.fixture(scope="module", params=BACKENDS)
def bot(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    databases = _database(request.param, tmp_path_factory.mktemp("e2e"))
    database_url = next(databases)
    with LocalSlack() as slack:
        running = start_bot(database_url, slack)
        try:
            yield running
        finally:
            running.process.terminate()
            running.process.wait(timeout=15)
    next(databases, None)


@pytest.fixture
def slack(bot: Bot) -> Iterator[LocalSlack]:
    """The bot's fake Slack, cleared; the test fails if Slack would refuse what the bot sent."""
    bot.slack.clear()
    yield bot.slack
    bot.slack.assert_accepted()
