"""The reporters' web form served by the real `python app.py serve`: an admin makes a link in
Slack, a reporter outside Slack sends a report over HTTP, the group's data holds it."""

from __future__ import annotations

import re
import select
import socket
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import NullNotifier
from bot.services import Services
from storage.db import Database
from tests.e2e.conftest import Bot


def fetch(url: str, fields: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_a_link_made_in_slack_takes_a_report_over_http(bot: Bot) -> None:
    engine = bot.engine()
    services = Services.build(Database(engine), NullNotifier())
    load_demo(services.db, services.groups, now=datetime.now(UTC))
    engine.dispose()
    answer = bot.answer(
        "rapportör länk Nattvandrarna Fittja Botkyrkabyggen",
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0ANNA",
    )
    path = re.search(r"`(/rapportera/[\w-]+)`", answer["text"])
    assert path, answer
    url = bot.url + path.group(1)
    status, page, headers = fetch(url)
    assert status == 200 and "Rapportera en händelse" in page
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    fields = {
        "csrf": token.group(1),
        "plats": "Fittja c",
        "kategori": "klotter",
        "nar": "",
        "vad": "Klotter på <script>alert(1)</script>",
    }
    status, saved, _ = fetch(url, fields)
    assert status == 201 and "Fittja centrum" in saved
    assert "<script>" not in saved and "&lt;script&gt;" in saved
    reporter = bot.scalar("SELECT reporter_user_id FROM incident ORDER BY id DESC LIMIT 1")
    assert str(reporter).startswith("webb:")
    org = bot.scalar(
        "SELECT o.name FROM incident i JOIN organisation o ON o.id = i.organisation_id "
        "ORDER BY i.id DESC LIMIT 1"
    )
    assert org == "Botkyrkabyggen"
    assert fetch(bot.url + "/rapportera/gissad")[0] == 404
    bot.answer(
        "rapportör återkalla 1", team_id=DEMO_TEAM, channel_id=DEMO_CHANNEL, user_id="U0ANNA"
    )
    assert fetch(url)[0] == 410


def _link(bot: Bot, name: str) -> str:
    """A reporting link made in Slack (the demo group loaded first if it is not there yet)."""
    if not bot.scalar("SELECT count(*) FROM est_group"):
        engine = bot.engine()
        services = Services.build(Database(engine), NullNotifier())
        load_demo(services.db, services.groups, now=datetime.now(UTC))
        engine.dispose()
    answer = bot.answer(
        f"rapportör länk {name} Botkyrkabyggen",
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0ANNA",
    )
    path = re.search(r"`(/rapportera/[\w-]+)`", answer["text"])
    assert path, answer
    return path.group(1)


def _form(bot: Bot, name: str) -> tuple[str, dict[str, str]]:
    """A new reporting link's path and its form's fields (a fresh csrf token, a place at
    Fittja, klotter, no time), the description left for the test to write."""
    path = _link(bot, name)
    status, page, _ = fetch(bot.url + path)
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert status == 200 and token
    return path, {"csrf": token.group(1), "plats": "Fittja c", "kategori": "klotter", "nar": ""}


def _chunked(bot: Bot, path: str, chunks: list[bytes], *, end: bool = True) -> tuple[int, str]:
    """A POST with `Transfer-Encoding: chunked` and no Content-Length, over a raw socket with
    a timeout (so a server that waited for more would fail the test, not hang it); ``end``:
    whether the last, empty chunk is sent — without it the client stalls after its chunks."""
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        for chunk in chunks:
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        if end:
            sock.sendall(b"0\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer or not _complete(answer):
            part = sock.recv(65536)  # socket.timeout after 10 s: the server hung
            if not part:
                break
            answer += part
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2].decode(errors="replace")


def _complete(answer: bytes) -> bool:
    head, _sep, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?i)content-length: *(\d+)", head)
    return length is not None and len(body) >= int(length.group(1))


def test_a_chunked_form_without_a_length_is_read_to_the_limit_and_no_further(bot: Bot) -> None:
    path, fields = _form(bot, "Chunkad Fittja")
    body = urllib.parse.urlencode(fields | {"vad": "Klotter vid entrén"}).encode()
    before = bot.scalar("SELECT count(*) FROM incident")
    # a small form in chunks is an ordinary form: saved
    status, saved = _chunked(bot, path, [body[:40], body[40:]])
    assert status == 201 and "Fittja centrum" in saved, saved
    assert bot.scalar("SELECT count(*) FROM incident") == before + 1
    # 20 KiB in 4 KiB chunks (the limit is 16 KiB): the Swedish refusal, nothing saved
    big = urllib.parse.urlencode(fields | {"vad": "x" * 20_000}).encode()
    pieces = [big[i : i + 4096] for i in range(0, len(big), 4096)]
    status, page = _chunked(bot, path, pieces)
    assert status == 413 and "Rapporten är för stor. Korta texten och försök igen." in page
    # the same, and the client then stalls without the last chunk: answered, not waited for
    status, page = _chunked(bot, path, pieces, end=False)
    assert status == 413 and "Rapporten är för stor" in page
    # the feedback page's form is held to the same limit
    status, page = _chunked(bot, path + "/aterkoppling", pieces)
    assert status == 413 and "Rapporten är för stor" in page
    assert bot.scalar("SELECT count(*) FROM incident") == before + 1
    # and the server still answers everyone else
    assert fetch(bot.url + path)[0] == 200


def _stall(bot: Bot, path: str, body: bytes) -> socket.socket:
    """A POST whose headers promise ``body`` but which sends only its first half, then stops
    (the socket stays open; its timeout is generous, so a server that never answers fails the
    test instead of hanging it)."""
    host, port = bot.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    sock.sendall(head.encode() + body[: len(body) // 2])
    return sock


def _answer_of(sock: socket.socket) -> tuple[int, str]:
    answer = b""
    with sock:
        while not _complete(answer):
            part = sock.recv(65536)  # socket.timeout after 60 s: the server never answered
            if not part:
                break
            answer += part
    return int(answer.split(b" ", 2)[1]), answer.partition(b"\r\n\r\n")[2].decode()


def test_stalled_clients_get_408_and_hold_no_one_else_up(bot: Bot) -> None:
    path, fields = _form(bot, "Långsam Fittja")
    body = urllib.parse.urlencode(fields | {"vad": "Klotter vid entrén " * 40}).encode()
    before = bot.scalar("SELECT count(*) FROM incident")
    stalled = [_stall(bot, path, body) for _ in range(3)]
    slack_stalled = _stall(bot, "/slack/events", b"token=x&team_id=T1&command=%2Fest&text=" * 20)
    # while the three wait with half their forms, everyone else is answered
    with urllib.request.urlopen(bot.url + "/healthz", timeout=30) as health:
        assert health.status == 200 and b'"status":"ok"' in health.read().replace(b" ", b"")
    answer = bot.answer("hjälp", team_id=DEMO_TEAM, channel_id=DEMO_CHANNEL, user_id="U0ANNA")
    assert answer["text"] == "Hjälp för EST-bot"  # the help, in Swedish
    # and each stalled form is given up: 408 with the Swedish page, nothing saved
    for sock in stalled:
        status, page = _answer_of(sock)
        assert status == 408
        assert "Rapporten slutade komma fram innan den var hel, så inget sparades." in page
    assert _answer_of(slack_stalled)[0] == 408  # Slack's path has the same deadline
    assert bot.scalar("SELECT count(*) FROM incident") == before
    # the same form sent whole afterwards is saved as usual
    assert fetch(bot.url + path, fields | {"vad": "Klotter vid entrén"})[0] == 201


def test_a_form_trickled_a_byte_at_a_time_is_given_up_too(bot: Bot) -> None:
    path, fields = _form(bot, "Droppande Fittja")
    body = urllib.parse.urlencode(fields | {"vad": "Klotter vid entrén " * 40}).encode()
    before = bot.scalar("SELECT count(*) FROM incident")
    sock = _stall(bot, path, body)
    rest, answered = body[len(body) // 2 :], False
    for byte in range(len(rest)):  # one byte whenever nothing has come back for 0.5 s
        if select.select([sock], [], [], 0.5)[0]:
            answered = True
            break
        sock.sendall(rest[byte : byte + 1])
    assert answered  # before the whole body was sent: a byte every 0.5 s is ~4 minutes
    status, page = _answer_of(sock)
    assert status == 408 and "inget sparades" in page
    assert bot.scalar("SELECT count(*) FROM incident") == before
