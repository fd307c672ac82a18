"""Swedish times and periods as typed on a phone: "igår 21:30", "i fredags kl 22", "v47".

Pure functions: ``now`` is always a parameter (aware); results are aware UTC. Local time (the
group's ``tz``) exists only in what the user typed and in the texts shown back.

How a time is read (``parse_when``):

- Case and diacritics do not matter ("I GÅR", "igar"); "kl", "kl." and "klockan" are optional
  before a time, and "21.30" is 21:30 — so "20.11" alone is the time 20:11, not 20 November.
- A date without a time means the time is unknown: it is read as 12:00 local, or as ``now`` when
  the date is today and 12:00 has not come yet. "2026-12-01 19" is 19:00 that day: after a
  date written in full, a bare number is the hour.
- Parts of the day (``PARTS``), alone or after a day ("igår kväll", "i fredags morse"):
  "i morse" is this morning, read as 08:00; "i kväll" is this evening, read as 20:00 (after
  midnight, until 05:00, it is still the evening that just went); "i natt" is the night that
  has begun most recently — the one from yesterday 22:00 until 22:00 today, then tonight —
  read as 01:00 of its morning. A part of the day that has begun but not reached its reading
  is ``now``. A clock names the hour in that part: "i kväll 9" is 21:00, "i natt 23" is 23:00
  the evening the night began, "i natt 2" is 02:00 the morning after.
- A time without a date is today. A time later than ``now`` is refused, never moved to yesterday.
- "fredag 22:00" is the most recent Friday 22:00 that has passed (today if it is Friday after
  22:00); "i fredags" is the Friday before today. A date without a year is the most recent one.
- A local time that does not exist (02:30 on 2026-03-29, spring forward) is read with the winter
  offset, i.e. as 03:30 summer time; one that happens twice (02:30 on 2026-10-25) is the first,
  summer-time one. This is zoneinfo's ``fold=0``.

Periods (``parse_period``) run from local midnight to local midnight, so a week across a DST change
lasts 167 or 169 hours. A month without a year is the most recent one that has started.

Weeks are ISO weeks, one rule everywhere (``read_week`` for the commands that take one week):

- "v50", "vecka 50", "50" without a year is the week 50 *nearest today*: in December "v2" is
  next January's week 2, in January "v50" is last December's; next week's number is next week,
  never last year's. Nearest counts weeks from today's week; a tie (26 weeks either way) goes to
  the past. A week 53 is counted where it would be even in a year that has none, so "v53" in
  December 2027 is 2027's week 53, which does not exist, and is refused — not moved a year.
- "v50 2026", "vecka 50 2026", "2026-v50", "2026 v50", "2026-W50" is explicit.
- A week number no year has (v0, v54) or a week 53 of a 52-week year is refused, saying what was
  understood and what is allowed (``NoSuchWeek``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from bot.errors import InvalidInput
from bot.i18n import N_, LazyText

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MAX_TEXT = 80  # longer input is not a time or a period; it also keeps dateparser fast
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_WEEK = 53
NOON = time(12)

_WEEKDAY_NAMES = {
    "mandag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lordag": 5, "sondag": 6
}  # fmt: skip
_WEEKDAY_SHORT = {"man": 0, "tis": 1, "ons": 2, "tor": 3, "tors": 3, "fre": 4, "lor": 5, "son": 6}
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, start=1)}
_MONTH_NAMES.update({name[:3]: i for i, name in enumerate(MONTHS, start=1)} | {"sept": 9})
# days back from today; tomorrow is understood so that it can be refused as the future
_RELATIVE_DAYS = {
    "idag": 0, "i dag": 0, "igar": 1, "i gar": 1, "forrgar": 2, "i forrgar": 2,
    "imorgon": -1, "i morgon": -1, "overmorgon": -2, "i overmorgon": -2,
}  # fmt: skip

# part of the day: (the time it is read as without a clock, the hour it begins); the night
# begins in the evening and is read as 01:00 of the morning after
PARTS = {"morning": (time(8), 5), "evening": (time(20), 18), "night": (time(1), 22)}
_PART_WORDS = {
    "morse": "morning", "morgon": "morning", "morgonen": "morning",
    "kvall": "evening", "kvallen": "evening", "natt": "night", "natten": "night",
}  # fmt: skip
_PART = re.compile(r"^(?:i\s*|(?P<day>.+?)\s+)(?P<part>[a-z]+)$")

_CLOCK = r"(?P<kl>kl(?:ockan)?\.?\s*)?(?P<h>[0-9]{1,2})(?:[:.](?P<m>[0-9]{2}))?"
_TIME_AT_END = re.compile(r"(?:^|\s)" + _CLOCK + r"$")
_TIME_AT_START = re.compile(r"^" + _CLOCK + r"(?:\s|$)")
_PAST_WEEKDAY = re.compile(r"(?:i )?([a-z]+dag)s")  # "i fredags", "fredags"

_WEEK_WORD = r"(?:vecka|week|v\.?|w)\s*"
_WEEK = re.compile(_WEEK_WORD + r"([0-9]{1,3})(?:,?\s*([0-9]{4}))?")  # "v47", "vecka 47 2026"
_ISO_WEEK = re.compile(r"([0-9]{4})[-\s]?" + _WEEK_WORD + r"([0-9]{1,3})")  # "2026-W47", "2026 v47"
# a week at the start of a text, for "ändra v50 2026 <orsak>": what ``read_week`` reads
_WEEK_NUMBER = _WEEK_WORD + r"[0-9]{1,3}"
_LEADING_WEEK = re.compile(
    r"(?:[0-9]{4}[-\s]?" + _WEEK_NUMBER + "|" + _WEEK_NUMBER + r"(?:,?\s*[0-9]{4})?"
    r"|[0-9]{1,2}(?:\s+[0-9]{4})?|f[öo]rra\s+veckan|denna\s+veckan?|i\s+veckan)(?=\s|$)",
    re.IGNORECASE,
)
_MONTH = re.compile(r"([a-z]+)\.?(?:,?\s*([0-9]{4}))?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_YEAR = re.compile(r"[0-9]{4}")
_RANGE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})\s*(?:--|-|–|—|till)\s*([0-9]{4}-[0-9]{2}-[0-9]{2})"
)
_LAST_DAYS = re.compile(r"(?:de )?(?:senaste|sista) ([0-9]{1,4}) dag(?:ar|arna)?")
_THIS_WEEK = {"denna vecka", "denna veckan", "den har veckan", "i veckan"}
_LAST_WEEK = {"forra veckan", "forra vecka"}
_THIS_MONTH = {"denna manad", "den har manaden", "i manaden"}
_LAST_MONTH = {"forra manaden"}
_THIS_YEAR = {"i ar", "detta ar", "det har aret"}
_LAST_YEAR = {"forra aret", "i fjol"}


class NoSuchWeek(InvalidInput):
    """A week number the year does not have (week 53 of most years, week 0, week 60).

    ``year`` is None when no year has the week; ``typed`` says whether the year was written
    or chosen by the rule. ``iso_week`` raises the short form; what people typed is answered
    with ``explained``, which says what was understood and what is allowed."""

    def __init__(
        self,
        year: int | None,
        week: int,
        *,
        typed: bool = True,
        near: int | None = None,
        message: LazyText | None = None,
    ) -> None:
        super().__init__(
            message or N_("{year} has no week {week}.", year=year, week=week), field="period"
        )
        self.year = year
        self.week = week
        self.typed = typed
        self.near = near or year or MIN_YEAR  # the year to suggest a week 53 near

    def explained(self, text: str) -> NoSuchWeek:
        long_year = nearest_long_year(self.near)
        params = {"text": text, "week": self.week, "year": self.year, "long_year": long_year}
        if self.year is None:
            message = N_(
                "“{text}” is week {week}, and there is no such week: weeks are numbered 1 to 52, "
                "and 1 to 53 in the years that have 53 weeks, such as {long_year}.",
                **params,
            )
        elif self.typed:
            message = N_(
                "“{text}” is week {week} of {year}, but {year} has only 52 weeks. Write a week "
                "from 1 to 52, or the year of a week 53, such as “v53 {long_year}”.",
                **params,
            )
        else:
            message = N_(
                "“{text}” without a year is the week {week} nearest today, that of {year}, but "
                "{year} has only 52 weeks. Write a week from 1 to 52, or the year of a week 53, "
                "such as “v53 {long_year}”.",
                **params,
            )
        return NoSuchWeek(self.year, self.week, typed=self.typed, near=self.near, message=message)


@dataclass(frozen=True)
class Period:
    start: datetime  # aware UTC, inclusive
    end: datetime  # aware UTC, exclusive
    label: LazyText


def format_local(dt: datetime, tz: ZoneInfo) -> str:
    """'fredag 20 november 2026 kl. 21:30': Swedish, in the local zone."""
    local = dt.astimezone(tz)
    return f"{format_day(local.date())} kl. {local:%H:%M}"


def parse_when(
    text: str, *, now: datetime, tz: ZoneInfo, max_past: timedelta = timedelta(days=365)
) -> datetime:
    """When something happened, as typed in Swedish; aware UTC in [now - max_past, now]."""
    shown = " ".join(text.split())
    when = read_when(text, now=now, tz=tz)
    understood = format_local(when, tz)
    if when > now:
        message = N_(
            "“{text}” is {understood}, which is in the future.", text=shown, understood=understood
        )
        raise InvalidInput(message, field="when")
    if when < now - max_past:
        params = {"text": shown, "understood": understood, "days": max_past.days}
        if max_past == timedelta(days=365):
            message = N_("“{text}” is {understood}, more than a year ago.", **params)
        else:
            message = N_("“{text}” is {understood}, more than {days} days ago.", **params)
        raise InvalidInput(message, field="when")
    return when


def read_when(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The time meant by ``text`` (empty or "nu": now), aware UTC, however far back or ahead:
    the caller says which times it allows (see bot.recording)."""
    cleaned = _clean(text)
    if cleaned in ("", "nu", "just nu"):
        return now.astimezone(UTC)
    local = _read_local(cleaned, now.astimezone(tz), tz) if len(cleaned) <= MAX_TEXT else None
    if local is None:
        raise InvalidInput(
            N_(
                "I could not read “{text}” as a time. Write for example “igår 21:30”, "
                "“i fredags kl 22” or “2026-11-20 21:30”.",
                text=" ".join(text.split()),
            ),
            field="when",
        )
    return local.astimezone(UTC)


def _read_local(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """``text`` cleaned, ``now`` local; the local time meant, or None when unreadable."""
    date_part, clock = _split_time(text)
    day_word = _fold(date_part)
    bare = clock is not None and not (clock["kl"] or clock["m"])
    if bare and not (_is_day_word(day_word) or _part_of_day(day_word) or _ISO_DATE.match(day_word)):
        date_part, day_word, clock = text, _fold(text), None  # "20 11": a bare number, no clock
    if part := _part_of_day(day_word):
        return _read_part(part, clock, now, tz)
    at = _clock_time(clock) if clock else None
    if clock and at is None:
        return None
    today = now.date()
    if not day_word:
        return _at(today, at, tz) if at is not None else None  # "kl 22": today
    if (offset := _RELATIVE_DAYS.get(day_word)) is not None:
        day = today - timedelta(days=offset)
    elif (weekday := _weekday(day_word)) is not None:
        number, before_today = weekday
        day = today - timedelta(days=(today.weekday() - number) % 7 or 7 * before_today)
        if at is not None and not before_today and _at(day, at, tz) > now:
            day -= timedelta(days=7)
    else:
        relative = "sedan" in day_word.split()
        parsed = _dateparser(date_part, now, tz) if relative or _has_digit(day_word) else None
        if parsed is None:
            return None
        if at is None and (relative or parsed.time() != time(0)):  # "3 dagar sedan", "…T21:30"
            return parsed
        day = parsed.date()
    if at is not None:
        return _at(day, at, tz)
    noon = _at(day, NOON, tz)
    return now if day == today and noon > now else noon


def _part_of_day(folded: str) -> tuple[str, str] | None:
    """'i natt' → ('', 'night'); 'igar kvall' → ('igar', 'evening'); else None."""
    match = _PART.match(folded)
    if match is None or (part := _PART_WORDS.get(match["part"])) is None:
        return None
    day = match["day"] or ""
    if day and not _is_day_word(day):
        return None
    if not day and match["part"].startswith("morgon"):  # "i morgon" is tomorrow
        return None
    return day, part


def _read_part(
    found: tuple[str, str], clock: re.Match[str] | None, now: datetime, tz: ZoneInfo
) -> datetime | None:
    """A part of the day (see the module's rules), ``now`` local."""
    day_word, part = found
    reading, begins = PARTS[part]
    today = now.date()
    if day_word:
        day = _day_of(day_word, today)
    elif part == "night":
        day = today - timedelta(days=now.hour < begins)  # the evening the night began
    else:
        day = today - timedelta(days=part == "evening" and now.hour < PARTS["morning"][1])
    if clock is not None:
        hour = _part_hour(part, int(clock["h"]))
        if hour is None or int(clock["m"] or 0) > 59:
            return None
        return _at(
            day + timedelta(days=part == "night" and hour < 12),
            time(hour, int(clock["m"] or 0)),
            tz,
        )
    at = _at(day + timedelta(days=part == "night"), reading, tz)
    start = _at(day, time(begins), tz)
    return now if start <= now < at else at


def _part_hour(part: str, hour: int) -> int | None:
    """The hour on the clock meant by ``hour`` in that part of the day, or None if outside it."""
    if part == "morning":
        return hour if 4 <= hour <= 11 else None
    if part == "evening":
        hour = hour + 12 if 3 <= hour < 12 else hour
        return hour if 15 <= hour <= 23 else None
    if 7 <= hour < 12:  # "i natt 11": 23:00
        hour += 12
    return hour if hour <= 6 or 19 <= hour <= 23 else None


def _day_of(day_word: str, today: date) -> date:
    """The day a day word names: 'igar', 'fredag' (the last one, today included), 'i fredags'."""
    if (offset := _RELATIVE_DAYS.get(day_word)) is not None:
        return today - timedelta(days=offset)
    weekday = _weekday(day_word)
    assert weekday is not None
    number, before_today = weekday
    return today - timedelta(days=(today.weekday() - number) % 7 or 7 * before_today)


def explain_when(text: str, *, tz: ZoneInfo, at: datetime) -> LazyText | None:
    """What a part of the day was read as, for the confirmation: None for any other time."""
    cleaned = _clean(text)
    date_part, clock = _split_time(cleaned)
    found = _part_of_day(_fold(date_part if clock else cleaned))
    if found is None:
        return None
    local = at.astimezone(tz)
    params = {"text": " ".join(text.split()), "when": format_local(at, tz)}
    if clock is not None:
        return N_("“{text}” is read as {when}.", **params)
    if found[1] == "night":
        evening = local.date() - timedelta(days=local.hour < 12)
        night = N_(
            "the night from {evening} to {morning}",
            evening=format_day(evening),
            morning=format_day(evening + timedelta(days=1)),
        )
        return N_(
            "“{text}” is {night}; without a time it is saved as {when}. Correct the time if "
            "you know it.",
            night=night,
            **params,
        )
    return N_(
        "“{text}” without a time is saved as {when}. Correct the time if you know it.", **params
    )


def _split_time(text: str) -> tuple[str, re.Match[str] | None]:
    """'igår kl. 21' → ('igår', clock); '21.30 igår' → ('igår', clock); a clock is 'kl' or ':'."""
    if match := _TIME_AT_END.search(text):
        return text[: match.start()].strip(), match
    match = _TIME_AT_START.match(text)
    if match and (match["kl"] or match["m"]):
        return text[match.end() :].strip(), match
    return text, None


def _clock_time(match: re.Match[str]) -> time | None:
    hour, minute = int(match["h"]), int(match["m"] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _has_digit(text: str) -> bool:
    return any("0" <= c <= "9" for c in text)


def _is_day_word(folded: str) -> bool:
    return folded in _RELATIVE_DAYS or _weekday(folded) is not None


def _weekday(folded: str) -> tuple[int, bool] | None:
    """'fredag' → (4, False); 'i fredags' → (4, True): the Friday strictly before today."""
    if (number := _WEEKDAY_NAMES.get(folded.removeprefix("i "))) is not None:
        return number, False
    if (number := _WEEKDAY_SHORT.get(folded.rstrip("."))) is not None:
        return number, False
    match = _PAST_WEEKDAY.fullmatch(folded)
    if match and (number := _WEEKDAY_NAMES.get(match[1])) is not None:
        return number, True
    return None


def _dateparser(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """A date (or 'för 2 timmar sedan') read by dateparser; never a bare number or a month.

    Only text with a digit or "sedan" gets here: dateparser reads "en" as the 1st of the month.
    """
    if text.isdigit():  # "22": the 22nd or 22:00? dateparser says the 22nd; we do not guess
        return None
    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "TIMEZONE": tz.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
    }
    try:
        data = DateDataParser(languages=["sv"], settings=settings).get_date_data(text)
    except (ValueError, OverflowError, TypeError):  # dateparser on odd input
        return None
    result: datetime | None = data.date_obj
    if result is None or data.period not in ("day", "time"):  # "november", "2026": too vague
        return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    return result.astimezone(tz)


def parse_period(text: str, *, now: datetime, tz: ZoneInfo) -> Period:
    """'v47', 'förra veckan', 'november', '2026-11-01–2026-11-15', 'senaste 30 dagarna' …"""
    folded = _fold(_clean(text)).strip(" ,")
    try:
        period = (
            _read_period(folded, now.astimezone(tz).date(), tz) if len(folded) <= MAX_TEXT else None
        )
    except NoSuchWeek as missing:
        raise missing.explained(" ".join(text.split())) from None
    if period is None:
        raise InvalidInput(
            N_(
                "I could not read “{text}” as a period. Write for example “v47”, "
                "“förra veckan”, “november” or “2026-11-01–2026-11-15”.",
                text=" ".join(text.split()),
            ),
            field="period",
        )
    return period


def this_week(*, now: datetime, tz: ZoneInfo) -> Period:
    """The ISO week of ``now``: Monday 00:00 local to the next Monday 00:00 local."""
    year, week, _ = now.astimezone(tz).isocalendar()
    return iso_week(year, week, tz=tz)


def iso_week(year: int, week: int, *, tz: ZoneInfo) -> Period:
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise NoSuchWeek(year, week) from None
    label = N_("week {week}, {year}", week=week, year=year)
    return _days(monday, monday + timedelta(days=6), tz, label)


def week_of(period: Period, tz: ZoneInfo) -> tuple[int, int] | None:
    """The ISO (year, week) when ``period`` is exactly one ISO week, else None."""
    year, week, _ = period.start.astimezone(tz).isocalendar()
    whole = iso_week(year, week, tz=tz)
    return (year, week) if (period.start, period.end) == (whole.start, whole.end) else None


def split_period(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[str, Period | None]:
    """'Fittja centrum v47' → ('Fittja centrum', v47), and 'förra veckan Fittja' → ('Fittja',
    förra veckan): the longest trailing 1–4 words that are a period, else the longest leading."""
    words = list(re.finditer(r"\S+", text))
    for count in range(min(4, len(words)), 0, -1):
        start = words[-count].start()
        if (period := _period_or_none(text[start:], now, tz)) is not None:
            return text[:start].rstrip().rstrip(",;").rstrip(), period
    for count in range(min(4, len(words) - 1), 0, -1):
        end = words[count - 1].end()
        if (period := _period_or_none(text[:end], now, tz)) is not None:
            return text[end:].strip().lstrip(",;").lstrip(), period
    return text, None


def _period_or_none(text: str, now: datetime, tz: ZoneInfo) -> Period | None:
    try:
        return parse_period(text, now=now, tz=tz)
    except NoSuchWeek:
        raise  # "Fittja v54": a week was meant, and it does not exist
    except InvalidInput:
        return None


def _read_period(text: str, today: date, tz: ZoneInfo) -> Period | None:
    if text in ("idag", "i dag", "igar", "i gar"):
        day = today - timedelta(days=0 if text.endswith("dag") else 1)
        shown = format_day(day)
        label = (
            N_("today, {date}", date=shown) if day == today else N_("yesterday, {date}", date=shown)
        )
        return _days(day, day, tz, label)
    if text in _THIS_WEEK | _LAST_WEEK:
        year, week, _ = (today - timedelta(weeks=text in _LAST_WEEK)).isocalendar()
        return iso_week(year, week, tz=tz)
    if text in _THIS_MONTH | _LAST_MONTH:
        first = today.replace(day=1)
        return _month(first - timedelta(days=1) if text in _LAST_MONTH else first, tz)
    if text in _THIS_YEAR | _LAST_YEAR:
        return _year(today.year - (text in _LAST_YEAR), tz)
    if match := _WEEK.fullmatch(text):
        return _week(int(match[1]), int(match[2]) if match[2] else None, today, tz)
    if match := _ISO_WEEK.fullmatch(text):
        return _week(int(match[2]), int(match[1]), today, tz)
    if (match := _MONTH.fullmatch(text)) and match[1] in _MONTH_NAMES:
        month = _MONTH_NAMES[match[1]]
        year = int(match[2]) if match[2] else today.year - (month > today.month)
        return _month(date(year, month, 1), tz) if MIN_YEAR <= year <= MAX_YEAR else None
    if (match := _ISO_MONTH.fullmatch(text)) and 1 <= int(match[2]) <= 12:
        year = int(match[1])
        return _month(date(year, int(match[2]), 1), tz) if MIN_YEAR <= year <= MAX_YEAR else None
    if _YEAR.fullmatch(text) and MIN_YEAR <= int(text) <= MAX_YEAR:
        return _year(int(text), tz)
    if match := _RANGE.fullmatch(text):
        return _range(match[1], match[2], text, tz)
    if (match := _LAST_DAYS.fullmatch(text)) and int(match[1]) >= 1:
        first = today - timedelta(days=int(match[1]) - 1)
        return _days(first, today, tz, _range_label(first, today))
    return None


def _week(week: int, year: int | None, today: date, tz: ZoneInfo) -> Period | None:
    """A week number; without a year, the week with that number nearest today."""
    if not 1 <= week <= MAX_WEEK:
        raise NoSuchWeek(None, week, near=today.year)
    if year is None:
        year = nearest_week(week, today)[0]
        if week > weeks_in(year):
            raise NoSuchWeek(year, week, typed=False)
    return iso_week(year, week, tz=tz) if MIN_YEAR <= year <= MAX_YEAR else None


def weeks_in(year: int) -> int:
    """52 or 53: the ISO year's last week is the one with 28 December in it."""
    return date(year, 12, 28).isocalendar()[1]


def nearest_week(week: int, today: date) -> tuple[int, int]:
    """The rule for a week number without a year: (ISO year, week) of the week numbered ``week``
    nearest ``today``'s week, counted in weeks; a tie goes to the past. Each year's week
    ``week`` is counted from its week 1, even when the year has no such week (a week 53)."""
    this_year = today.isocalendar()[0]
    monday = today - timedelta(days=today.weekday())

    def distance(year: int) -> tuple[int, bool]:
        at = date.fromisocalendar(year, 1, 1) + timedelta(weeks=week - 1)
        return abs((at - monday).days), at > monday

    return min((this_year - 1, this_year, this_year + 1), key=distance), week


def nearest_long_year(year: int) -> int:
    """The year nearest ``year`` that has a week 53 (the earlier on a tie)."""
    for offset in range(0, 7):  # a 53-week year comes at least every seven years
        for candidate in (year - offset, year + offset):
            if weeks_in(candidate) == MAX_WEEK:
                return candidate
    raise AssertionError("unreachable: the ISO calendar has a week 53 every 5 or 6 years")


def read_week(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """One ISO week as typed, by the rule above: (ISO year, week). 'v50', 'vecka 50', '50',
    'v50 2026', '2026-v50', 'förra veckan' …; a month, a day or a range is refused."""
    typed = " ".join(text.split())
    not_a_week = InvalidInput(
        N_("Write the week as v50, v50 2026 or 2026-v50 (“{text}”).", text=typed),
        field="period",
    )
    reading = (
        f"v{typed}" if typed.isdigit() or re.fullmatch(r"[0-9]{1,2} [0-9]{4}", typed) else typed
    )
    try:
        period = parse_period(reading, now=now, tz=tz)
    except NoSuchWeek as missing:
        raise missing.explained(typed) from None
    except InvalidInput:
        raise not_a_week from None
    if (found := week_of(period, tz)) is None:  # a month, a day, a range: not one week
        raise not_a_week
    return found


def split_leading_week(text: str) -> tuple[str, str]:
    """'v50 2026 Fel siffror' → ('v50 2026', 'Fel siffror'): the week that ``read_week`` reads
    at the start, and the rest; ('', text) when the text does not start with a week."""
    stripped = text.strip()
    match = _LEADING_WEEK.match(stripped)
    if match is None:
        return "", stripped
    return match[0], stripped[match.end() :].strip()


def week_span(year: int, week: int) -> str:
    """'7–13 december 2026', '28 december 2026 – 3 januari 2027': the days of an ISO week."""
    monday = date.fromisocalendar(year, week, 1)
    return day_span(monday, monday + timedelta(days=6))


def day_span(first: date, last: date) -> str:
    """'7–13 december 2026', '1 november – 15 december 2026', '28 december 2026 – 3 januari
    2027', '5 maj 2026': days from ``first`` to ``last`` as a reader says them."""
    if first == last:
        return f"{_day_month(last)} {last.year}"
    if first.year != last.year:
        return f"{_day_month(first)} {first.year} – {_day_month(last)} {last.year}"
    if first.month != last.month:
        return f"{_day_month(first)} – {_day_month(last)} {last.year}"
    return f"{first.day}–{_day_month(last)} {last.year}"


def _day_month(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _range(first_text: str, last_text: str, typed: str, tz: ZoneInfo) -> Period | None:
    try:
        first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
    except ValueError:
        return None
    if not (MIN_YEAR <= first.year <= MAX_YEAR and MIN_YEAR <= last.year <= MAX_YEAR):
        return None
    if last < first:
        raise InvalidInput(N_("“{text}” ends before it starts.", text=typed), field="period")
    return _days(first, last, tz, _range_label(first, last))


def _range_label(first: date, last: date) -> LazyText:
    return N_("{days}", days=day_span(first, last))


def _month(first: date, tz: ZoneInfo) -> Period:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    label = N_("{month} {year}", month=MONTHS[first.month - 1], year=first.year)
    return _days(first.replace(day=1), following - timedelta(days=1), tz, label)


def _year(year: int, tz: ZoneInfo) -> Period:
    return _days(date(year, 1, 1), date(year, 12, 31), tz, N_("year {year}", year=year))


def _days(first: date, last: date, tz: ZoneInfo, label: LazyText) -> Period:
    """From ``first`` 00:00 local to the day after ``last`` 00:00 local, in UTC."""
    start = _at(first, time(0), tz).astimezone(UTC)
    return Period(start, _at(last + timedelta(days=1), time(0), tz).astimezone(UTC), label)


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def format_day(day: date) -> str:
    """'tisdag 8 december 2026': a day in Swedish, for the messages services raise."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _clean(text: str) -> str:
    """Compatibility forms folded, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _fold(text: str) -> str:
    """Without diacritics: 'förra' → 'forra', 'i går' → 'i gar'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
