"""Several workspaces through OAuth (slack_sdk's SQLAlchemy stores in our database), and
several groups in one workspace, through the signed request path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData
from sqlalchemy import text as sql

from app import SettingsError, read_settings
from bot.actors import Actor
from bot.groups.notifications import GroupCreated
from bot.incidents.service import parse_quick
from bot.places.service import parse_place_form
from bot.services import Services
from handlers.installations import NotInstalled, TeamClients
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.notifier import SlackNotifier
from storage.oauth_tables import oauth_states, slack_bots, slack_installations
from tests.handlers.conftest import SECRET, oauth_http, save_installation

NOW = datetime.now(UTC)


def test_our_oauth_tables_are_slack_sdks():
    theirs = MetaData()
    for ours, built in (
        (slack_installations, SQLAlchemyInstallationStore.build_installations_table),
        (slack_bots, SQLAlchemyInstallationStore.build_bots_table),
        (oauth_states, SQLAlchemyOAuthStateStore.build_oauth_states_table),
    ):
        table = built(theirs, ours.name)

        def shape(t):
            return [(c.name, repr(c.type), c.nullable, c.primary_key) for c in t.columns]

        assert shape(ours) == shape(table)
        assert {(i.name, tuple(c.name for c in i.columns)) for i in ours.indexes} == {
            (i.name, tuple(c.name for c in i.columns)) for i in table.indexes
        }


@dataclass
class Workspaces:
    services: Services
    slack: LocalSlack
    http: object
    store: SQLAlchemyInstallationStore

    def post(self, req: sr.SignedRequest) -> tuple[int, str]:
        response = self.http.post("/slack/events", data=req.body, headers=req.headers)  # type: ignore[attr-defined]
        return response.status_code, response.get_data(as_text=True)

    def command(self, text: str, team: str, channel: str, user: str) -> tuple[int, str]:
        req = sr.slash_command(
            text,
            secret=SECRET,
            team_id=team,
            channel_id=channel,
            user_id=user,
            response_url=self.slack.response_url(),
        )
        return self.post(req)


def _install(store: SQLAlchemyInstallationStore, team: str) -> None:
    save_installation(store, team=team, token=f"xoxb-{team.lower()}", installed_at=NOW)


@pytest.fixture
def workspaces(services: Services) -> Iterator[Workspaces]:
    with LocalSlack() as slack:
        http, store = oauth_http(services, slack, process_before_response=True)
        _install(store, "T0BOTKYRKA")
        _install(store, "T0SODERTALJE")
        yield Workspaces(services, slack, http, store)


def test_each_workspace_is_answered_with_its_own_token(workspaces: Workspaces):
    status, _ = workspaces.command("inställningar", "T0BOTKYRKA", "C0FITTJA", "U0ANNA")
    assert status == 200
    status, _ = workspaces.command("inställningar", "T0SODERTALJE", "C0RONNA", "U0PER")
    assert status == 200
    opened = workspaces.slack.calls_to("views.open")
    assert [c.token for c in opened] == ["xoxb-t0botkyrka", "xoxb-t0sodertalje"]


def test_a_workspace_without_installation_gets_no_data(workspaces: Workspaces):
    status, _body = workspaces.command("inställningar", "T0OKAND", "C0X", "U0X")
    assert status == 200
    [(_url, told)] = workspaces.slack.response_urls
    assert "EST-bot är inte installerat i den här arbetsytan" in told["text"]
    assert workspaces.slack.calls_to("views.open") == []
    with workspaces.services.db.engine.connect() as conn:
        assert conn.execute(sql("SELECT count(*) FROM est_group")).scalar() == 0


def test_the_notifier_and_clock_reach_the_right_workspace(workspaces: Workspaces):
    clients = TeamClients(workspaces.store, WebClient(base_url=workspaces.slack.api_url))
    assert clients("T0SODERTALJE").token == "xoxb-t0sodertalje"
    with pytest.raises(NotInstalled):
        clients("T0OKAND")
    view = workspaces.services.groups.create_group(
        Actor("T0SODERTALJE", "U0PER", "C0RONNA"),
        name="EST Ronna",
        organisation="Södertälje kommun",
        kind="kommun",
        language="sv",
        now=NOW,
    )
    SlackNotifier(WebClient(base_url=workspaces.slack.api_url), clients).notify(
        GroupCreated(view, "U0PER")
    )
    [posted] = workspaces.slack.calls_to("chat.postMessage")
    assert (posted.token, posted.args["channel"]) == ("xoxb-t0sodertalje", "C0RONNA")


def test_uninstalling_one_workspace_leaves_the_other(workspaces: Workspaces):
    for team, channel, user in (
        ("T0BOTKYRKA", "C0FITTJA", "U0ANNA"),
        ("T0SODERTALJE", "C0RONNA", "U0PER"),
    ):
        workspaces.services.groups.create_group(
            Actor(team, user, channel),
            name=f"EST {channel}",
            organisation="Kommunen",
            kind="kommun",
            language="sv",
            now=NOW,
        )
    event = sr.event({"type": "app_uninstalled"}, secret=SECRET, team_id="T0BOTKYRKA")
    assert workspaces.post(event)[0] == 200
    assert workspaces.store.find_bot(enterprise_id=None, team_id="T0BOTKYRKA") is None
    assert workspaces.store.find_bot(enterprise_id=None, team_id="T0SODERTALJE") is not None
    with workspaces.services.db.engine.connect() as conn:
        rows = conn.execute(sql("SELECT slack_team_id, archived_reason FROM est_group")).all()
    archived: dict[str, str | None] = {str(r[0]): r[1] for r in rows}
    assert archived == {"T0BOTKYRKA": "app_uninstalled", "T0SODERTALJE": None}


def test_two_groups_in_one_workspace_keep_their_data_apart(services: Services):
    """EST Fittja and EST Hallunda-Norsborg in one workspace; Omar is in both."""
    for channel, name, admin in (
        ("C0FITTJA", "EST Fittja", "U0ANNA"),
        ("C0HALLUNDA", "EST Hallunda-Norsborg", "U0KARIN"),
    ):
        services.groups.create_group(
            Actor("T0EST", admin, channel),
            name=name,
            organisation="Botkyrka kommun",
            kind="kommun",
            language="sv",
            now=NOW,
        )
        admin_actor = services.groups.locate("T0EST", channel, admin)
        services.groups.add_member(
            admin_actor, user_id="U0OMAR", organisation="Botkyrka kommun", role="medlem", now=NOW
        )
        place = (
            "Fittja centrum; Fittja; centrum"
            if "Fittja" in name
            else "Hallunda centrum; Hallunda; centrum"
        )
        services.places.add(admin_actor, parse_place_form(place), now=NOW)
    in_fittja = services.groups.locate("T0EST", "C0FITTJA", "U0OMAR")
    in_hallunda = services.groups.locate("T0EST", "C0HALLUNDA", "U0OMAR")
    services.incidents.log(in_fittja, parse_quick("Fittja centrum; klotter; I Fittja"), now=NOW)
    services.incidents.log(in_hallunda, parse_quick("Hallunda centrum; brand; I Hallunda"), now=NOW)
    from datetime import timedelta

    from bot.timeparse import Period

    week = Period(NOW - timedelta(days=1), NOW + timedelta(minutes=1), label=None)  # type: ignore[arg-type]
    fittja = services.incidents.list(in_fittja, week)
    hallunda = services.incidents.list(in_hallunda, week)
    assert [e.description for e in fittja.entries] == ["I Fittja"]
    assert [e.description for e in hallunda.entries] == ["I Hallunda"]
    assert fittja.by_place == (("Fittja centrum", 1),)
    # Hallunda's place is not known in Fittja's group
    from bot.errors import UnknownName

    with pytest.raises(UnknownName):
        services.incidents.log(
            in_fittja, parse_quick("Hallunda centrum; brand; fel grupp"), now=NOW
        )
    # from a DM, Omar (in two groups) is asked to use the group's channel
    assert services.groups.locate("T0EST", "D0OMAR", "U0OMAR").group is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_SECRET": "x"}, "SLACK_CLIENT_ID"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "x"}, "SLACK_SIGNING_SECRET"),
        (
            {
                "SLACK_CLIENT_ID": "1.2",
                "SLACK_CLIENT_SECRET": "x",
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_BOT_TOKEN": "xoxb-1",
            },
            "SLACK_BOT_TOKEN",
        ),
    ],
)
def test_oauth_settings_name_the_variable(env, named):
    with pytest.raises(SettingsError) as caught:
        read_settings(env)
    assert str(caught.value).startswith(named + ":")


def test_oauth_settings_and_the_single_token_both_serve():
    oauth = read_settings(
        {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "x", "SLACK_SIGNING_SECRET": "s"}
    )
    assert oauth.has_slack and oauth.oauth
    single = read_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert single.has_slack and not single.oauth
    assert json.dumps(single.client_id) == "null"


def test_tokens_revoked_then_uninstalled_in_either_order(workspaces: Workspaces):
    workspaces.services.groups.create_group(
        Actor("T0BOTKYRKA", "U0ANNA", "C0FITTJA"),
        name="EST Fittja",
        organisation="Botkyrka kommun",
        kind="kommun",
        language="sv",
        now=NOW,
    )
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    for event in (revoked, {"type": "app_uninstalled"}):
        status, _ = workspaces.post(sr.event(event, secret=SECRET, team_id="T0BOTKYRKA"))
        assert status == 200
    assert workspaces.store.find_bot(enterprise_id=None, team_id="T0BOTKYRKA") is None
    with workspaces.services.db.engine.connect() as conn:
        reason = conn.execute(sql("SELECT archived_reason FROM est_group")).scalar()
    assert reason == "tokens_revoked"  # the first one archived it; the second changed nothing
