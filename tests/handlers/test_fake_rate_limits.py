"""The fake Slack's rate limits per workspace (the token's) and per channel: the buckets as data
at given instants, then over HTTP with two workspaces' tokens."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.local.localslack import TEAM_ID, LocalSlack
from handlers.local.ratelimits import Budget, RateLimits


def test_each_workspace_has_its_own_budget_for_a_method() -> None:
    limits = RateLimits()
    limits.per_workspace["users.info"] = Budget.per_minute(2)  # 2 a minute, both at once
    charge = limits.charge
    assert charge("users.info", team="TA", channel="", at=0.0) is None
    assert charge("users.info", team="TA", channel="", at=0.0) is None
    # empty: one call comes back in 60 / 2 = 30 s
    assert charge("users.info", team="TA", channel="", at=0.0) == 30
    # another workspace is served meanwhile, from its own two
    assert charge("users.info", team="TB", channel="", at=0.0) is None
    assert charge("users.info", team="TB", channel="", at=0.0) is None
    # 20 s on, TA has 20 × 2/60 = 0.67 of a call: 10 s more; at 30 s it has one again
    assert charge("users.info", team="TA", channel="", at=20.0) == 10
    assert charge("users.info", team="TA", channel="", at=30.0) is None
    # a method with no limit is never refused
    assert charge("chat.update", team="TA", channel="C1", at=30.0) is None


def test_a_message_counts_against_its_channel_and_its_workspace() -> None:
    limits = RateLimits()
    limits.per_channel["chat.postMessage"] = Budget(1.0, 3.0)  # 1 a second, bursts of 3
    limits.per_workspace["chat.postMessage"] = Budget.per_minute(5)  # 5 a minute
    post = limits.charge
    for _ in range(3):
        assert post("chat.postMessage", team="TA", channel="C1", at=0.0) is None
    # the channel is spent (1 s until its next), the workspace is not (2 of 5 left) and the
    # refused call takes from neither
    assert post("chat.postMessage", team="TA", channel="C1", at=0.0) == 1
    assert post("chat.postMessage", team="TA", channel="C2", at=0.0) is None
    assert post("chat.postMessage", team="TA", channel="C3", at=0.0) is None
    # now the workspace is spent: a fresh channel waits 60 / 5 = 12 s for it
    assert post("chat.postMessage", team="TA", channel="C4", at=0.0) == 12
    # the same channel id in another workspace is another channel, with its own budget
    assert post("chat.postMessage", team="TB", channel="C1", at=0.0) is None
    # at 12 s the workspace has one message again, and C4 its burst of 3
    assert post("chat.postMessage", team="TA", channel="C4", at=12.0) is None
    assert post("chat.postMessage", team="TA", channel="C4", at=12.0) == 12


def test_slack_tiers_per_workspace() -> None:
    limits = RateLimits()
    limits.tiers(messages_per_minute=300)
    # Tier 4: 100 a minute, Tier 3: 50, Tier 2: 20; chat.postMessage as told
    assert limits.per_workspace["users.info"] == Budget(100 / 60, 100.0)
    assert limits.per_workspace["files.getUploadURLExternal"] == Budget(100 / 60, 100.0)
    assert limits.per_workspace["chat.update"] == Budget(50 / 60, 50.0)
    assert limits.per_workspace["users.list"] == Budget(20 / 60, 20.0)
    assert limits.per_workspace["chat.postMessage"] == Budget(5.0, 300.0)
    assert limits.per_channel == {}


def test_a_workspace_over_its_tier_gets_429_while_another_is_served() -> None:
    with LocalSlack() as fake:
        fake.install("xoxb-a", "TA")
        fake.install("xoxb-b", "TB")
        fake.rate_limit_workspace("users.info", per_minute=2)
        a = WebClient(token="xoxb-a", base_url=fake.api_url, timeout=5)
        b = WebClient(token="xoxb-b", base_url=fake.api_url, timeout=5)
        a.users_info(user="U1")
        a.users_info(user="U2")
        with pytest.raises(SlackApiError) as caught:
            a.users_info(user="U3")
        assert caught.value.response.status_code == 429
        assert caught.value.response["error"] == "ratelimited"
        assert caught.value.response.headers["Retry-After"] == "30"
        assert b.users_info(user="U3")["user"]["id"] == "U3"
        assert b.auth_test()["team_id"] == "TB"
        calls = [(c.team, c.status) for c in fake.calls_to("users.info")]
        assert calls == [("TA", 200), ("TA", 200), ("TA", 429), ("TB", 200)]


def test_a_token_nobody_installed_is_the_default_workspace() -> None:
    with LocalSlack() as fake:
        fake.rate_limit("chat.postMessage", per_second=1.0, burst=1)
        client = WebClient(token="xoxb-test", base_url=fake.api_url, timeout=5)
        client.chat_postMessage(channel="C1", text="x")
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel="C1", text="x")
        fake.install("xoxb-other", "TO")
        other = WebClient(token="xoxb-other", base_url=fake.api_url, timeout=5)
        other.chat_postMessage(channel="C1", text="x")  # C1 of another workspace
        assert [c.team for c in fake.calls_to("chat.postMessage")] == [TEAM_ID, TEAM_ID, "TO"]
