"""Återkoppling: the first working day of the month, what last month's reports led to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.actions.service import ActionDraft
from bot.delivery import OutboxSender
from bot.i18n import translator
from bot.notifier import Notification
from bot.reporters.feedback import PREPARERS, feedback_moment, plan_feedback
from bot.reporters.notifications import ChannelFeedback, ReporterFeedback
from bot.reporters.webform import Submission
from bot.services import Services
from handlers.notifier import message_for
from handlers.web.pages import build_feedback
from storage.models import Activity, ActivityPlace, JointLevel, Outbox
from tests.bot.conftest import as_user
from tests.conftest import NOW, session_of

SV = translator("sv")
SEND = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1 December, 09:00 in Stockholm


@dataclass
class Recorder:
    """A transport that records each note and the language it was sent in (the person's;
    None: the group's), as the Slack transport gets it."""

    sent: list[tuple[str, Notification]] = field(default_factory=list)
    languages: dict[str, str | None] = field(default_factory=dict)

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        self.sent.append((recipient, note))
        self.languages[recipient] = language
        return f"{len(self.sent)}.0"


def place_id(services: Services, name: str) -> int:
    return services.places.resolve(as_user(services, "U0ANNA"), name).id


@pytest.fixture
def month(demo: Services, anna, erik) -> Services:
    """November: a reporter's three incidents and the police's one; since then an action done,
    an activity held, a joint level changed."""
    demo.groups.add_member(
        anna, user_id="U0NATT", organisation="Botkyrkabyggen", role="rapportör", now=NOW
    )
    natt = as_user(demo, "U0NATT")
    for text in (
        "Fittja centrum; klotter; a",
        "Fittja centrum; lustgas; b",
        "Albys hjärta; brand; c",
    ):
        demo.incidents.log_text(natt, text, now=NOW)
    demo.incidents.log_text(erik, "Fittja torg; klotter; d", now=NOW)
    done = demo.actions.create(
        anna,
        ActionDraft(
            "Belysning vid entrén", "U0ERIK", date(2026, 12, 15), places=["Fittja centrum"]
        ),
        now=NOW,
    )
    demo.actions.set_status(erik, done.id, "klar", now=NOW + timedelta(days=5))
    fittja, alby = place_id(demo, "Fittja centrum"), place_id(demo, "Albys hjärta")
    with demo.db.unit_of_work() as uow:
        session = session_of(uow)
        held = Activity(
            group_id=1,
            title="Nattvandring",
            kind="nattvandring",
            owner_user_id="U0ANNA",
            organisation_id=1,
            start_at=datetime(2026, 11, 28, 19, tzinfo=UTC),
            end_at=datetime(2026, 11, 28, 22, tzinfo=UTC),
            status="genomförd",
            created_by="U0ANNA",
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(held)
        session.flush()
        assert held.id is not None
        session.add(ActivityPlace(activity_id=held.id, place_id=alby))
        for week, level in ((43, "lugnt"), (47, "oroligt")):
            session.add(
                JointLevel(
                    group_id=1,
                    iso_year=2026,
                    iso_week=week,
                    place_id=fittja,
                    level=level,
                    set_by="U0ANNA",
                    set_at=NOW,
                )
            )
    return demo


def queued(services: Services) -> list[Outbox]:
    with services.db.unit_of_work(read_only=True) as uow:
        rows = session_of(uow).exec(select(Outbox)).all()
        return [r for r in rows if r.kind.startswith("feedback")]


def test_it_is_planned_once_on_the_first_working_day_at_nine(month: Services):
    with month.db.unit_of_work(read_only=True) as uow:
        group = uow.groups.get(1)
        assert group is not None and feedback_moment(group, SEND) == SEND
    assert plan_feedback(month.db, now=SEND - timedelta(minutes=1)) == 0  # 08:59
    assert plan_feedback(month.db, now=datetime(2026, 11, 30, 9, tzinfo=UTC)) == 0
    # the reporter, Botkyrkabyggen's member, the police's member, and the channel
    assert plan_feedback(month.db, now=SEND) == 4
    assert plan_feedback(month.db, now=SEND + timedelta(minutes=1)) == 0  # exactly once
    assert plan_feedback(month.db, now=SEND + timedelta(hours=3)) == 0
    recipients = sorted(r.recipient for r in queued(month) if not r.payload.get("planned"))
    assert recipients == ["C0EST", "U0ERIK", "U0NATT", "U0SARA"]


def test_a_new_year_holiday_moves_it_to_the_next_working_day(month: Services):
    with month.db.unit_of_work(read_only=True) as uow:
        group = uow.groups.get(1)
        # 1 January 2027 is a holiday (Friday): Monday 4 January, 09:00 (08:00 UTC)
        assert group is not None
        moment = feedback_moment(group, datetime(2027, 1, 2, tzinfo=UTC))
    assert moment == datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


def send_all(services: Services, moment: datetime = SEND) -> Recorder:
    """What the outbox sends from ``moment`` on: four sweeps, ten seconds apart."""
    transport = Recorder()
    sender = OutboxSender(services.db, transport, PREPARERS, worker="t", concurrency=1)
    for step in range(4):
        sender.sweep(now=moment + timedelta(seconds=10 * step))
    return transport


def test_the_reporter_is_told_what_the_group_did_at_their_places(month: Services):
    plan_feedback(month.db, now=SEND)
    sent = dict(send_all(month).sent)
    note = sent["U0NATT"]
    assert isinstance(note, ReporterFeedback) and note.organisation is None
    assert note.feedback.total == 3
    fittja, alby = note.feedback.places
    assert (fittja.name, fittja.count, alby.name, alby.count) == (
        "Fittja centrum",
        2,
        "Albys hjärta",
        1,
    )
    assert fittja.actions == ("Belysning vid entrén",) and fittja.activities == ()
    assert fittja.level_change == ("lugnt", "oroligt")
    assert alby.activities == ("Nattvandring",) and alby.actions == () and alby.level_change is None
    text = message_for(note, "U0NATT")["text"]
    assert text.startswith(
        "I november 2026 rapporterade du 3 händelser, vid Fittja centrum, Albys hjärta."
    )
    assert (
        "Fittja centrum: genomförda åtgärder: Belysning vid entrén, den gemensamma nivån gick "
        "från lugnt till oroligt"
    ) in text
    assert "Albys hjärta: genomförda aktiviteter: Nattvandring" in text
    assert "Tack för att du rapporterar" in text
    police = sent["U0ERIK"]
    assert isinstance(police, ReporterFeedback) and (police.organisation or "").startswith(
        "Polisen"
    )
    assert police.feedback.total == 1 and police.feedback.places[0].name == "Fittja torg"
    channel = sent["C0EST"]
    assert isinstance(channel, ChannelFeedback)
    assert [(org, f.total) for org, f in channel.organisations] == [  # by name
        ("Botkyrkabyggen", 3),
        ("Polisen lokalpolisområde Botkyrka", 1),
    ]
    posted = message_for(channel, "C0EST")["text"]
    assert "*Botkyrkabyggen*: 3 händelser, vid Fittja centrum (2), Albys hjärta (1)." in posted
    assert len(sent) == 4  # the planning marker is sent as nothing


def test_who_switched_it_off_gets_nothing(month: Services):
    natt = as_user(month, "U0NATT")
    month.reporters.set_own_feedback(natt, False, now=NOW)
    plan_feedback(month.db, now=SEND)
    month.reporters.set_own_feedback(as_user(month, "U0SARA"), False, now=SEND)  # after planning
    sent = dict(send_all(month).sent)
    assert "U0NATT" not in sent and "U0SARA" not in sent and "U0ERIK" in sent


def test_a_web_reporters_feedback_is_behind_their_link(month: Services, anna):
    created = month.reporters.create(anna, "Skolan; Botkyrka kommun", now=NOW)
    reporter = month.reporters.reporter(created.token)
    assert reporter is not None
    form = Submission("Fittja centrum", "klotter", "", "e")
    month.webform.submit(reporter, form, nonce="n1", now=NOW)
    label, found = month.webform.feedback(reporter, now=SEND)
    assert SV.render(label) == "november 2026" and found is not None
    assert found.total == 1 and found.places[0].actions == ("Belysning vid entrén",)
    page = build_feedback(
        translator("sv"), found, on=True, csrf="t", back="/rapportera/x", month=label
    )
    assert "I november 2026 rapporterade du 1 händelse, vid Fittja centrum." in page
    assert "genomförda åtgärder: Belysning vid entrén" in page
    month.reporters.set_feedback(reporter, False, now=SEND)
    again = month.reporters.reporter(created.token)
    assert again is not None and again.feedback is False


def test_an_english_group_in_london_gets_english_months_at_its_own_time(month: Services):
    with month.db.unit_of_work() as uow:
        group = uow.groups.get(1)
        assert group is not None
        group.language, group.timezone = "en", "Europe/London"
        session_of(uow).add(group)
    # 23:30 on 30 November in London is 00:30 on 1 December in Stockholm: November's, here
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    month.incidents.log_text(as_user(month, "U0NATT"), "Fittja centrum; klotter; e", now=late)
    # 09:00 in London on Tuesday 1 December is 09:00 UTC (08:00 UTC is 09:00 in Stockholm)
    assert plan_feedback(month.db, now=SEND) == 0
    assert plan_feedback(month.db, now=SEND + timedelta(hours=1)) == 4
    sent = send_all(month, SEND + timedelta(hours=1))
    notes = dict(sent.sent)
    reporter, channel = notes["U0NATT"], notes["C0EST"]
    assert isinstance(reporter, ReporterFeedback) and reporter.feedback.total == 4
    text = message_for(reporter, "U0NATT", sent.languages["U0NATT"])["text"]
    assert text.startswith("In November 2026 you reported 4 incidents, at Fittja centrum, Albys")
    posted = message_for(channel, "C0EST", sent.languages["C0EST"])["text"]
    assert posted.startswith("*What the reports of November 2026 led to*")


def test_a_reporter_who_reads_english_gets_english_months_in_a_swedish_group(month: Services):
    with month.db.unit_of_work() as uow:
        natt = uow.members.find(1, "U0NATT")
        assert natt is not None
        natt.language = "en"
    plan_feedback(month.db, now=SEND)
    sent = send_all(month, SEND)
    notes = dict(sent.sent)
    assert sent.languages["U0NATT"] == "en"
    text = message_for(notes["U0NATT"], "U0NATT", "en")["text"]
    assert text.startswith("In November 2026 you reported 3 incidents, at Fittja centrum, Albys")
    # the group's channel stays Swedish
    posted = message_for(notes["C0EST"], "C0EST", sent.languages["C0EST"])["text"]
    assert posted.startswith("*Vad rapporterna i november 2026 ledde till*")
