"""The rules an activity's fields follow: kinds, organisers and their organisation numbers,
free text without personal data, counts, and when it may take place."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from stdnum.se import orgnr

from bot.activities.results import ATTENDANCE, Organiser
from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.privacy import ensure_no_personal_data
from bot.rules import clean_name
from storage.models import ActivityKind

MAX_PEOPLE = 100_000
MAX_AHEAD = timedelta(days=366)
MAX_BACK = timedelta(days=2 * 366)  # last year's activities may still be registered (re-reporting)


def parse_kind(value: str) -> str:
    key = fold(value.strip())
    english = {
        "event": "evenemang",
        "safety walk": "trygghetsvandring",
        "night walk": "nattvandring",
    }
    key = fold(english.get(key, key))
    for kind in ActivityKind:
        if fold(kind.value) == key or (fold(kind.value).startswith(key) and len(key) >= 4):
            return kind.value
    raise InvalidInput(
        N_(
            "Unknown kind of activity “{value}”. Choose one of: {kinds}.",
            value=value,
            kinds=", ".join(k.value for k in ActivityKind),
        ),
        field="kind",
    )


def check_org_number(value: str, field_name: str) -> str:
    """A Swedish organisation number (python-stdnum's checksum), formatted NNNNNN-NNNN. A sole
    trader's "organisation number" is their personnummer: refused as personal data."""
    ensure_no_personal_data(value, field=field_name)
    if not orgnr.is_valid(value):
        raise InvalidInput(
            N_(
                "“{value}” is not a valid organisation number (10 digits, e.g. 802000-1239).",
                value=value,
            ),
            field=field_name,
        )
    return str(orgnr.format(value))


_ORG_NUMBER = re.compile(r"[;,]?\s*(\d{6}-?\d{4})\s*$")


def parse_organisers(text: str) -> tuple[Organiser, ...]:
    """One organiser a line; an organisation number at the end of the line is checked."""
    found = []
    for line in text.splitlines():
        line = line.strip().strip(";,")
        if not line:
            continue
        number = None
        if match := _ORG_NUMBER.search(line):
            number = check_org_number(match.group(1), "organisers")
            line = line[: match.start()].strip().strip(";,").strip()
        name = clean_name(line, "organisers")
        ensure_no_personal_data(name, field="organisers")
        found.append(Organiser(name, number))
    return tuple(found)


def count_field(value: int | None, field_name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_PEOPLE:
        raise InvalidInput(N_("Write a whole number from 0 up."), field=field_name)
    return value


def span(
    day: date, begin: time, end: time, tz: ZoneInfo, now: datetime
) -> tuple[datetime, datetime]:
    """Start and end as aware UTC; an end at or before the start is the next morning."""
    start = datetime.combine(day, begin, tzinfo=tz)
    end_day = day if end > begin else day + timedelta(days=1)
    finish = datetime.combine(end_day, end, tzinfo=tz)
    if start - now > MAX_AHEAD or now - start > MAX_BACK:
        raise InvalidInput(N_("Choose a date within a year ahead or two years back."), field="date")
    return start.astimezone(now.tzinfo), finish.astimezone(now.tzinfo)


def check_attendance(values: dict[str, int]) -> dict[str, int]:
    found = {}
    for category in ATTENDANCE:
        n = values.get(category)
        if n is None:
            continue
        count_field(n, f"attendance_{ATTENDANCE.index(category)}")
        found[category] = int(n)
    if not found:
        raise InvalidInput(N_("Count at least one group of participants."), field="attendance_0")
    return found
