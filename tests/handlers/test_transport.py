"""The Slack side of outbox delivery against the fake Slack: Slack's answers mapped for the
sender, and people looked up once."""

import pytest
from slack_sdk import WebClient

from bot.actions.notifications import Undeliverable
from bot.actors import EstGroup
from bot.delivery import RateLimited
from handlers.local.localslack import LocalSlack
from handlers.transport import SlackTransport

GROUP = EstGroup(1, "EST Fittja", "T0", "C0EST", "sv", "Europe/Stockholm")
NOTE = Undeliverable(GROUP, "U0GONE", "user_not_found", None)


def test_a_429_on_users_info_is_a_limit_for_the_whole_workspace():
    with LocalSlack() as slack:
        slack.rate_limit("users.info", per_second=0.01, burst=1)
        transport = SlackTransport(WebClient(token="xoxb-test", base_url=slack.api_url))
        transport.send("U0ANNA", NOTE)  # looked up: the one call the burst allows
        with pytest.raises(RateLimited) as limited:
            transport.send("U0SARA", NOTE)
        assert limited.value.workspace
        assert limited.value.retry_after >= 1
        transport.send("U0ANNA", NOTE)  # known already: no lookup, so no limit
        lookups = slack.calls_to("users.info")
        posts = slack.calls_to("chat.postMessage")
        assert len(lookups) == 2 and len(posts) == 2


def test_a_429_on_a_channel_is_a_limit_for_that_channel_only():
    with LocalSlack() as slack:
        slack.rate_limit("chat.postMessage", per_second=0.01, burst=1)
        transport = SlackTransport(WebClient(token="xoxb-test", base_url=slack.api_url))
        transport.send("C0EST", NOTE)
        with pytest.raises(RateLimited) as limited:
            transport.send("C0EST", NOTE)
        assert not limited.value.workspace
        transport.send("C0OTHER", NOTE)  # another channel has its own budget
