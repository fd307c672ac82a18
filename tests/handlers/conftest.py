"""The Slack edge as Slack reaches it: signed requests into the Flask app that `serve` runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import text as sql
from sqlmodel import SQLModel

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import RecordingNotifier
from bot.services import Services
from bot.timekeeping import FixedClock
from handlers.bolt import build_app
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.server import create_wsgi_app
from storage.db import Database
from tests.conftest import NOW

SECRET = "security-secret"


_LITERAL_KEYS = {"value", "initial_value", "private_metadata", "action_id", "block_id"}


def _formatted(data: Any) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, list):
        return "\n".join(_formatted(d) for d in data)
    if isinstance(data, dict) and data.get("type") != "plain_text":
        return "\n".join(_formatted(v) for k, v in data.items() if k not in _LITERAL_KEYS)
    return ""


@dataclass
class Edge:
    services: Services
    slack: LocalSlack
    client: Any  # flask test client

    def post(self, req: sr.SignedRequest) -> tuple[int, str]:
        response = self.client.post("/slack/events", data=req.body, headers=req.headers)
        self.slack.check_ack(response.get_data())  # what Slack would make of the answer
        return response.status_code, response.get_data(as_text=True)

    def mrkdwn(self, answers: list[str]) -> str:
        """The text Slack would read as mrkdwn: all but plain_text objects and input values."""
        said = [c.args for c in self.slack.calls] + [b for _u, b in self.slack.response_urls]
        said += [json.loads(a) for a in answers if a.startswith("{")]
        return "\n".join(_formatted(s) for s in said)

    def seen(self) -> str:
        """Everything the bot said to anyone: Web API calls and response_url posts."""
        said = [json.dumps(c.args, ensure_ascii=False) for c in self.slack.calls]
        said += [json.dumps(body, ensure_ascii=False) for _url, body in self.slack.response_urls]
        return "\n".join(said)


def edge_of(services: Services, *, process_before_response: bool = True) -> Iterator[Edge]:
    """The Flask app `serve` runs, on ``services``, against a fresh fake Slack. By default the
    listener has run when the answer comes; with False it goes on after the ack, as in `serve`."""
    with LocalSlack() as slack:
        client = WebClient(token="xoxb-unit", base_url=slack.api_url)
        app = build_app(
            services=services,
            client=client,
            signing_secret=SECRET,
            default_language="sv",
            process_before_response=process_before_response,
        )
        yield Edge(services, slack, create_wsgi_app(app, services.db).test_client())


@pytest.fixture
def edge(services: Services) -> Iterator[Edge]:
    yield from edge_of(services)


@pytest.fixture
def demo_edge(db: Database, notifier: RecordingNotifier) -> Iterator[Edge]:
    """The demo group, at the bot's time NOW (Friday 20 November 2026, 22:30 in Stockholm)."""
    services = Services.build(db, notifier, clock=FixedClock(NOW))
    load_demo(db, services.groups, now=NOW)
    yield from edge_of(services)


def demo_command(edge: Edge, text: str, user: str = "U0ERIK") -> tuple[int, str]:
    """`/est <text>` typed by ``user`` (Erik) in the demo channel: the status and what the
    acknowledgement said (its blocks as JSON, unescaped)."""
    req = sr.slash_command(
        text, secret=SECRET, team_id=DEMO_TEAM, channel_id=DEMO_CHANNEL, user_id=user
    )
    status, body = edge.post(req)
    return status, json.dumps(json.loads(body), ensure_ascii=False) if body else ""


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    """Today where the demo group lives: after 23:00 UTC in winter it is already tomorrow."""
    return _now().astimezone(ZoneInfo("Europe/Stockholm")).date()


def fingerprint(services: Services) -> dict[str, list[str]]:
    """Every row of every table, as text: equal fingerprints mean nothing was written."""
    rows: dict[str, list[str]] = {}
    with services.db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            result = conn.execute(sql(f"SELECT * FROM {table.name}"))
            rows[table.name] = sorted(repr(tuple(r)) for r in result)
    return rows


def oauth_http(services: Services, slack: LocalSlack, **extra: Any) -> tuple[Any, Any]:
    """The OAuth-installed app over WSGI, and its installation store (several workspaces)."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from handlers.installations import oauth_settings

    settings = oauth_settings("1111.2222", "client-secret", services.db.engine)
    app = build_app(
        services=services,
        client=WebClient(base_url=slack.api_url),
        signing_secret=SECRET,
        default_language="sv",
        oauth_settings=settings,
        **extra,
    )
    store = settings.installation_store
    assert isinstance(store, SQLAlchemyInstallationStore)
    return create_wsgi_app(app, services.db).test_client(), store


def save_installation(
    store: Any,
    *,
    team: str | None,
    token: str,
    installed_at: datetime,
    enterprise: str | None = None,
) -> None:
    """One workspace's (or, with no team, one Grid organisation's) installation of the bot."""
    from slack_sdk.oauth.installation_store import Installation

    store.save(
        Installation(
            app_id="AEST",
            enterprise_id=enterprise,
            enterprise_name=enterprise and "Stockholms län",
            team_id=team,
            team_name=team and f"Arbetsyta {team}",
            bot_token=token,
            bot_id=f"B{team or 'EST'}",
            bot_user_id="UBOT",
            bot_scopes="commands,chat:write",
            user_id="W0INSTALLER" if enterprise else "U0INSTALLER",
            is_enterprise_install=enterprise is not None and team is None,
            installed_at=installed_at.timestamp(),
        )
    )
