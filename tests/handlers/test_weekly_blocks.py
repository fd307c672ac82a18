"""The minutes as Slack sees them: decisions, actions made from the agenda, agreed levels."""

from datetime import UTC, date, datetime

from bot.actions.results import ActionItem
from bot.actors import EstGroup
from bot.i18n import Translator
from bot.weekly.meetings import MeetingDecision, Minutes
from bot.weekly.notifications import PicturePosted
from bot.weekly.picture import Picture, PlaceLine
from bot.weekly.weeks import MeetingState
from handlers.weekly.blocks import build_agenda_part, build_minutes, build_picture, build_posted

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def test_minutes_list_decisions_actions_and_levels():
    action = ActionItem(
        id=7,
        group_id=1,
        title="Städa <!channel> trappan",
        description="",
        owner_user_id="U0SARA",
        organisation="Botkyrkabyggen",
        horizon="kort",
        status="öppen",
        due_date=date(2026, 12, 1),
        places=(),
        incident_ids=(),
        iso_year=2026,
        iso_week=48,
        decision_ref="meeting:1",
        created_by="U0ANNA",
        created_at=NOW,
        updated_at=NOW,
        done_at=None,
    )
    line = PlaceLine(1, "Fittja centrum", "Fittja", 3, 1.0, [], [], "allvarligt", True, [])
    picture = Picture(1, 2026, 48, "2026-11-24", None, "", "", [line], [], [], version=1)
    decision = MeetingDecision(1, "Trygghetsvandring torsdag", "Fittja centrum", None, None, None)
    minutes = Minutes(1, 2026, 48, (decision,), picture, (action,))
    [message] = build_minutes(Translator("sv"), minutes)
    text = str(message["blocks"])
    assert "Protokoll, vecka 48 2026" in message["text"]
    assert "Trygghetsvandring torsdag (Fittja centrum)" in text
    assert (
        "Ny åtgärd #7 ”Städa &lt;!channel&gt; trappan”, <@U0SARA>, klar senast tis 1 dec." in text
    )
    assert "Fittja centrum: :red_circle: allvarligt" in text
    assert "(version 1)" in text


def test_a_long_agenda_is_redrawn_part_by_part():
    lines = [
        PlaceLine(i, f"Plats {i:02d}", "Fittja", 30 - i, 1.0, [], [], "oroligt", False, [])
        for i in range(30)
    ]
    agenda = Picture(1, 2026, 48, "2026-11-24", None, "", "", lines, [], [])
    tr = Translator("sv")
    first, second = build_picture(tr, agenda, meeting_id=5)
    assert first["blocks"][-1]["block_id"] == "picture_part_1"
    assert second["blocks"][-1]["block_id"] == "picture_part_2"
    assert build_agenda_part(tr, agenda, 5, second) == second  # the message whose menu was used
    assert build_agenda_part(tr, agenda, 5, first) == first
    assert build_agenda_part(tr, agenda, 5, None) == first
    shorter = Picture(1, 2026, 48, "2026-11-24", None, "", "", lines[:3], [], [])
    [whole] = build_picture(tr, shorter, meeting_id=5)
    assert build_agenda_part(tr, shorter, 5, second) == whole  # it fits in one message now


def _posted_text(meeting: MeetingState, version: int | None) -> str:
    line = PlaceLine(1, "Fittja centrum", "Fittja", 3, 1.0, [], [], "allvarligt", True, [])
    picture = Picture(1, 2026, 48, "2026-11-24", None, "", "", [line], [], [], version=version)
    group = EstGroup(1, "EST Fittja", "T0", "C0EST", "sv", "Europe/Stockholm")
    [message] = build_posted(Translator("sv"), PicturePosted(group, picture, False, None, meeting))
    return str(message["blocks"])


def test_the_lägesbild_posted_after_the_meeting_closed_says_fastställd_not_start_the_meeting():
    text = _posted_text(MeetingState.CLOSED, 1)
    assert "Mötet är avslutat: den här lägesbilden är fastställd (version 1)." in text
    assert "Fastställd, version 1." in text
    assert "Starta mötet" not in text
    assert "Starta mötet med `/est möte`." in _posted_text(MeetingState.NOT_STARTED, None)
    open_text = _posted_text(MeetingState.OPEN, None)
    assert "Mötet pågår." in open_text and "Starta mötet" not in open_text
