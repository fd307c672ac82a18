"""`serve` installed in several workspaces: the OAuth install link, states and tokens in the
bot's own database, over real HTTP."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation

from handlers.installations import installation_store
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from storage.db import make_engine
from tests.e2e.conftest import Bot, start_bot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def oauth_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('oauth')) / 'oauth.db'}"
    with LocalSlack() as slack:
        bot = start_bot(
            url,
            slack,
            SLACK_BOT_TOKEN="",
            SLACK_CLIENT_ID="1111.2222",
            SLACK_CLIENT_SECRET="client-secret",
        )
        try:
            yield bot
        finally:
            bot.process.terminate()
            bot.process.wait(timeout=15)


def test_the_install_link_stores_its_state_in_our_database(oauth_bot: Bot) -> None:
    with urllib.request.urlopen(oauth_bot.url + "/slack/install", timeout=10) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "client_id=1111.2222" in page and "scope=commands,chat:write" in page
    assert oauth_bot.scalar("SELECT count(*) FROM slack_oauth_states") == 1


def test_a_workspace_is_served_once_installed_with_its_own_token(oauth_bot: Bot) -> None:
    slack = oauth_bot.slack
    slack.clear()
    oauth_bot.command("inställningar", team_id="T0NY", channel_id="C0NY", user_id="U0NY")
    deadline = time.monotonic() + 5
    while not slack.response_urls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "inte installerat" in slack.response_urls[0][1]["text"]
    engine = make_engine(oauth_bot.database_url)
    installation_store("1111.2222", engine).save(
        Installation(
            app_id="AEST",
            enterprise_id=None,
            team_id="T0NY",
            bot_token="xoxb-ny",
            bot_id="BNY",
            bot_user_id="UBOT",
            user_id="U0NY",
        )
    )
    engine.dispose()
    assert (
        oauth_bot.command("inställningar", team_id="T0NY", channel_id="C0NY", user_id="U0NY") == {}
    )
    [opened] = slack.wait_for("views.open")
    assert opened.token == "xoxb-ny"
    status, _h, _b = oauth_bot.post(sr.slash_command("hjälp", secret="wrong", team_id="T0NY"))
    assert status == 401
