"""The console's `:spola` moves the one clock: the commands, the forms and the clock's jobs all
see the same time, so a week played in a few lines is refused nothing because of time.

The console starts at Monday 7 December 2026 09:00 (Stockholm), a fixed clock, whatever the
machine's date. Before the one clock, `:spola` moved only the scheduler: the follow-up form the
bot sent on Thursday answered "Aktiviteten har inte börjat än", and nothing was overdue.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.actions.service import ActionDraft
from bot.demo.activities import load_demo_activities
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM
from bot.timekeeping import FixedClock
from handlers.local.console import Console
from tests.handlers.test_console import play

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=STOCKHOLM)


def after(screen: str, typed: str) -> str:
    return screen[screen.index(f"> {typed}\n") :]


def the_workspace_and_its_activities(console: Console) -> None:
    """The demo group without its history (so the screen's numbers are known), and the demo's
    activities: #7, a safety walk on Wednesday 16 December 19:00–22:00."""
    console.handle(":demo tom")
    load_demo_activities(console.services, now=console.now)


def test_a_week_played_with_spola_is_refused_nothing_because_of_time(tmp_path: Path) -> None:
    screen = play(
        tmp_path,
        [
            ":klocka",
            ":spola 10d",  # Thursday 17 December 09:00: the follow-up request is sent
            ":som Omar",
            ":19",  # its button: the follow-up form
            "12",
            "3",
            "4",
            "1",  # counted
            "0",
            "Lugnt vid stationen, fler vuxna",
            ":som anna",
            ":spola 2026-12-21 09:00",  # Monday: the summary of week 51
            "/est sammanfattning v51",
            ":klocka",
            ":q",
        ],
        setup=the_workspace_and_its_activities,
        clock=FixedClock(MONDAY),
    )
    assert "Klockan är 2026-12-07 09:00 (Stockholm)." in screen
    # what the clock sent during :spola says when it came, in the bot's time
    request = screen[: screen.index(":19 [Fyll i uppföljningen]")]
    assert request[request.rindex("[DM till @Omar Hassan") :].startswith(
        "[DM till @Omar Hassan · tors 17 dec."
    )
    follow_up = screen[
        screen.index(": Lugnt vid stationen, fler vuxna\n") :
    ]  # the form's last answer
    assert "inte börjat" not in screen
    assert "Deltagare: barn och unga 12, vuxna 3, arrangörer och aktörer 4 (totalt 19, räknat)" in (
        follow_up
    )
    assert (
        "Skapad mån 7 dec. 2026 09:00 av @Anna Lindqvist · ändrad tors 17 dec. 2026 09:00"
        in follow_up
    )
    asked = after(screen, "/est sammanfattning v51")
    assert "Sammanfattningen för vecka 51 postas i kanalen." in asked
    assert "inte slut" not in asked
    assert (
        "Trygghetsvandring vid Tumba station (trygghetsvandring) — Tumba station, ons 16 dec. "
        in (asked)
    )
    assert "> :klocka\nKlockan är 2026-12-21 09:00 (Stockholm).\n" in screen


def test_an_action_due_on_wednesday_is_overdue_after_spola(tmp_path: Path) -> None:
    def due_wednesday(console: Console) -> None:
        console.handle(":demo")
        anna = console.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, console.user)
        draft = ActionDraft("Ny belysning vid entrén", "U0ERIK", date(2026, 12, 9))
        console.services.actions.create(anna, draft, now=console.now)

    screen = play(
        tmp_path,
        [":spola 3d", "/est åtgärd försenade", ":q"],
        setup=due_wednesday,
        clock=FixedClock(MONDAY),
    )
    listed = after(screen, "/est åtgärd försenade")
    assert "Ny belysning vid entrén" in listed  # due Wednesday; it is Thursday now
    assert "Inga åtgärder här" not in listed
