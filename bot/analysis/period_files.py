"""The period analysis as tables, for its PDF and XLSX (``bot.exports.formats``): the ranking
with the reasons for each rank, every place against the period before and the year before with
the meetings' levels and the reports' trends, the districts' totals, the priorities, and the open
actions and the activities held."""

from __future__ import annotations

from collections import Counter

from bot.analysis.period_report import PeriodDetails
from bot.analysis.periods import PlaceNeed
from bot.analysis.ranking import PeriodAnalysis
from bot.exports.formats import Cell, Table
from bot.i18n import Translator


def reasons_text(tr: Translator, p: PlaceNeed) -> str:
    """Why the place ranks where it does: each term of its need, in words."""
    rise = max(0, p.incidents - p.previous)
    said = [tr.ngettext("{n} incident", "{n} incidents", p.incidents)]
    if rise:
        said.append(tr.gettext("+{n} against the period before", n=rise))
    if p.serious_weeks:
        said.append(tr.ngettext("serious {n} week (×3)", "serious {n} weeks (×3)", p.serious_weeks))
    if p.worrying_weeks:
        said.append(tr.ngettext("worrying {n} week", "worrying {n} weeks", p.worrying_weeks))
    if p.overdue_actions:
        said.append(
            tr.ngettext("{n} overdue action (×2)", "{n} overdue actions (×2)", p.overdue_actions)
        )
    if not p.activities and p.incidents:
        said.append(tr.gettext("no activities held"))
    return "; ".join(said)


def _change(now: int, then: int) -> int:
    """The change in incidents: +3 is three more than then."""
    return now - then


def place_label(tr: Translator, place: PlaceNeed) -> str:
    """The place's name, and "(arkiverad)" after an archived one's."""
    return f"{place.place} {tr.gettext('(archived)')}" if place.archived else place.place


def _counts(counter: Counter[str] | None, *keys: str) -> list[Cell]:
    return [(counter or Counter())[k] for k in keys]


def period_tables(tr: Translator, analysis: PeriodAnalysis) -> list[Table]:
    details = analysis.details or PeriodDetails({}, {}, (), (), ())
    places = sorted(analysis.places, key=lambda p: (p.district, p.place))
    return [
        Table(
            tr.gettext("Places ranked by need"),
            (
                tr.gettext("Rank"),
                tr.gettext("Place"),
                tr.gettext("District"),
                tr.gettext("Need"),
                tr.gettext("Reasons"),
            ),
            [
                (n, place_label(tr, p), p.district, p.need, reasons_text(tr, p))
                for n, p in enumerate(analysis.places, start=1)
            ],
            widths=(5, 18, 12, 6, 59),
            sheet=tr.gettext("Ranking"),
        ),
        _places_table(tr, places, details),
        _levels_table(tr, places, details),
        _districts_table(tr, places),
        _priorities_table(tr, details),
        Table(
            tr.gettext("Open actions"),
            (
                tr.gettext("Action"),
                tr.gettext("Title"),
                tr.gettext("Place"),
                tr.gettext("Due"),
                tr.gettext("Overdue"),
            ),
            [
                (
                    a.id,
                    a.title,
                    f"{a.place} {tr.gettext('(archived)')}" if a.archived else a.place,
                    a.due,
                    tr.gettext("yes") if a.overdue else tr.gettext("no"),
                )
                for a in details.actions
            ],
            widths=(8, 44, 22, 13, 13),
        ),
        Table(
            tr.gettext("Activities held"),
            (
                tr.gettext("Activity"),
                tr.gettext("Title"),
                tr.gettext("Kind"),
                tr.gettext("Starts"),
                tr.gettext("Places"),
                tr.gettext("Attendance, total"),
            ),
            [(a.id, a.title, a.kind, a.start, a.places, a.attendance) for a in details.activities],
            widths=(8, 30, 14, 14, 22, 12),
        ),
    ]


def _places_table(tr: Translator, places: list[PlaceNeed], details: PeriodDetails) -> Table:
    """The incidents against the period before and the year before, and activities held."""
    return Table(
        tr.gettext("Incidents per district and place"),
        (
            tr.gettext("District"),
            tr.gettext("Place"),
            tr.gettext("Incidents"),
            tr.gettext("Period before"),
            tr.gettext("Change"),
            tr.gettext("A year before"),
            tr.gettext("Change, year"),
            tr.gettext("Activities"),
        ),
        [
            (
                p.district,
                place_label(tr, p),
                p.incidents,
                p.previous,
                _change(p.incidents, p.previous),
                p.year_before,
                _change(p.incidents, p.year_before),
                p.activities,
            )
            for p in places
        ],
        widths=(16, 24, 10, 10, 10, 10, 10, 10),
        sheet=tr.gettext("Places"),
    )


def _levels_table(tr: Translator, places: list[PlaceNeed], details: PeriodDetails) -> Table:
    """The weeks' joint levels, the reports' trends and the open actions, per place."""
    return Table(
        tr.gettext("Levels, trends and actions per district and place"),
        (
            tr.gettext("District"),
            tr.gettext("Place"),
            tr.gettext("Calm weeks"),
            tr.gettext("Worrying weeks"),
            tr.gettext("Serious weeks"),
            tr.gettext("Trend better"),
            tr.gettext("Trend unchanged"),
            tr.gettext("Trend worse"),
            tr.gettext("Open actions"),
            tr.gettext("Overdue"),
        ),
        [
            (
                p.district,
                place_label(tr, p),
                *_counts(details.levels.get(p.place_id), "lugnt", "oroligt", "allvarligt"),
                *_counts(details.trends.get(p.place_id), "bättre", "oförändrat", "sämre"),
                p.open_actions,
                p.overdue_actions,
            )
            for p in places
        ],
        widths=(14, 22, 8, 8, 8, 8, 8, 8, 8, 8),
        sheet=tr.gettext("Levels"),
    )


def _districts_table(tr: Translator, places: list[PlaceNeed]) -> Table:
    totals: dict[str, list[int]] = {}
    for p in places:
        row = totals.setdefault(p.district, [0, 0, 0, 0])
        for i, n in enumerate((p.incidents, p.previous, p.year_before, p.activities)):
            row[i] += n
    return Table(
        tr.gettext("Per district"),
        (
            tr.gettext("District"),
            tr.gettext("Incidents"),
            tr.gettext("Period before"),
            tr.gettext("Change"),
            tr.gettext("A year before"),
            tr.gettext("Change, year"),
            tr.gettext("Activities"),
        ),
        [
            (d, n, before, _change(n, before), year, _change(n, year), held)
            for d, (n, before, year, held) in sorted(totals.items())
        ],
        sheet=tr.gettext("Districts"),
    )


def _priorities_table(tr: Translator, details: PeriodDetails) -> Table:
    return Table(
        tr.gettext("Priorities"),
        (
            tr.gettext("Period"),
            tr.gettext("Place"),
            tr.gettext("Problem"),
            tr.gettext("Motivation"),
            tr.gettext("Version"),
        ),
        [
            (p.period, i.place, i.category(tr.language), i.motivation, p.version)
            for p in details.priorities
            for i in p.items
        ],
        widths=(10, 20, 16, 46, 8),
        empty=tr.gettext("No priorities decided for this period or the next."),
    )
