"""Installation in several workspaces through OAuth, with slack_sdk's SQLAlchemy stores.

The installations and the OAuth states live in the bot's own database (tables created by the
migrations, see storage/oauth_tables.py). Bolt finds each request's bot token in the store; the
notifier and the clock's sender, which act outside a request, use ``TeamClients`` to reach the
right workspace. Without SLACK_CLIENT_ID the bot runs as before, on one SLACK_BOT_TOKEN.

Enterprise Grid: a workspace installed on its own inside an organisation is stored with both
ids (enterprise and team); an installation for the whole organisation (``is_enterprise_install``)
with the enterprise only. ``TeamClients`` finds either from the team alone; for the second it
needs the team's organisation, which ``OrgTeams`` notes from the requests as they arrive.
"""

from __future__ import annotations

import threading
from datetime import datetime

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.timekeeping import monotonic
from storage.oauth_tables import BOTS, INSTALLATIONS, OAUTH_STATES
from storage.workspaces import enterprise_of, note_enterprise

# what manifest.yml asks for; the install link asks for the same
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
    "team:read",
)
CACHE_SECONDS = 60.0


def installation_store(client_id: str, engine: Engine) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(
        client_id=client_id,
        engine=engine,
        bots_table_name=BOTS,
        installations_table_name=INSTALLATIONS,
    )


def oauth_settings(client_id: str, client_secret: str, engine: Engine) -> OAuthSettings:
    """``/slack/install`` and ``/slack/oauth_redirect``; states expire after ten minutes."""
    return OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installation_store(client_id, engine),
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=600, engine=engine, table_name=OAUTH_STATES
        ),
    )


class NotInstalled(LookupError):
    """No bot token for this workspace (never installed, or uninstalled)."""


class TeamClients:
    """A WebClient with the bot token of a workspace, looked up in the installation store."""

    def __init__(self, store: SQLAlchemyInstallationStore, template: WebClient) -> None:
        self.store = store
        self.template = template  # base_url, timeout and retry handlers to copy
        self._cache: dict[str, tuple[WebClient, float]] = {}
        self._lock = threading.Lock()

    def __call__(self, team_id: str) -> WebClient:
        with self._lock:
            cached = self._cache.get(team_id)
            if cached is not None and monotonic() - cached[1] < CACHE_SECONDS:
                return cached[0]
        bot = find_bot(self.store, team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        client = WebClient(
            token=bot.bot_token,
            base_url=self.template.base_url,
            timeout=self.template.timeout,
            retry_handlers=self.template.retry_handlers,
        )
        with self._lock:
            self._cache[team_id] = (client, monotonic())
        return client


def find_bot(store: SQLAlchemyInstallationStore, team_id: str) -> Bot | None:
    """The bot of a workspace, also inside an Enterprise Grid organisation: installed in the
    workspace alone (enterprise and team ids) or for the whole organisation (enterprise only)."""
    bot = store.find_bot(enterprise_id=None, team_id=team_id)
    if bot is not None:
        return bot
    enterprise = enterprise_of(store.engine, team_id, client_id=store.client_id)
    if enterprise is None:
        return None
    return store.find_bot(enterprise_id=enterprise, team_id=team_id) or store.find_bot(
        enterprise_id=enterprise, team_id=None, is_enterprise_install=True
    )


class OrgTeams:
    """Notes which organisation a workspace belongs to when a request comes from it through an
    installation for the whole organisation; once per workspace and process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._known: set[tuple[str, str]] = set()

    def seen(self, *, enterprise_id: str | None, team_id: str | None, now: datetime) -> None:
        if not enterprise_id or not team_id or (team_id, enterprise_id) in self._known:
            return
        note_enterprise(self.engine, team_id, enterprise_id, now=now)
        self._known.add((team_id, enterprise_id))
