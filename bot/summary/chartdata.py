"""What the weekly chart shows, worked out before anything is drawn (pure, no matplotlib).

The chart is a meeting handout as much as a phone picture: its header names the group, the week
with its dates and the weeks drawn, and the day it was produced; each place's panel says in words
what its bars are; the category mix never folds the group's most important categories into
"övriga": the EST key categories (``KEY_CATEGORIES``) and the categories with the most incidents
over the weeks drawn keep their own colour, only the rest share one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.i18n import translator
from bot.incidents.categories import DEFAULTS
from bot.summary.results import CategoryWeek, Summary

# the categories an EST group follows most closely, by their keys in ``DEFAULTS``
KEY_CATEGORIES = (
    "narkotikaforsaljning",
    "narkotikahantering",
    "skottlossning",
    "sprangning",
    "rekrytering",
    "vald",
)
_KEY_LABELS = {sv for key, sv, _en, _aliases in DEFAULTS if key in KEY_CATEGORIES}
TOP_CATEGORIES = 4  # besides the key categories: the ones with most incidents keep their own
MIN_CATEGORIES = 6  # at least this many stacks of their own before the rest are folded
REST_NAMED = 3  # the folded categories are named when they are this few
AVERAGE_WEEKS = 4


@dataclass(frozen=True)
class Panel:
    """One place: its title in words and its incidents per week."""

    title: str
    series: list[int]


@dataclass(frozen=True)
class Stack:
    """One category's incidents per week in the category mix; ``key`` for an EST key category."""

    label: str
    series: list[int]
    key: bool = False
    rest: bool = False  # the folded "övriga kategorier"


@dataclass(frozen=True)
class ChartData:
    heading: str  # the group
    period: str  # "Vecka 49, 2026: 2026-11-30 – 2026-12-06"
    span: str  # the weeks drawn, with their dates
    produced: str  # "Framställd 2026-12-07"
    weeks: list[str]  # "49" per bar, oldest first
    panels: list[Panel]
    averages: list[float]  # each panel's average of the four weeks before, drawn as a line
    categories_title: str
    stacks: list[Stack]
    key_note: str  # what the bold names in the legend are
    week_axis: str


def is_key(category: CategoryWeek) -> bool:
    """A key category by its key; summaries stored before keys were kept, by its label."""
    return category.key in KEY_CATEGORIES or (not category.key and category.label_sv in _KEY_LABELS)


def chart_data(summary: Summary, language: str, *, group_name: str, produced: date) -> ChartData:
    """Every text and number the chart draws, in the group's language; dates ISO, as in files."""
    tr = translator(language)
    weeks = [str(w) for _y, w in summary.weeks]
    first_monday = date.fromisocalendar(*summary.weeks[0], 1)
    return ChartData(
        heading=group_name,
        period=tr.gettext(
            "Week {week}, {year}: {start} – {end}",
            week=summary.iso_week,
            year=summary.iso_year,
            start=summary.start,
            end=summary.end,
        ),
        span=tr.gettext(
            "Incidents per week, w. {first}–{last} ({start} – {end})",
            first=weeks[0],
            last=weeks[-1],
            start=first_monday.isoformat(),
            end=summary.end,
        ),
        produced=tr.gettext("Produced {date}", date=produced.isoformat()),
        weeks=weeks,
        panels=[
            Panel(panel_title(tr.language, p.place, p.count, summary.iso_week, p.average), p.series)
            for p in summary.chart_places
        ],
        averages=[p.average for p in summary.chart_places],
        categories_title=tr.gettext(
            "By category, w. {first}–{last}", first=weeks[0], last=weeks[-1]
        ),
        stacks=category_stacks(summary, tr.language),
        key_note=tr.gettext("Bold: the EST key categories"),
        week_axis=tr.gettext("Week"),
    )


def one_decimal(value: float, language: str) -> str:
    """0 → '0,0', 6.25 → '6,3' in Swedish (half up); '6.3' in English."""
    text = str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.replace(".", ",") if language == "sv" else text


def panel_title(language: str, place: str, count: int, week: int, average: float) -> str:
    """'Fittja centrum — 2 händelser v. 49, snitt 0,0 per vecka senaste 4 v.'"""
    tr = translator(language)
    return tr.ngettext(
        "{place} — {n} incident in w. {week}, average {avg} a week over the last {weeks} w.",
        "{place} — {n} incidents in w. {week}, average {avg} a week over the last {weeks} w.",
        count,
        place=place,
        week=week,
        avg=one_decimal(average, tr.language),
        weeks=AVERAGE_WEEKS,
    )


def category_stacks(summary: Summary, language: str) -> list[Stack]:
    """The category mix: the key categories and the ones with most incidents over the weeks
    drawn, each its own — the key ones first (at the foot of each bar, and first in the legend),
    most first within each — and the rest folded into one only when there are two or more."""
    tr = translator(language)
    drawn = sorted(
        (c for c in summary.categories if sum(c.series)),
        key=lambda c: (-sum(c.series), c.label_sv),
    )
    own = {id(c) for c in drawn if is_key(c)} | {id(c) for c in drawn[:TOP_CATEGORIES]}
    for c in drawn:
        if len(own) >= MIN_CATEGORIES:
            break
        own.add(id(c))
    rest = [c for c in drawn if id(c) not in own]
    if len(rest) == 1:  # one category alone is shown by its name, never as "övriga"
        own.add(id(rest.pop()))
    shown = sorted((c for c in drawn if id(c) in own), key=lambda c: not is_key(c))  # stable
    stacks = [Stack(_label(tr.language, c), list(c.series), key=is_key(c)) for c in shown]
    if rest:
        folded = [sum(c.series[i] for c in rest) for i in range(len(summary.weeks))]
        stacks.append(Stack(_rest_label(tr.language, rest), folded, rest=True))
    return stacks


def _rest_label(language: str, rest: list[CategoryWeek]) -> str:
    """'övriga: Hot, Stöld, Lustgas' — named when they are few, counted when they are many."""
    tr = translator(language)
    if len(rest) > REST_NAMED:
        return tr.gettext("other categories ({n})", n=len(rest))
    names = ", ".join(_label(tr.language, c) for c in rest)
    return tr.gettext("other: {names}", names=names)


def _label(language: str, category: CategoryWeek) -> str:
    return category.label_en if language == "en" else category.label_sv
