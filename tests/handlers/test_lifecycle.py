"""Lifecycle events, shaped as Slack documents them, through the signed request path."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text as sql

from bot.actions.service import ActionDraft
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import RecordingNotifier
from bot.services import Services
from handlers.local import slack_requests as sr
from handlers.notifier import message_for
from tests.handlers.conftest import SECRET, Edge, _now


@pytest.fixture
def group(edge: Edge, notifier: RecordingNotifier) -> Services:
    s = edge.services
    load_demo(s.db, s.groups, now=_now())
    edge.slack.clear()
    notifier.notes.clear()
    return s


def _event(edge: Edge, event: dict) -> None:
    status, body = edge.post(sr.event(event, secret=SECRET, team_id=DEMO_TEAM))
    assert status == 200, body


def _told(notifier: RecordingNotifier) -> list[tuple[str, str]]:
    """(recipient, text) of what the Slack notifier would post for the recorded notes."""
    return [(r, message_for(note, r)["text"]) for note in notifier.notes for r in note.recipients()]


def _one(edge: Edge, query: str) -> object:
    with edge.services.db.engine.connect() as conn:
        return conn.execute(sql(query)).scalar()


def _deleted_user(user_id: str, name: str) -> dict:
    """``user_change`` as Slack sends it when an admin deactivates someone."""
    return {
        "type": "user_change",
        "user": {
            "id": user_id,
            "team_id": DEMO_TEAM,
            "name": name,
            "deleted": True,
            "real_name": name.title(),
            "tz": "Europe/Stockholm",
            "profile": {"real_name": name.title(), "display_name": name, "team": DEMO_TEAM},
            "is_admin": False,
            "is_owner": False,
            "is_bot": False,
            "updated": 1763800000,
        },
        "cache_ts": 1763800000,
    }


def test_a_member_who_leaves_the_workspace_loses_membership_and_admins_are_told(
    edge, group, notifier
):
    _event(edge, _deleted_user("U0ERIK", "erik"))
    assert _one(edge, "SELECT status FROM member WHERE slack_user_id = 'U0ERIK'") == "inactive"
    [(to, text)] = _told(notifier)
    assert to == "U0ANNA" and "<@U0ERIK> har lämnat arbetsytan" in text
    assert _one(edge, "SELECT actor FROM audit_event WHERE action = 'member.left'") == "slack"
    # an ordinary profile change is not a departure
    alive = _deleted_user("U0SARA", "sara")
    alive["user"]["deleted"] = False
    _event(edge, alive)
    assert _one(edge, "SELECT status FROM member WHERE slack_user_id = 'U0SARA'") == "active"


def test_the_last_admin_leaving_makes_the_longest_standing_member_admin(edge, group, notifier):
    _event(edge, _deleted_user("U0ANNA", "anna"))
    roles = dict(
        edge.services.db.engine.connect()
        .execute(sql("SELECT slack_user_id, role FROM member WHERE status = 'active'"))
        .all()
    )
    assert roles["U0ERIK"] == "admin"  # added first after Anna; Lena (läsare) is skipped
    assert list(roles.values()).count("admin") == 1
    [(to, text)] = _told(notifier)
    assert to == "U0ERIK" and "nu är <@U0ERIK> administratör" in text


def test_archiving_the_channel_archives_the_group_and_unarchiving_restores_it(
    edge, group, notifier
):
    _event(edge, {"type": "channel_archive", "channel": DEMO_CHANNEL, "user": "U0ANNA"})
    assert _one(edge, "SELECT archived_reason FROM est_group") == "channel_archived"
    [(to, text)] = _told(notifier)
    assert to == "U0ANNA" and "har arkiverats" in text
    from bot.weekly.cycle import plan_cycle

    assert plan_cycle(edge.services.db, now=_now()) == 0  # no weekly rhythm for it
    _event(edge, {"type": "channel_archive", "channel": DEMO_CHANNEL, "user": "U0ANNA"})  # again
    assert len(_told(notifier)) == 1
    _event(edge, {"type": "channel_unarchive", "channel": DEMO_CHANNEL, "user": "U0ANNA"})
    assert _one(edge, "SELECT archived_at FROM est_group") is None
    # another workspace's channel with the same id is not ours
    other = sr.event(
        {"type": "channel_archive", "channel": DEMO_CHANNEL}, secret=SECRET, team_id="T0X"
    )
    assert edge.post(other)[0] == 200
    assert _one(edge, "SELECT archived_at FROM est_group") is None


def test_a_renamed_channel_changes_nothing_but_is_logged(edge, group):
    rename = {
        "type": "channel_rename",
        "channel": {"id": DEMO_CHANNEL, "name": "est-botkyrka-2027", "created": 1360782804},
    }
    _event(edge, rename)
    after = _one(edge, "SELECT after FROM audit_event WHERE action = 'group.channel_renamed'")
    assert "est-botkyrka-2027" in (after if isinstance(after, str) else json.dumps(after))
    answer = json.loads(
        edge.post(
            sr.slash_command(
                "hjälp", secret=SECRET, user_id="U0ANNA", channel_id=DEMO_CHANNEL, team_id=DEMO_TEAM
            )
        )[1]
    )
    assert "EST Botkyrka" in json.dumps(answer, ensure_ascii=False)


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0ANNA"], "bot": ["UBOT"]}},
    ],
)
def test_uninstalling_archives_the_groups_and_cancels_what_waits(edge, group, notifier, event):
    anna = edge.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    edge.services.actions.create(
        anna,
        ActionDraft(
            "Belysning", "U0ERIK", (_now() + timedelta(days=3)).date(), places=["Fittja C"]
        ),
        now=_now(),
    )
    assert _one(edge, "SELECT count(*) FROM outbox WHERE status = 'pending'") == 1
    _event(edge, event)
    assert _one(edge, "SELECT archived_reason FROM est_group") == event["type"]
    assert _one(edge, "SELECT count(*) FROM outbox WHERE status = 'pending'") == 0
    assert _one(edge, "SELECT count(*) FROM incident") == 0  # nothing deleted; nothing crashed
    assert _one(edge, "SELECT count(*) FROM member") == 5
    assert _told(notifier) == []  # nobody can be told in Slack now


def test_events_that_are_not_ours_or_half_empty_do_not_crash(edge, group):
    for event in (
        {"type": "user_change", "user": {}},
        {"type": "channel_archive"},
        {"type": "channel_rename", "channel": "C0EST"},
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0ANNA"]}},  # a user token only
    ):
        _event(edge, event)
    assert _one(edge, "SELECT archived_at FROM est_group") is None
