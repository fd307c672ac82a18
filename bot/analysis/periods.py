"""The EST rhythm above the week: quarters (kvartal, 2026-Q3) and tertials (tertial, 2026-T2),
and the ranking of places by need in one of them (pure).

A place's need is ``incidents + rise + 3 × serious weeks + worrying weeks + 2 × overdue
actions``: the rise counts only incidents above the period before; a serious (allvarligt) or
worrying (oroligt) week is one the meeting agreed that level for. Places with the same need
are ranked by incidents, then by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import InvalidInput
from bot.i18n import N_, Translator, format_days
from bot.timeparse import format_day

QUARTER, TERTIAL = "kvartal", "tertial"
_MONTHS = {QUARTER: 3, TERTIAL: 4}
_LETTER = {QUARTER: "Q", TERTIAL: "T"}
_NAMED = re.compile(r"^(\d{4})\s*-?\s*([QqTt])\s*(\d{1,2})$")


@dataclass(frozen=True)
class EstPeriod:
    kind: str  # kvartal or tertial
    year: int
    number: int  # 1–4 (quarters) or 1–3 (tertials)

    @property
    def label(self) -> str:
        return f"{self.year}-{_LETTER[self.kind]}{self.number}"

    @property
    def first(self) -> date:
        return date(self.year, (self.number - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def last(self) -> date:
        """The last day, included."""
        end_month = self.number * _MONTHS[self.kind]
        after = date(self.year + 1, 1, 1) if end_month == 12 else date(self.year, end_month + 1, 1)
        return after - timedelta(days=1)

    def before(self) -> EstPeriod:
        if self.number > 1:
            return EstPeriod(self.kind, self.year, self.number - 1)
        return EstPeriod(self.kind, self.year - 1, 12 // _MONTHS[self.kind])

    def after(self) -> EstPeriod:
        """The next period: the one the analysis of this one sets priorities for."""
        if self.number < 12 // _MONTHS[self.kind]:
            return EstPeriod(self.kind, self.year, self.number + 1)
        return EstPeriod(self.kind, self.year + 1, 1)

    def year_before(self) -> EstPeriod:
        return EstPeriod(self.kind, self.year - 1, self.number)


def period_name(tr: Translator, period: EstPeriod) -> str:
    """'kvartal 3 2026', 'tertial 2 2026': a period in a message ('2026-Q3' is what is typed)."""
    if period.kind == TERTIAL:
        return tr.gettext("tertial {number} {year}", number=period.number, year=period.year)
    return tr.gettext("quarter {number} {year}", number=period.number, year=period.year)


def period_words(tr: Translator, period: EstPeriod) -> str:
    """'kvartal 3 2026 (1 juli – 30 sep.)': the period's name and its days."""
    days = format_days(tr, period.first, period.last, year=False)
    return tr.gettext("{period} ({days})", period=period_name(tr, period), days=days)


def period_of(kind: str, day: date) -> EstPeriod:
    return EstPeriod(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)


def named_period(label: str) -> EstPeriod:
    """'2026-T3' → the tertial; InvalidInput for what names no period."""
    named = _NAMED.match(label.replace(" ", ""))
    if named is None:
        raise InvalidInput(
            N_("Write the period as 2026-Q3 (a quarter) or 2026-T2 (a tertial)."), field="period"
        )
    kind = TERTIAL if named[2].upper() == "T" else QUARTER
    period = EstPeriod(kind, int(named[1]), int(named[3]))
    if not 1 <= period.number <= 12 // _MONTHS[kind]:
        raise InvalidInput(N_("There is no period {label}.", label=period.label), field="period")
    return period


def parse_est_period(text: str, *, today: date) -> EstPeriod:
    """`[kvartal | tertial] [2026-Q3 | 2026-T2]`; nothing means the quarter just ended. A period
    that does not exist or has not ended is refused."""
    words = text.strip().split()
    kind = QUARTER
    if words and words[0].casefold() in (QUARTER, TERTIAL, "quarter", "tertiary"):
        kind = TERTIAL if words.pop(0).casefold().startswith("terti") else QUARTER
    if not words:
        return period_of(kind, today).before()
    period = named_period("".join(words))
    if period.last >= today:
        raise InvalidInput(
            N_(
                "{label} has not ended yet (its last day is {day}).",
                label=period.label,
                day=format_day(period.last),
            ),
            field="period",
        )
    return period


@dataclass(frozen=True)
class PlaceNeed:
    place_id: int
    place: str
    district: str
    incidents: int
    previous: int  # in the period before
    year_before: int  # in the same period a year before
    serious_weeks: int
    worrying_weeks: int
    open_actions: int
    overdue_actions: int
    activities: int  # held in the period
    archived: bool = False  # shown only when it had incidents in the period

    @property
    def need(self) -> int:
        rise = max(0, self.incidents - self.previous)
        return (
            self.incidents
            + rise
            + 3 * self.serious_weeks
            + self.worrying_weeks
            + 2 * self.overdue_actions
        )


def ranked(needs: list[PlaceNeed]) -> list[PlaceNeed]:
    """Most need first; places with no need and no activity are left out."""
    kept = [n for n in needs if n.need or n.activities]
    return sorted(kept, key=lambda n: (-n.need, -n.incidents, n.place))
