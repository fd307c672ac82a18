"""The HTTP benchmark's load generator: stdlib threads and keep-alive `http.client` connections.

Every request is a freshly signed `/est hjälp` (current timestamp) from the demo admin; latency is
measured with `time.perf_counter` from sending to the end of the answer; anything but 200 counts
as an error. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bench.http_servers import SECRET, Server
from handlers.local import slack_requests as sr

EVENTS = "/slack/events"
TEAM, CHANNEL, USER = "T0EST", "C0EST", "U0ANNA"  # bot/demo/workspace.py: the demo group's admin
WARMUP = 100
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Result:
    target: str
    concurrency: int
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    throughput: float
    statuses: dict[str, int]


class Client:
    """One load client's connection to a bot, opened again when the server closed it (or, with
    ``keepalive`` False, after every request) or the request failed."""

    def __init__(self, port: int, *, keepalive: bool = True) -> None:
        self.port, self.keepalive = port, keepalive
        self.conn: http.client.HTTPConnection | None = None

    def post(self, req: sr.SignedRequest) -> tuple[str, bytes]:
        """The answer's status (or the error's name) and body."""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            self.conn.request("POST", EVENTS, body=req.body, headers=req.headers)
            response = self.conn.getresponse()
            body = response.read()
            if response.will_close or not self.keepalive:
                self.close()
            return str(response.status), body
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return type(error).__name__, b""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def new_request(response_url: str) -> sr.SignedRequest:
    """A freshly signed `/est hjälp` from the demo admin (the timestamp is now)."""
    return sr.slash_command(
        "hjälp",
        secret=SECRET,
        team_id=TEAM,
        channel_id=CHANNEL,
        user_id=USER,
        user_name="anna",
        response_url=response_url,
    )


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (NaN for an empty one)."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def fire(
    port: int, total: int, concurrency: int, build: Callable[[], sr.SignedRequest], keepalive: bool
) -> tuple[list[float], Counter[str], float]:
    """Send ``total`` requests from ``concurrency`` threads; (latencies s, statuses, wall s)."""
    lock = threading.Lock()
    sent = 0
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    start = threading.Barrier(concurrency + 1)

    def take() -> bool:
        nonlocal sent
        with lock:
            if sent >= total:
                return False
            sent += 1
            return True

    def client() -> None:
        mine: list[float] = []
        seen: Counter[str] = Counter()
        connection = Client(port, keepalive=keepalive)
        start.wait()
        while take():
            req = build()
            began = time.perf_counter()
            status, _body = connection.post(req)
            mine.append(time.perf_counter() - began)
            seen[status] += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - began


def measure(
    server: Server, total: int, concurrency: int, response_url: str, keepalive: bool
) -> Result:
    def build() -> sr.SignedRequest:
        return new_request(response_url)

    fire(server.port, WARMUP, concurrency, build, keepalive)
    latencies, statuses, wall = fire(server.port, total, concurrency, build, keepalive)
    if not server.alive():
        raise RuntimeError(f"{server.name} died during the run:\n{server.log_tail()}")
    ordered = sorted(latencies)
    return Result(
        server.name,
        concurrency,
        len(ordered),
        sum(n for status, n in statuses.items() if status != "200"),
        percentile(ordered, 0.50) * 1000,
        percentile(ordered, 0.99) * 1000,
        len(ordered) / wall,
        dict(statuses),
    )


def sanity_check(server: Server, response_url: str, must_contain: str | None) -> None:
    """One request: 200, and for the bot an answer that names the demo group."""
    url = f"http://127.0.0.1:{server.port}{EVENTS}"
    status, _headers, body = sr.post(url, new_request(response_url), timeout=REQUEST_TIMEOUT)
    if status != 200 or (must_contain and must_contain not in body.decode("utf-8", "replace")):
        raise RuntimeError(f"{server.name}: unexpected answer {status}: {body[:300]!r}")
