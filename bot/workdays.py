"""Swedish working days, quiet hours and the group's time zone: when the bot may speak.

Pure functions. Nothing here reads the wall clock: the moment is always a parameter (aware), and
every datetime returned is aware UTC. Local time exists only through ``WorkingHours.tz``.

What counts as a day off (``is_working_day`` is False):

- Saturdays and Sundays.
- The public holidays of *lag (1989:253) om allmänna helgdagar*, from ``holidays`` (the PUBLIC
  category of the SE calendar): nyårsdagen, trettondedag jul, långfredagen, påskdagen, annandag
  påsk, första maj, Kristi himmelsfärdsdag, pingstdagen, nationaldagen, midsommardagen, alla
  helgons dag, juldagen, annandag jul.
- Midsommarafton (the Friday 19–25 June), julafton (24 December) and nyårsafton (31 December).
  They are not public holidays in law, but the annual leave act (SFS 1977:480, 3 a §) treats them
  like Sundays and public offices are closed. We compute them here rather than ask ``holidays``
  for its DE_FACTO category, which only newer releases of the package have.

A plain Sunday is a day off as a weekend, never as a *holiday*: ``is_holiday`` and ``holiday_name``
ignore the "Söndag" entries some releases of ``holidays`` put on every Sunday. Half days
(trettondagsafton, skärtorsdagen, valborgsmässoafton, …) and klämdagar are working days.

When a reminder may be sent (``allowed_at``), with the defaults quiet 18:00–07:00, morning 08:00:

- on a working day from 07:00 up to (not including) 18:00 local: at once;
- on a working day before 07:00: held until 08:00 the same day ("the next working morning");
- on a working day from 18:00, and on any day off: held until 08:00 on the next working day.

So Friday 19:00 → Monday 08:00, Tuesday 06:00 → Tuesday 08:00, Tuesday 07:30 → at once.

A local wall time that does not exist (02:30 on the spring-forward night) is read with the offset
before the change, i.e. it moves forward by the gap; one that happens twice is the first. This is
zoneinfo's ``fold=0``, the same rule as ``bot.timeparse``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import PUBLIC

_SUNDAY_ENTRY = "Söndag"
_SATURDAY = 5
_MAX_SCAN = 30  # no run of days off in Sweden is longer than a few days; this bounds the loops


@dataclass(frozen=True)
class WorkingHours:
    """A group's quiet hours. Sending is allowed in ``[quiet_end, quiet_start)`` local time."""

    tz: ZoneInfo
    quiet_start: time = time(18, 0)  # quiet from 18:00 …
    quiet_end: time = time(7, 0)  # … until 07:00 the next morning
    morning: time = time(8, 0)  # "the next working morning": this time on the next working day

    def __post_init__(self) -> None:
        if not self.quiet_end <= self.morning < self.quiet_start:
            raise ValueError(
                f"need quiet_end <= morning < quiet_start, got {self.quiet_end}, "
                f"{self.morning}, {self.quiet_start}"
            )


def is_holiday(day: date) -> bool:
    """A Swedish public holiday or one of the three eves off; never merely for being a Sunday."""
    return day in _days_off(day.year)


def holiday_name(day: date) -> str | None:
    """The Swedish name of the holiday on ``day`` ("Juldagen"), or None on any other day."""
    return _days_off(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < _SATURDAY and not is_holiday(day)


def working_day_on_or_after(day: date) -> date:
    """``day`` if it is a working day, else the first working day after it."""
    for offset in range(_MAX_SCAN):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    raise AssertionError(f"no working day within {_MAX_SCAN} days of {day}")  # pragma: no cover


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    return working_day_on_or_after(day + timedelta(days=1))


def working_days_before(day: date, n: int) -> date:
    """The n-th working day before ``day``: n=2 before a Monday is the Thursday.

    Exactly ``n`` working days lie in ``[result, day)``, and for n >= 1 the result is a working
    day (the latest date with that property). ``day`` itself need not be a working day. n=0 gives
    ``day`` unchanged.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    result = day
    for _ in range(n):
        result -= timedelta(days=1)
        while not is_working_day(result):
            result -= timedelta(days=1)
    return result


def at_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware UTC moment of wall time ``at`` on ``day`` in ``tz`` (fold=0, see the module)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def allowed_at(moment: datetime, hours: WorkingHours) -> datetime:
    """The earliest moment >= ``moment`` at which a reminder may be sent (aware UTC)."""
    if moment.utcoffset() is None:
        raise ValueError("moment must be an aware datetime")
    local = moment.astimezone(hours.tz)
    today, now = local.date(), local.time()
    if is_working_day(today):
        if now < hours.quiet_end:
            return at_local(today, hours.morning, hours.tz)
        if now < hours.quiet_start:
            return moment.astimezone(UTC)
    return at_local(next_working_day(today), hours.morning, hours.tz)


def meeting_day(planned: date) -> tuple[date, str | None]:
    """Where a meeting planned for ``planned`` takes place, and the holiday that moved it.

    A meeting on a working day stays. On a day off it moves to the next working day; the name is
    the holiday's (to say so in the channel), or None when it was only a weekend.
    """
    if is_working_day(planned):
        return planned, None
    return next_working_day(planned), holiday_name(planned)


@lru_cache(maxsize=64)
def _days_off(year: int) -> Mapping[date, str]:
    """Every holiday of ``year`` (public holidays and the three eves) with its Swedish name."""
    public = holidays.country_holidays(
        "SE", years=year, language="sv", categories=(PUBLIC,), include_sundays=False
    )
    days: dict[date, str] = {}
    for day in public:
        names = [name for name in public.get_list(day) if name != _SUNDAY_ENTRY]
        if names:
            days[day] = ", ".join(names)
    midsummer_eve = date(year, 6, 19) + timedelta(days=(4 - date(year, 6, 19).weekday()) % 7)
    for day, name in (
        (midsummer_eve, "Midsommarafton"),
        (date(year, 12, 24), "Julafton"),
        (date(year, 12, 31), "Nyårsafton"),
    ):
        days.setdefault(day, name)
    return days
