"""The annual lägesbild's tables, the same for the PDF and the XLSX: in the PDF a change reads
"+37 (+185 %)", in the spreadsheet it is two number cells a reader can sort and add up."""

from __future__ import annotations

from collections import Counter

from babel.dates import get_month_names

from bot.analysis.periods import PlaceNeed
from bot.exports.annual.facts import Count, Observation, YearFacts, quarters
from bot.exports.annual.words import change, highest, percent, reasons
from bot.exports.formats import Cell, Table, table
from bot.i18n import N_, LazyText, Translator

TEXT_LIMIT = 120  # characters of one observation in the PDF; the XLSX has them whole


def month_names(tr: Translator) -> list[str]:
    names = get_month_names("abbreviated", locale=tr.language).values()
    return [str(m).rstrip(".")[:3] for m in names]


def _change_cells(c: Count, numeric: bool) -> list[Cell]:
    if not numeric:
        return [change(c.this, c.previous)]
    share = percent(c.this, c.previous)
    return [c.change, "" if share is None else share]  # empty against fewer than 10


def _change_headers(numeric: bool) -> list[LazyText]:
    if not numeric:
        return [N_("Change")]
    return [N_("Change"), N_("Change, per cent")]


def _none_in(year: int) -> LazyText:
    return N_("No incidents were registered in {year} or {previous}.", year=year, previous=year - 1)


def districts(tr: Translator, facts: YearFacts, counts: list[Count], *, numeric: bool) -> Table:
    year = facts.span.year
    rows = [[c.name, c.previous, c.this, *_change_cells(c, numeric)] for c in counts]
    if counts:
        total = Count(
            0,
            tr.gettext("Total"),
            "",
            sum(c.this for c in counts),
            sum(c.previous for c in counts),
            (),
        )
        rows.append([total.name, total.previous, total.this, *_change_cells(total, numeric)])
    return table(
        tr,
        N_("Incidents per district"),
        [N_("District"), str(year - 1), str(year), *_change_headers(numeric)],
        rows,
        widths=[60, 30, 30, 60] if not numeric else (),
        empty=_none_in(year),
        sheet=N_("Per district"),
    )


def places(tr: Translator, facts: YearFacts, *, numeric: bool) -> Table:
    year = facts.span.year
    rows = [
        [
            c.name,
            c.district,
            c.previous,
            c.this,
            *_change_cells(c, numeric),
            f"{c.top} ({c.top_count})" if c.top else "",
        ]
        for c in facts.places
    ]
    return table(
        tr,
        N_("Incidents per place"),
        [
            N_("Place"),
            N_("District"),
            str(year - 1),
            str(year),
            *_change_headers(numeric),
            N_("Commonest in {year}", year=year),
        ],
        rows,
        widths=[40, 30, 13, 13, 30, 54] if not numeric else (),
        empty=_none_in(year),
        sheet=N_("Per place"),
    )


def concern(tr: Translator, facts: YearFacts, needs: list[PlaceNeed]) -> Table:
    rows: list[list[Cell]] = [
        [i, n.place, n.district, reasons(tr, n, facts)] for i, n in enumerate(needs, 1)
    ]
    return table(
        tr,
        N_("The places of most concern"),
        [N_("Rank"), N_("Place"), N_("District"), N_("Why")],
        rows,
        widths=[10, 38, 30, 102],
        empty=N_("No place stood out in {year}.", year=facts.span.year),
        sheet=N_("Most concern"),
    )


def levels(tr: Translator, facts: YearFacts) -> Table:
    def order(item: tuple[int, dict[int, str]]) -> tuple[int, int, str]:
        weeks = list(item[1].values())
        return (-weeks.count("allvarligt"), -weeks.count("oroligt"), facts.place_names[item[0]][0])

    rows: list[list[Cell]] = []
    for place_id, weeks in sorted(facts.levels.items(), key=order):
        values = list(weeks.values())
        name = facts.place_names[place_id][0]
        rows.append(
            [
                name,
                values.count("allvarligt"),
                values.count("oroligt"),
                values.count("lugnt"),
                highest(tr, weeks),
            ]
        )
    return table(
        tr,
        N_("Levels the meetings agreed"),
        [
            N_("Place"),
            N_("Weeks serious"),
            N_("Weeks worrying"),
            N_("Weeks calm"),
            N_("Highest level agreed"),
        ],
        rows,
        widths=[56, 24, 24, 24, 52],
        empty=N_("No lägesbild was agreed at a meeting in {year}.", year=facts.span.year),
        sheet=N_("Levels over the year"),
    )


def level_weeks(tr: Translator, facts: YearFacts) -> Table:
    """Place by week, the level in each cell: the chart's data, for the spreadsheet."""
    weeks = sorted(facts.agreed_weeks)
    ids = sorted(facts.levels, key=lambda p: facts.place_names[p][0])
    rows = [[facts.place_names[p][0], *(facts.levels[p].get(w, "") for w in weeks)] for p in ids]
    return table(
        tr,
        N_("Agreed level per week"),
        [N_("Place"), *(N_("w. {week}", week=w) for w in weeks)],
        rows,
        sheet=N_("Level per week"),
    )


def _condensed(tr: Translator, found: list[Observation]) -> str:
    """Each organisation's newest observation of the quarter (cut to ``TEXT_LIMIT``), so that
    every party is heard; how many more there are is said, the spreadsheet has them all."""
    written = [o for o in sorted(found, key=lambda o: (-o.week, o.organisation)) if o.text]
    newest: dict[str, Observation] = {}
    for o in written:
        newest.setdefault(o.organisation, o)
    lines = []
    for o in sorted(newest.values(), key=lambda o: (-o.week, o.organisation)):
        text = o.text if len(o.text) <= TEXT_LIMIT else o.text[: TEXT_LIMIT - 1].rstrip() + "…"
        lines.append(
            tr.gettext(
                "w. {week} {organisation}: {text}",
                week=o.week,
                organisation=o.organisation,
                text=text,
            )
        )
    if len(written) > len(lines):
        lines.append(tr.gettext("… and {n} more in the spreadsheet", n=len(written) - len(lines)))
    return "\n".join(lines) or tr.gettext("No observations written.")


def _assessed(found: list[Observation]) -> str:
    levels = [lv for lv in ("allvarligt", "oroligt", "lugnt") if any(o.level == lv for o in found)]
    trends = [t for t in ("sämre", "oförändrat", "bättre") if any(o.trend == t for o in found)]
    given = Counter(o.level for o in found)
    went = Counter(o.trend for o in found)
    return (
        ", ".join(f"{lv} {given[lv]}" for lv in levels)
        + "\n"
        + ", ".join(f"{t} {went[t]}" for t in trends)
    )


def observations(tr: Translator, facts: YearFacts, order: list[int]) -> Table:
    """Per place (in ``order``, then by name) and quarter: the reports, the levels and trends
    they gave, and their distinct observations, newest first."""
    rank = {p: i for i, p in enumerate(order)}
    rows: list[list[Cell]] = []
    grouped = quarters(facts.observations)
    for (place_id, quarter), found in sorted(
        grouped.items(),
        key=lambda kv: (rank.get(kv[0][0], len(rank)), facts.place_names[kv[0][0]][0], kv[0][1]),
    ):
        rows.append(
            [
                facts.place_names[place_id][0],
                tr.gettext("Q{n}", n=quarter),
                len(found),
                _assessed(found),
                _condensed(tr, found),
            ]
        )
    return table(
        tr,
        N_("The organisations' observations per place and quarter"),
        [
            N_("Place"),
            N_("Quarter"),
            N_("Reports"),
            N_("Assessed"),
            N_("Observations, newest first"),
        ],
        rows,
        widths=[32, 13, 19, 30, 86],
        empty=N_("No lägesrapport was saved in {year}.", year=facts.span.year),
        sheet=N_("Observations"),
    )


def observation_rows(tr: Translator, facts: YearFacts) -> Table:
    """Every observation whole, for the spreadsheet."""
    rows: list[list[Cell]] = [
        [
            facts.place_names[o.place_id][0],
            facts.place_names[o.place_id][1],
            o.quarter,
            o.week,
            o.organisation,
            o.level,
            o.trend,
            o.text,
        ]
        for o in facts.observations
    ]
    return table(
        tr,
        N_("Situation reports"),
        [
            N_("Place"),
            N_("District"),
            N_("Quarter"),
            N_("Week"),
            N_("Organisation"),
            N_("Level"),
            N_("Trend"),
            N_("Observations"),
        ],
        rows,
        sheet=N_("Situation reports"),
    )


def monthly(tr: Translator, title: str, sheet: str, counts: tuple[Count, ...], label: str) -> Table:
    rows: list[list[Cell]] = [[c.name, *c.months, sum(c.months)] for c in counts if any(c.months)]
    if rows:
        totals = [sum(c.months[i] for c in counts) for i in range(12)]
        rows.append([tr.gettext("Total"), *totals, sum(totals)])
    return table(
        tr,
        title,
        [label, *month_names(tr), N_("Total")],
        rows,
        widths=[37, *[11.0] * 12, 11],
        sheet=sheet,
    )
