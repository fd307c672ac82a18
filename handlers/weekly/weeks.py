"""Which meeting, and which days: the lines `/est möte`, `/est rapport` and the lägesbild show.

"Mötet tisdag 8 december, vecka 50: veckans möte tisdag 1 december är över, så det här är
nästa." and "Hittills, fram till nu (mån 7/12 14:30): …". Pure functions of the domain's values.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.i18n import Translator
from bot.weekly.picture import Picture
from bot.weekly.weeks import MeetingWeek
from handlers.text import format_short


def day_text(tr: Translator, day: date, iso_year: int | None = None) -> str:
    """'tisdag 8 december'; with the year when it is not the ISO year's (30 December 2025 is in
    week 1 of 2026)."""
    locale = "en_GB" if tr.language == "en" else "sv_SE"
    pattern = "EEEE d MMMM" if iso_year in (None, day.year) else "EEEE d MMMM y"
    return format_date(day, pattern, locale=locale)


def meeting_line(tr: Translator, meeting: MeetingWeek) -> str:
    """The meeting, and why it is the one meant: this week's, or the next once this week's is
    over; a holiday that moved it is named."""
    day = day_text(tr, meeting.day, meeting.iso_year)
    week = (
        meeting.iso_week
        if meeting.iso_year == meeting.day.year
        else (f"{meeting.iso_week} {meeting.iso_year}")
    )
    if not meeting.by_time:
        line = tr.gettext("The meeting on {day}, week {week}.", day=day, week=week)
    elif meeting.held is not None:
        line = tr.gettext(
            "The meeting on {day}, week {week}: this week's meeting on {held} is over, so this "
            "is the next one.",
            day=day,
            week=week,
            held=day_text(tr, meeting.held),
        )
    elif meeting.begun:
        began = meeting.at.astimezone(ZoneInfo(meeting.timezone)).strftime("%H:%M")
        line = tr.gettext(
            "The meeting on {day}, week {week}: this week's meeting, which began at {time}.",
            day=day,
            week=week,
            time=began,
        )
    else:
        line = tr.gettext(
            "The meeting on {day}, week {week}: this week's meeting.", day=day, week=week
        )
    if meeting.holiday:
        line += " " + tr.gettext(
            "It moved from {planned} because of {holiday}.",
            planned=day_text(tr, meeting.planned),
            holiday=meeting.holiday,
        )
    return line


def window_line(tr: Translator, picture: Picture) -> str | None:
    """Which incidents the lägesbild counts: the seven days before its meeting, and — before the
    meeting — that it is what is known so far. None for a picture without its window."""
    if not (picture.window_start and picture.window_end):
        return None
    tz = ZoneInfo(picture.timezone)

    def at(iso: str) -> str:
        return format_short(datetime.fromisoformat(iso), tz, tr.language)

    start, end = at(picture.window_start), at(picture.window_end)
    if not picture.so_far:
        return tr.gettext(
            "Incidents of the seven days before the meeting: {start} – {end}.", start=start, end=end
        )
    if picture.window_start == picture.window_end:
        return tr.gettext(
            "The seven days before the meeting begin {start}: nothing is counted yet.", start=start
        )
    if picture.version is not None:
        return tr.gettext(
            "Frozen before the meeting's time: counted up to {until}, of the seven days before "
            "the meeting from {start}.",
            until=end,
            start=start,
        )
    return tr.gettext(
        "So far, up to now ({until}): the incidents of the seven days before the meeting, "
        "from {start}.",
        until=end,
        start=start,
    )
