"""What the clock sends, in the reader's language: a DM in the person's own language (else the
group's), a channel post in the group's. The clock's sender and the Slack transport, against
the fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.actions.reminders import plan_reminders
from bot.actions.service import ActionDraft
from bot.clock import PREFETCH, PREPARERS
from bot.delivery import OutboxSender
from bot.demo.workspace import DEMO_CHANNEL, load_demo
from bot.services import Services
from bot.weekly.cycle import plan_cycle
from handlers.local.localslack import LocalSlack
from handlers.transport import SlackTransport
from tests.bot.conftest import as_user
from tests.conftest import NOW

MONDAY = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 09:30 local, week 48: reports due 15:00


def test_each_dm_is_in_its_readers_language_and_the_channel_in_the_groups(services: Services):
    load_demo(services.db, services.groups, now=NOW)
    anna, erik = as_user(services, "U0ANNA"), as_user(services, "U0ERIK")
    assert services.groups.set_language(erik, "en", now=NOW) == "en"  # the group stays "sv"
    for owner in ("U0ERIK", "U0SARA"):  # each is told, then reminded on the due date
        draft = ActionDraft(title=f"Belysning {owner}", owner_user_id=owner, due_date=MONDAY.date())
        services.actions.create(anna, draft, now=NOW)
    assert plan_reminders(services.db, now=MONDAY) and plan_cycle(services.db, now=MONDAY)
    with LocalSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        sender = OutboxSender(
            services.db, SlackTransport(client), PREPARERS, worker="t", prefetch=PREFETCH
        )
        while sender.sweep(now=MONDAY).claimed:
            pass
        said: dict[str, str] = {}
        for call in slack.calls_to("chat.postMessage"):
            said[call.args["channel"]] = said.get(call.args["channel"], "") + call.args["text"]
    assert "<@U0ANNA> gave you an action in *EST Botkyrka*" in said["U0ERIK"]
    assert "Reminder: this action is due today." in said["U0ERIK"]
    assert "Time for your organisation's situation report for week 48" in said["U0ERIK"]
    assert "<@U0ANNA> gav dig en åtgärd i *EST Botkyrka*" in said["U0SARA"]
    assert "Påminnelse: den här åtgärden ska vara klar i dag." in said["U0SARA"]
    assert "Dags för din organisations lägesrapport för vecka 48" in said["U0SARA"]
    assert "Lägesrapporterna för vecka 48 ska vara inne" in said[DEMO_CHANNEL]
