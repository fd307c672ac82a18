"""The annual lägesbild as a council or a municipal board reads it (PDF, A4 portrait) and as
an analyst works with it (XLSX): the summary first, then each district and place against the
year before, the places of most concern and why, the levels the meetings agreed, the
organisations' observations, the analysis and the action plan, actions and activities with
their outcome; the months in an appendix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.analysis.periods import PlaceNeed
from bot.exports.annual import charts, plan, tables
from bot.exports.annual.facts import YearFacts
from bot.exports.annual.page import Page
from bot.exports.annual.words import district_counts, summary
from bot.exports.formats import Table, to_xlsx
from bot.i18n import Translator


@dataclass(frozen=True)
class Annual:
    tr: Translator
    tz: ZoneInfo
    group: str
    facts: YearFacts
    needs: list[PlaceNeed]  # most need first: the first ones are of most concern
    made: str  # '2026-12-07 10:00', local
    today: date

    @property
    def title(self) -> str:
        return self.tr.gettext(
            "Lägesbild {year}: {group}", year=self.facts.span.year, group=self.group
        )

    @property
    def concern(self) -> list[PlaceNeed]:
        return self.needs[:5]


def _intro(doc: Annual) -> list[str]:
    tr, span = doc.tr, doc.facts.span
    period = tr.gettext(
        "The year {year}: {first} to {last}, compared with the same days of {previous}.",
        year=span.year,
        first=span.first.isoformat(),
        last=span.last.isoformat(),
        previous=span.year - 1,
    )
    return [
        tr.gettext(
            "The annual lägesbild of the EST group for the municipality's crime-prevention "
            "work. The law on municipalities' responsibility for crime prevention (SFS 2023:196) "
            "asks the municipality to base its action plan on a lägesbild; this is the group's."
        ),
        period + " " + tr.gettext("Made {made} from the group's records.", made=doc.made),
    ]


def annual_pdf(doc: Annual) -> bytes:
    tr, facts = doc.tr, doc.facts
    pdf = Page(doc.title)
    pdf.front(doc.title, _intro(doc))
    pdf.heading(tr.gettext("1. Summary"))
    pdf.bullets(summary(tr, facts, doc.concern, doc.today))
    _incidents(pdf, doc)
    _concern(pdf, doc)
    _levels(pdf, doc)
    pdf.heading(tr.gettext("5. The organisations' observations"), 40)
    pdf.paragraph(
        tr.gettext(
            "What the organisations wrote in their weekly lägesrapporter, per place and quarter: "
            "how many reports, the levels and trends they gave, and their observations, newest "
            "first."
        )
    )
    pdf.grid(tables.observations(tr, facts, [n.place_id for n in doc.needs]), size=7.5)
    _plans(pdf, doc)
    pdf.heading(tr.gettext("7. Actions and their outcome"))
    pdf.grid(plan.actions_table(tr, facts), size=7.5)
    pdf.heading(tr.gettext("8. Activities and their outcome"))
    pdf.grid(plan.activities_table(tr, facts), size=7.5)
    _appendix(pdf, doc)
    return bytes(pdf.output())


def _labels(doc: Annual) -> tuple[str, str]:
    return (str(doc.facts.span.year - 1), str(doc.facts.span.year))


def _incidents(pdf: Page, doc: Annual) -> None:
    tr, facts = doc.tr, doc.facts
    counts = district_counts(facts)
    pdf.heading(tr.gettext("2. Incidents per district and place"), 50)
    said = tr.gettext(
        "Incidents the group registered, by where they happened, against the same days of the "
        "year before. A change is in incidents, and in per cent of the year before."
    )
    pdf.paragraph(
        f"{said} {tr.gettext('Per cent is given when the figure compared with is at least 10.')}"
    )
    pdf.heading(tr.gettext("Per district"), 40, size=11)
    pdf.grid(tables.districts(tr, facts, counts, numeric=False))
    if counts:
        names = [c.name for c in counts]
        pdf.ln(2)
        pdf.chart(
            charts.compared_bars(
                names, [c.this for c in counts], [c.previous for c in counts], _labels(doc)
            ),
            width=150,
        )
    pdf.heading(tr.gettext("Per place"), 40, size=11)
    pdf.grid(tables.places(tr, facts, numeric=False), size=7.5)
    if facts.places:
        months = [sum(c.months[i] for c in facts.places) for i in range(12)]
        shown = 12 if facts.span.complete else facts.span.last.month
        png = charts.months_chart(
            tables.month_names(tr), months, facts.months_previous, _labels(doc), shown
        )
        pdf.heading(tr.gettext("Per month"), pdf.chart_height(png, width=150), size=11)
        pdf.chart(png, width=150)


def _concern(pdf: Page, doc: Annual) -> None:
    tr = doc.tr
    pdf.heading(tr.gettext("3. The places of most concern"), 40)
    pdf.paragraph(
        tr.gettext(
            "Ranked as the group's period analysis ranks them: the incidents, their rise against "
            "the year before, the weeks the meeting agreed serious (counted three times) or "
            "worrying, and overdue actions."
        )
    )
    pdf.grid(tables.concern(tr, doc.facts, doc.concern))


def _levels(pdf: Page, doc: Annual) -> None:
    tr, facts = doc.tr, doc.facts
    table = tables.levels(tr, facts)
    png = b""
    if facts.agreed_weeks and table.rows:
        names = [str(r[0]) for r in table.rows]
        by_name = {facts.place_names[p][0]: p for p in facts.levels}
        weeks = sorted(facts.agreed_weeks)
        grid = [[facts.levels[by_name[n]].get(w, "") for w in weeks] for n in names]
        legend = {
            "lugnt": "lugnt",
            "oroligt": "oroligt",
            "allvarligt": "allvarligt",
            "": tr.gettext("no level agreed"),
            "week": tr.gettext("Week"),
        }
        png = charts.levels_chart(names, weeks, grid, legend)
    # the heading, its paragraph and the chart on one page
    pdf.heading(
        tr.gettext("4. The levels the meetings agreed"), pdf.chart_height(png) + 15 if png else 40
    )
    pdf.paragraph(
        tr.gettext(
            "Each week the meeting agrees the lägesbild, a level per place. Weeks of {year} "
            "with an agreed lägesbild: {n}.",
            n=len(facts.agreed_weeks),
            year=facts.span.year,
        )
    )
    if png:
        pdf.chart(png)
    pdf.grid(table)


def _plans(pdf: Page, doc: Annual) -> None:
    tr = doc.tr
    pdf.heading(tr.gettext("6. Analysis and action plan"), 50)
    pdf.paragraph(
        tr.gettext(
            "For each place of most concern, and each place the group analysed: the cause "
            "analysis along the problem-analysis triangle (the place, who or what is affected, who "
            "offends, and who can act on each), and the actions and activities that answer it. "
            "Where the group recorded nothing, this says so: that is where the action plan has a "
            "gap."
        )
    )
    for p in plan.place_plans(doc.facts, [n.place_id for n in doc.concern]):
        pdf.heading(f"{p.place} ({p.district})", 30, size=11)
        if not p.analyses:
            pdf.paragraph(tr.gettext("No cause analysis registered for {place}.", place=p.place))
        for a in p.analyses:
            pdf.paragraph(plan.analysis_title(tr, a, doc.tz))
            pdf.pairs(plan.analysis_pairs(tr, a))
        pdf.ln(1)
        if p.actions:
            pdf.bullets([plan.action_line(tr, a, doc.today) for a in p.actions], size=8)
        else:
            pdf.paragraph(tr.gettext("No action in the action plan for {place}.", place=p.place))
        if p.activities:
            pdf.bullets([plan.activity_line(tr, h) for h in p.activities], size=8)


def _appendix(pdf: Page, doc: Annual) -> None:
    tr, facts = doc.tr, doc.facts
    pdf.heading(tr.gettext("Appendix: incidents per month"), 40)
    for table in _monthly(tr, facts):
        pdf.heading(table.title, 30, size=11)
        pdf.grid(table, size=7)


def _monthly(tr: Translator, facts: YearFacts) -> list[Table]:
    year = facts.span.year
    return [
        tables.monthly(
            tr,
            tr.gettext("Per place and month, {year}", year=year),
            tr.gettext("Per place and month"),
            facts.places,
            tr.gettext("Place"),
        ),
        tables.monthly(
            tr,
            tr.gettext("Per category and month, {year}", year=year),
            tr.gettext("Per category and month"),
            facts.categories,
            tr.gettext("Category"),
        ),
    ]


def annual_xlsx(doc: Annual) -> bytes:
    tr, facts = doc.tr, doc.facts
    lines = [[line] for line in [*_intro(doc), *summary(tr, facts, doc.concern, doc.today)]]
    return to_xlsx(
        [
            Table(doc.title, [tr.gettext("The summary")], lines, sheet=tr.gettext("The summary")),
            tables.districts(tr, facts, district_counts(facts), numeric=True),
            tables.places(tr, facts, numeric=True),
            tables.concern(tr, facts, doc.needs),
            tables.levels(tr, facts),
            tables.level_weeks(tr, facts),
            tables.observation_rows(tr, facts),
            plan.analyses_table(tr, facts, doc.tz),
            plan.actions_table(tr, facts),
            plan.activities_table(tr, facts),
            *_monthly(tr, facts),
        ]
    )
