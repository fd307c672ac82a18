"""Enterprise Grid in OAuth mode: the workspace's token is found from its team id alone, so
what the notifier and the clock send to a Grid workspace is delivered (not dropped as "not
installed"). The installations are shaped like the ones Bolt stores after Slack's OAuth answer:
an organisation's workspace installed on its own has both ids and ``is_enterprise_install``
false; an installation for the whole organisation has ``team: null`` and it true."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.actors import Actor
from bot.groups.notifications import GroupCreated
from bot.services import Services
from handlers.installations import NotInstalled, TeamClients
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.notifier import SlackNotifier
from handlers.transport import SlackTransport
from tests.handlers.conftest import SECRET, oauth_http, save_installation

NOW = datetime.now(UTC)
ORG = "E0STOCKHOLM"


@dataclass
class Grid:
    services: Services
    slack: LocalSlack
    http: object
    store: SQLAlchemyInstallationStore

    def clients(self) -> TeamClients:
        return TeamClients(self.store, WebClient(base_url=self.slack.api_url))

    def group_in(self, team: str, channel: str) -> GroupCreated:
        view = self.services.groups.create_group(
            Actor(team, "U0ANNA", channel),
            name=f"EST {channel}",
            organisation="Kommunen",
            kind="kommun",
            language="sv",
            now=NOW,
        )
        return GroupCreated(view, "U0ANNA")


def _install(store: SQLAlchemyInstallationStore, team: str | None, token: str) -> None:
    save_installation(store, team=team, token=token, installed_at=NOW, enterprise=ORG)


@pytest.fixture
def grid(services: Services) -> Iterator[Grid]:
    with LocalSlack() as slack:
        http, store = oauth_http(services, slack)
        yield Grid(services, slack, http, store)


def test_a_grid_workspace_installed_on_its_own_gets_its_messages(grid: Grid):
    _install(grid.store, "T0BOTKYRKA", "xoxb-botkyrka")
    clients = grid.clients()
    assert clients("T0BOTKYRKA").token == "xoxb-botkyrka"
    note = grid.group_in("T0BOTKYRKA", "C0FITTJA")
    SlackNotifier(WebClient(base_url=grid.slack.api_url), clients).notify(note)  # at once
    transport = SlackTransport(WebClient(base_url=grid.slack.api_url), clients)  # the clock
    assert transport.send("C0FITTJA", note)
    posts = grid.slack.calls_to("chat.postMessage")
    assert [(c.token, c.args["channel"], c.status) for c in posts] == [
        ("xoxb-botkyrka", "C0FITTJA", 200),
        ("xoxb-botkyrka", "C0FITTJA", 200),
    ]


def test_an_installation_for_the_whole_organisation_reaches_a_workspace_it_has_heard_from(
    grid: Grid,
):
    _install(grid.store, None, "xoxb-org")
    clients = grid.clients()
    with pytest.raises(NotInstalled):  # nothing yet says which organisation T0HUDDINGE is in
        clients("T0HUDDINGE")
    command = sr.slash_command(
        "inställningar",
        secret=SECRET,
        team_id="T0HUDDINGE",
        channel_id="C0EST",
        user_id="W0KARIN",
        response_url=grid.slack.response_url(),
        enterprise_id=ORG,
        is_enterprise_install=True,
    )
    response = grid.http.post("/slack/events", data=command.body, headers=command.headers)  # type: ignore[attr-defined]
    assert response.status_code == 200
    [opened] = grid.slack.wait_for("views.open")  # Bolt found the organisation's token
    assert opened.token == "xoxb-org"
    note = grid.group_in("T0HUDDINGE", "C0EST")
    transport = SlackTransport(WebClient(base_url=grid.slack.api_url), grid.clients())
    assert transport.send("C0EST", note)
    [posted] = grid.slack.calls_to("chat.postMessage")
    assert (posted.token, posted.args["channel"]) == ("xoxb-org", "C0EST")


def test_a_workspace_outside_the_organisation_is_still_not_installed(grid: Grid):
    _install(grid.store, "T0BOTKYRKA", "xoxb-botkyrka")
    _install(grid.store, None, "xoxb-org")
    with pytest.raises(NotInstalled):
        grid.clients()("T0SODERTALJE")
