"""The Slack side of outbox delivery against the fake Slack: Slack's answers mapped for the
sender, and people looked up once."""

from datetime import UTC, date, datetime

import pytest
from slack_sdk import WebClient

from bot.actions.notifications import Undeliverable
from bot.actors import EstGroup
from bot.delivery import RateLimited
from bot.weekly.notifications import ReportPosted
from bot.weekly.reports import PlaceAssessment, WeeklyReport
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


def _report_post(thread_ts: str | None, edits_ts: str | None) -> ReportPosted:
    entry = PlaceAssessment(1, "Fittja centrum", "oroligt", "sämre", "")
    saved = datetime(2026, 11, 23, 9, tzinfo=UTC)
    report = WeeklyReport(
        7, 1, "Botkyrka kommun", 2026, 48, 2, "", (entry,), False, "U0ANNA", saved
    )
    return ReportPosted(GROUP, thread_ts, edits_ts, report, date(2026, 11, 24), None)


def test_a_threaded_post_goes_in_its_thread_and_a_new_version_edits_it():
    with LocalSlack() as slack:
        transport = SlackTransport(WebClient(token="xoxb-test", base_url=slack.api_url))
        parent = transport.send("C0EST", NOTE)
        posted = transport.send("C0EST", _report_post(parent, None))
        assert transport.send("C0EST", _report_post(parent, posted)) == posted
        [_parent, post] = slack.calls_to("chat.postMessage")
        [edit] = slack.calls_to("chat.update")
        assert post.args["thread_ts"] == parent and "thread_ts" not in edit.args
        assert edit.args["ts"] == posted


def test_a_post_deleted_in_slack_is_posted_again_instead_of_edited():
    with LocalSlack() as slack:
        transport = SlackTransport(WebClient(token="xoxb-test", base_url=slack.api_url))
        gone = transport.send("C0EST", _report_post(None, None))
        WebClient(token="xoxb-test", base_url=slack.api_url).chat_delete(channel="C0EST", ts=gone)
        again = transport.send("C0EST", _report_post(None, gone))
        assert again != gone
        [update] = slack.calls_to("chat.update")
        assert update.response["error"] == "message_not_found"
        assert len(slack.calls_to("chat.postMessage")) == 2
