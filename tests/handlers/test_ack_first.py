"""No Web API call before the acknowledgement: the forms and the command that notify (a new
group, a join request, a member added) acknowledge first and post after, so a Slack that
answers 429 (the client sleeps out Retry-After, up to twice) never makes the person's form or
command time out. The client is built as in `serve`, with the same retry handler."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.services import Services
from handlers.bolt import build_app
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.notifier import SlackNotifier
from handlers.server import create_wsgi_app
from storage.db import Database
from tests.handlers.conftest import SECRET

CHANNEL, ANNA, ERIK, OMAR = "C0EST", "U0ANNA", "U0ERIK", "U0OMAR"
KOMMUN = "Botkyrka kommun"
SLACK_DEADLINE = 3.0  # seconds Slack waits for the acknowledgement


@dataclass
class Answer:
    status: int
    body: str
    seconds: float  # from sending the request to its answer
    at: float  # time.monotonic() of the answer, comparable with ApiCall.at


@dataclass
class Bot:
    services: Services
    slack: LocalSlack
    http: Any

    def post(self, req: sr.SignedRequest) -> Answer:
        start = time.monotonic()
        response = self.http.post("/slack/events", data=req.body, headers=req.headers)
        at = time.monotonic()
        return Answer(response.status_code, response.get_data(as_text=True), at - start, at)

    def command(self, text: str, user: str = ANNA) -> Answer:
        req = sr.slash_command(
            text,
            secret=SECRET,
            user_id=user,
            channel_id=CHANNEL,
            team_id="T0EST",
            response_url=self.slack.response_url(),
        )
        return self.post(req)

    def form(self, open_: sr.SignedRequest | str, user: str = ANNA) -> dict[str, Any]:
        """The modal that a command (text) or a button opens."""
        before = len(self.slack.calls_to("views.open"))
        answer = self.command(open_, user) if isinstance(open_, str) else self.post(open_)
        assert answer.status == 200
        view: dict[str, Any] = self.slack.wait_for("views.open", before + 1)[-1].response["view"]
        return view

    def submit(self, view: dict[str, Any], values: dict[str, Any], user: str = ANNA) -> Answer:
        return self.post(
            sr.view_submission(view, values, secret=SECRET, user_id=user, team_id="T0EST")
        )

    def slow_slack(self) -> None:
        """The next two posts are refused with 429, Retry-After 2 s: the client sleeps 4 s."""
        self.slack.fail_next("chat.postMessage", status=429, retry_after=2, times=2)

    def posted_after(self, answer: Answer, channel: str) -> None:
        """The notification reached Slack after its 429s, which came after the answer."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            posts = [
                c
                for c in self.slack.calls_to("chat.postMessage")
                if c.args.get("channel") == channel and c.status == 200
            ]
            if posts:
                assert posts[-1].at > answer.at
                return
            time.sleep(0.05)
        raise AssertionError(f"nothing was posted to {channel}")


@pytest.fixture
def bot(db: Database) -> Iterator[Bot]:
    with LocalSlack() as slack:
        client = WebClient(  # as app.slack_client builds it for `serve`
            token="xoxb-test",
            base_url=slack.api_url,
            timeout=10,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
        )
        services = Services.build(db, SlackNotifier(client))
        app = build_app(
            services=services, client=client, signing_secret=SECRET, default_language="sv"
        )  # process_before_response=False: as `serve` runs it
        yield Bot(services, slack, create_wsgi_app(app, services.db).test_client())


def _group_values() -> dict[str, Any]:
    return sr.state_values(
        sr.text_value(Block.NAME, Action.NAME, "EST Botkyrka"),
        sr.text_value(Block.ORGANISATION, Action.ORGANISATION, KOMMUN),
        sr.select_value(Block.KIND, Action.KIND, "kommun"),
        sr.select_value(Block.LANGUAGE, Action.LANGUAGE, "sv"),
    )


def _create_group(bot: Bot, *, slow: bool = False) -> None:
    view = bot.form("inställningar")
    assert view["callback_id"] == Callback.CREATE_GROUP
    bot.slack.clear()
    if slow:
        bot.slow_slack()
    created = bot.submit(view, _group_values())
    assert created.status == 200 and created.body == ""  # the form closes: it was saved
    assert created.seconds < SLACK_DEADLINE
    if slow:
        bot.posted_after(created, CHANNEL)  # "EST Botkyrka is set up" in the channel
    else:
        bot.slack.wait_for("chat.postMessage")


def test_creating_a_group_is_acknowledged_before_the_channel_is_told(bot: Bot):
    _create_group(bot, slow=True)


def test_a_join_request_by_command_is_answered_before_the_admins_are_asked(bot: Bot):
    _create_group(bot)
    bot.slack.clear()
    bot.slow_slack()
    asked = bot.command(f"gå med {KOMMUN}", user=ERIK)
    assert asked.status == 200
    assert "har skickats till gruppens administratörer" in json.loads(asked.body)["text"]
    assert asked.seconds < SLACK_DEADLINE
    bot.posted_after(asked, ANNA)  # the admin's DM with the approve and reject buttons


def test_a_join_request_by_form_and_a_member_added_are_acknowledged_first(bot: Bot):
    _create_group(bot)
    view = bot.form("gå med", user=OMAR)
    assert view["callback_id"] == Callback.JOIN
    bot.slack.clear()
    bot.slow_slack()
    values = sr.state_values(sr.select_value(Block.ORGANISATION, Action.ORGANISATION, KOMMUN))
    joined = bot.submit(view, values, user=OMAR)
    assert joined.status == 200 and joined.seconds < SLACK_DEADLINE
    bot.posted_after(joined, ANNA)

    press = sr.block_action(
        Action.OPEN_ADD_MEMBER,
        "x",
        secret=SECRET,
        user_id=ANNA,
        channel_id=CHANNEL,
        team_id="T0EST",
    )
    view = bot.form(press)
    assert view["callback_id"] == Callback.ADD_MEMBER
    bot.slack.clear()
    bot.slow_slack()
    values = sr.state_values(
        sr.user_value(Block.USER, Action.USER, ERIK),
        sr.select_value(Block.ORGANISATION, Action.ORGANISATION, KOMMUN),
        sr.select_value(Block.ROLE, Action.ROLE, "medlem"),
    )
    added = bot.submit(view, values)
    assert added.status == 200 and added.body == ""
    assert added.seconds < SLACK_DEADLINE
    bot.posted_after(added, ERIK)  # "you were added to EST Botkyrka"
