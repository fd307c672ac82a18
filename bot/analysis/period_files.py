"""The period analysis as tables, for its PDF and XLSX (``bot.exports.formats``): the ranking
with the reasons for each rank, every place against the period before and the year before with
the meetings' levels and the reports' trends, the districts' totals, the priorities, and the open
actions and the activities held."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from bot.analysis.period_report import PeriodDetails
from bot.analysis.periods import PlaceNeed
from bot.analysis.ranking import PeriodAnalysis
from bot.exports.formats import Cell, Table, table
from bot.i18n import N_, LazyText, Translator


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


def place_label(tr: Translator, place: PlaceNeed) -> str:
    """The place's name, and "(arkiverad)" after an archived one's."""
    return f"{place.place} {tr.gettext('(archived)')}" if place.archived else place.place


def _counts(counter: Counter[str] | None, *keys: str) -> list[Cell]:
    return [(counter or Counter())[k] for k in keys]


def period_tables(tr: Translator, analysis: PeriodAnalysis) -> list[Table]:
    details = analysis.details or PeriodDetails({}, {}, (), (), ())
    places = sorted(analysis.places, key=lambda p: (p.district, p.place))
    return [
        table(
            tr,
            N_("Places ranked by need"),
            (
                N_("Rank"),
                N_("Place"),
                N_("District"),
                N_("Need"),
                N_("Reasons"),
            ),
            [
                (n, place_label(tr, p), p.district, p.need, reasons_text(tr, p))
                for n, p in enumerate(analysis.places, start=1)
            ],
            widths=(5, 18, 12, 6, 59),
            sheet=N_("Ranking"),
        ),
        _places_table(tr, places),
        _levels_table(tr, places, details),
        _districts_table(tr, places),
        _priorities_table(tr, details),
        table(
            tr,
            N_("Open actions"),
            (
                N_("Action"),
                N_("Title"),
                N_("Place"),
                N_("Due"),
                N_("Overdue"),
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
        table(
            tr,
            N_("Activities held"),
            (
                N_("Activity"),
                N_("Title"),
                N_("Kind"),
                N_("Starts"),
                N_("Places"),
                N_("Attendance, total"),
            ),
            [(a.id, a.title, a.kind, a.start, a.places, a.attendance) for a in details.activities],
            widths=(8, 30, 14, 14, 22, 12),
        ),
    ]


# the incidents against the period before and the year before, and the activities held
COUNTED = (
    N_("Incidents"),
    N_("Period before"),
    N_("Change"),
    N_("A year before"),
    N_("Change, year"),
    N_("Activities"),
)


def _counted(incidents: int, previous: int, year_before: int, activities: int) -> list[Cell]:
    """The cells under ``COUNTED``: a change of +3 is three more incidents than then."""
    return [
        incidents,
        previous,
        incidents - previous,
        year_before,
        incidents - year_before,
        activities,
    ]


def _per_place(
    tr: Translator,
    title: LazyText,
    places: list[PlaceNeed],
    headers: Sequence[LazyText],
    cells: Callable[[PlaceNeed], list[Cell]],
    *,
    widths: Sequence[float],
    sheet: LazyText,
) -> Table:
    """A row a place: its district, its name ("(arkiverad)" after an archived one's), then
    ``cells`` under ``headers``."""
    return table(
        tr,
        title,
        [N_("District"), N_("Place"), *headers],
        [[p.district, place_label(tr, p), *cells(p)] for p in places],
        widths=widths,
        sheet=sheet,
    )


def _places_table(tr: Translator, places: list[PlaceNeed]) -> Table:
    """The incidents against the period before and the year before, and activities held."""
    return _per_place(
        tr,
        N_("Incidents per district and place"),
        places,
        COUNTED,
        lambda p: _counted(p.incidents, p.previous, p.year_before, p.activities),
        widths=(16, 24, 10, 10, 10, 10, 10, 10),
        sheet=N_("Places"),
    )


def _levels_table(tr: Translator, places: list[PlaceNeed], details: PeriodDetails) -> Table:
    """The weeks' joint levels, the reports' trends and the open actions, per place."""
    return _per_place(
        tr,
        N_("Levels, trends and actions per district and place"),
        places,
        (
            N_("Calm weeks"),
            N_("Worrying weeks"),
            N_("Serious weeks"),
            N_("Trend better"),
            N_("Trend unchanged"),
            N_("Trend worse"),
            N_("Open actions"),
            N_("Overdue"),
        ),
        lambda p: [
            *_counts(details.levels.get(p.place_id), "lugnt", "oroligt", "allvarligt"),
            *_counts(details.trends.get(p.place_id), "bättre", "oförändrat", "sämre"),
            p.open_actions,
            p.overdue_actions,
        ],
        widths=(14, 22, 8, 8, 8, 8, 8, 8, 8, 8),
        sheet=N_("Levels"),
    )


def _districts_table(tr: Translator, places: list[PlaceNeed]) -> Table:
    totals: dict[str, list[int]] = {}
    for p in places:
        row = totals.setdefault(p.district, [0, 0, 0, 0])
        for i, n in enumerate((p.incidents, p.previous, p.year_before, p.activities)):
            row[i] += n
    return table(
        tr,
        N_("Per district"),
        [N_("District"), *COUNTED],
        [[d, *_counted(*counts)] for d, counts in sorted(totals.items())],
        sheet=N_("Districts"),
    )


def _priorities_table(tr: Translator, details: PeriodDetails) -> Table:
    return table(
        tr,
        N_("Priorities"),
        (
            N_("Period"),
            N_("Place"),
            N_("Problem"),
            N_("Motivation"),
            N_("Version"),
        ),
        [
            (p.period, i.place, i.category(tr.language), i.motivation, p.version)
            for p in details.priorities
            for i in p.items
        ],
        widths=(10, 20, 16, 46, 8),
        empty=N_("No priorities decided for this period or the next."),
    )
