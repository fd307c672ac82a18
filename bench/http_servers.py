"""The HTTP benchmark's processes: start a server, wait for /healthz, stop it however it ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from handlers.local.localslack import LocalSlack

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(slack: LocalSlack, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the e2e tests (tests/e2e/conftest.py), minus any worker settings."""
    env = {
        **os.environ,
        "EST_NO_BOOTSTRAP": "1",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
    }
    for name in ("SLACK_APP_TOKEN", "WEB_CONCURRENCY", "WEB_THREADS", "PORT"):
        env.pop(name, None)
    return {**env, **extra}


@contextmanager
def running(
    name: str, argv: list[str], env: dict[str, str], port: int, logs: Path
) -> Iterator[Server]:
    """Start a server process, wait for GET /healthz, and stop it however the block ends."""
    log = logs / f"{name.replace(' ', '_').replace('/', '_')}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *argv], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(name, port, process, log)
    try:
        wait_healthy(server)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_healthy(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(
                f"{server.name} exited ({server.process.returncode}):\n{server.log_tail()}"
            )
        try:
            url = f"http://127.0.0.1:{server.port}/healthz"
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer /healthz within {timeout:.0f} s")


def load_demo(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "app.py", "demo"], cwd=ROOT, env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.decode("utf-8", "replace").splitlines()[-15:])
        raise RuntimeError(f"python app.py demo exited with {done.returncode}:\n{tail}")
