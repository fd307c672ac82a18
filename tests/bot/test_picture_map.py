"""The lägesbild at meeting time carries its map: uploaded into the post's thread, after it,
through the outbox and the real Slack transport (against the fake Slack Web API)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlmodel import col, select

from bot.actions.reminders import tell_admins
from bot.clock import PREPARERS, on_failure
from bot.delivery import OutboxSender
from bot.i18n import translator
from bot.incidents.service import parse_quick
from bot.weekly.cycle import plan_cycle
from bot.weekly.notifications import PictureMap, PicturePosted
from handlers.local.localslack import LocalSlack
from handlers.transport import SlackTransport
from storage.models import Outbox, OutboxStatus, Place
from tests.bot.test_cycle import Inbox, run
from tests.conftest import session_of

MEETING = datetime(2026, 11, 24, 8, tzinfo=UTC)  # Tuesday 24 November 09:00 in Stockholm
SV = translator("sv")


class Threads(Inbox):
    """An inbox that answers each post with its own ts, as Slack does."""

    def send(self, recipient, note, *, language=None):
        super().send(recipient, note, language=language)
        return f"1700000000.{len(self.got):06d}"


def statuses(db) -> dict[str, OutboxStatus]:
    with db.unit_of_work() as uow:
        session = session_of(uow)
        rows = session.exec(select(Outbox).where(col(Outbox.kind).startswith("cycle.picture")))
        return {r.dedupe_key.split(":", 3)[-1]: r.status for r in rows}


def test_the_map_follows_the_post_into_its_thread(demo, anna, db):
    draft = parse_quick("Fittja centrum; narkotikaförsäljning; försäljning vid entrén; igår 21:00")
    demo.incidents.log(anna, draft, now=MEETING - timedelta(hours=2))
    inbox = Threads()
    run(
        db,
        inbox,
        MEETING - timedelta(hours=1),
        MEETING + timedelta(minutes=30),
        step=timedelta(minutes=5),
    )
    shown = [
        (r, type(n).__name__)
        for r, n, _at in inbox.got
        if isinstance(n, PicturePosted | PictureMap)
    ]
    assert shown == [("C0EST", "PicturePosted"), ("C0EST", "PictureMap")]  # once each, in order
    ts = {type(n).__name__: f"1700000000.{i + 1:06d}" for i, (_r, n, _at) in enumerate(inbox.got)}
    [drawn] = [n for _r, n, _at in inbox.got if isinstance(n, PictureMap)]
    assert drawn.thread_ts == ts["PicturePosted"]  # in the post's thread, not a post of its own
    assert drawn.filename == "lagesbild-2026-v48-karta.png" and drawn.error is None
    assert drawn.png is not None and drawn.png.startswith(b"\x89PNG")
    assert SV.render(drawn.comment) == (
        "Lägesbilden för vecka 48 på kartan: cirkelns storlek är händelserna, dess färg den "
        "gemensamma nivån."
    )
    assert statuses(db) == {
        "picture": OutboxStatus.SENT,
        "picture:map": OutboxStatus.SENT,
    }


def test_no_coordinates_no_map_and_a_skipped_post_no_map(demo, anna, db):
    with db.unit_of_work() as uow:
        session = session_of(uow)
        for place in session.exec(select(Place)).all():
            place.latitude = place.longitude = None
            session.add(place)
    inbox = Threads()
    run(
        db,
        inbox,
        MEETING - timedelta(hours=1),
        MEETING + timedelta(minutes=30),
        step=timedelta(minutes=5),
    )
    assert [
        type(n).__name__ for _r, n, _at in inbox.got if isinstance(n, PicturePosted | PictureMap)
    ] == ["PicturePosted"]
    assert statuses(db)["picture:map"] == OutboxStatus.CANCELLED
    # next week the clock is down for a day: the post is skipped, and its map with it
    sender = OutboxSender(db, inbox, PREPARERS, worker="t", on_failure=tell_admins)
    plan_cycle(db, now=MEETING + timedelta(days=7, hours=-3))
    for hours in (26, 26.1):
        sender.sweep(now=MEETING + timedelta(days=7, hours=hours))
    with db.unit_of_work() as uow:
        session = session_of(uow)
        week49 = session.exec(
            select(Outbox).where(col(Outbox.dedupe_key).contains("W49:picture"))
        ).all()
    assert sorted((r.kind, r.status) for r in week49) == [
        ("cycle.picture", OutboxStatus.CANCELLED),
        ("cycle.picture.map", OutboxStatus.CANCELLED),
    ]


def slack_sender(db, slack: LocalSlack, *, on_failure) -> OutboxSender:
    """The outbox's sender over the real Slack transport against ``slack``, the week's cycle
    planned an hour before the meeting."""
    client = WebClient(token="xoxb-test", base_url=slack.api_url, timeout=5)
    sender = OutboxSender(db, SlackTransport(client), PREPARERS, worker="t", on_failure=on_failure)
    plan_cycle(db, now=MEETING - timedelta(hours=1))
    return sender


def test_the_real_transport_uploads_the_map_into_the_posts_thread(demo, anna, db):
    with LocalSlack() as slack:
        sender = slack_sender(db, slack, on_failure=tell_admins)
        for minutes in (0, 1, 2):
            sender.sweep(now=MEETING + timedelta(minutes=minutes))
        [post] = [c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == "C0EST"]
        (shared,) = slack.files.values()
    assert shared.channel == "C0EST" and shared.thread_ts == post.response["ts"]
    assert shared.name == "lagesbild-2026-v48-karta.png" and shared.content.startswith(b"\x89PNG")
    assert (shared.initial_comment or "").startswith("Lägesbilden för vecka 48 på kartan")


def test_a_map_that_cannot_be_uploaded_is_told_to_the_admins_once(demo, anna, db):
    with LocalSlack() as slack:
        sender = slack_sender(db, slack, on_failure=on_failure)
        slack.fail_next("files.getUploadURLExternal", status=500, times=100)  # uploads never work
        for step in range(12):  # 10 minutes apart: past each backoff (5 minutes at most)
            sender.sweep(now=MEETING + timedelta(minutes=10 * step))
        uploads_tried = len(slack.calls_to("files.getUploadURLExternal"))
        to_admins = [
            c.args for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == "U0ANNA"
        ]
    assert uploads_tried == 5  # MAP_ATTEMPTS; the sixth claim gives up without calling Slack
    # Slack's code (upload_failed) said in words
    assert [a["text"] for a in to_admins] == [
        "Kartan till lägesbilden för v. 48 kunde inte läggas upp i dess tråd "
        "(uppladdningen gick inte igenom). "
        "Själva lägesbilden finns i kanalen; visa kartan med `/est lägesbild v48 karta`."
    ]
    with db.unit_of_work() as uow:
        rows = session_of(uow).exec(
            select(Outbox).where(col(Outbox.kind).startswith("cycle.picture.map"))
        )
        assert sorted((r.kind, r.recipient, r.status) for r in rows) == [
            ("cycle.picture.map", "C0EST", OutboxStatus.FAILED),
            ("cycle.picture.map.failed", "U0ANNA", OutboxStatus.SENT),
        ]
