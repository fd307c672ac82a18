"""The reporters' web form served by the real `python app.py serve`: an admin makes a link in
Slack, a reporter outside Slack sends a report over HTTP, the group's data holds it."""

from __future__ import annotations

import re
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
