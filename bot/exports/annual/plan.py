"""The analysis and the action plan, place by place: what the group recorded — its cause
analyses along the problem-analysis triangle, the actions and activities at the place — and,
where it recorded nothing, the gap said in so many words, for the municipality's action plan
(SFS 2023:196) is to be based on the lägesbild and the analysis of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.analysis.results import AnalysisView
from bot.exports.annual.concern import OPEN
from bot.exports.annual.facts import Held, PlanAction, YearFacts
from bot.exports.formats import Cell, Table, table
from bot.i18n import N_, Translator


@dataclass(frozen=True)
class PlacePlan:
    place_id: int
    place: str
    district: str
    analyses: tuple[AnalysisView, ...]
    actions: tuple[PlanAction, ...]
    activities: tuple[Held, ...]


def place_plans(facts: YearFacts, place_ids: list[int]) -> list[PlacePlan]:
    """The given places in their order, then every other place with an analysis."""
    analysed = [a.place_id for a in facts.analyses]
    order = list(dict.fromkeys([*place_ids, *analysed]))
    plans = []
    for place_id in order:
        analyses = tuple(a for a in facts.analyses if a.place_id == place_id)
        tied = {a.id for a in analyses}
        name, district = facts.place_names.get(place_id, ("", ""))
        plans.append(
            PlacePlan(
                place_id,
                name,
                district,
                analyses,
                tuple(a for a in facts.actions if place_id in a.place_ids or a.analysis_id in tied),
                tuple(
                    h for h in facts.activities if place_id in h.place_ids or h.analysis_id in tied
                ),
            )
        )
    return plans


def analysis_labels(tr: Translator) -> list[str]:
    return [
        tr.gettext("The problem"),
        tr.gettext("Persistence"),
        tr.gettext("When"),
        tr.gettext("The place"),
        tr.gettext("Who or what is affected"),
        tr.gettext("Who offends"),
        tr.gettext("Platsansvarig"),
        tr.gettext("Kapabla väktare"),
        tr.gettext("Handledare"),
        tr.gettext("Why here, why now"),
    ]


def analysis_pairs(tr: Translator, a: AnalysisView) -> list[tuple[str, str]]:
    """Every field of the triangle, an empty one said to be empty."""
    missing = tr.gettext("not filled in")
    when = " · ".join(p for p in (a.days, a.hours, a.season) if p)
    values = [
        a.description,
        a.persistence,
        when,
        a.place_side,
        a.target_side,
        a.offender_side,
        a.place_manager,
        a.guardians,
        a.handlers,
        a.why_here_now,
    ]
    return [(label, v or missing) for label, v in zip(analysis_labels(tr), values, strict=True)]


def analysis_title(tr: Translator, a: AnalysisView, tz: ZoneInfo) -> str:
    return tr.gettext(
        "Cause analysis {n}: {category} ({status}, version {version}, changed {day})",
        n=a.id,
        category=a.category(tr.language),
        status=a.status,
        version=a.version,
        day=a.updated_at.astimezone(tz).date().isoformat(),
    )


def action_line(tr: Translator, a: PlanAction, today: date) -> str:
    line = tr.gettext(
        "Action {n}: {title} — owner {owner} ({organisation}), due {due}, {status}",
        n=a.id,
        title=a.title,
        owner=a.owner,
        organisation=a.organisation,
        due=a.due.isoformat(),
        status=a.status,
    )
    if a.done_at:
        return line + tr.gettext(" on {day}", day=a.done_at.date().isoformat())
    if a.status in OPEN and a.due < today:
        return line + tr.gettext(" (overdue)")
    return line


def activity_line(tr: Translator, h: Held) -> str:
    line = tr.gettext(
        "Activity {n}: {title}, {day}, {status}",
        n=h.id,
        title=h.title,
        day=h.start.date().isoformat(),
        status=h.status,
    )
    if h.attendance is not None:
        line += tr.gettext(", {n} taking part", n=h.attendance)
    return line + (f": {h.effect}" if h.effect else "")


def actions_table(tr: Translator, facts: YearFacts) -> Table:
    names = facts.place_names
    rows: list[list[Cell]] = [
        [
            a.id,
            a.title,
            ", ".join(names[p][0] for p in a.place_ids if p in names),
            a.owner,
            a.organisation,
            a.due,
            a.status,
            a.done_at,
        ]
        for a in facts.actions
    ]
    return table(
        tr,
        N_("Actions and their outcome"),
        [
            N_("No."),
            N_("Action"),
            N_("Places"),
            N_("Owner"),
            N_("Organisation"),
            N_("Due"),
            N_("Status"),
            N_("Done"),
        ],
        rows,
        widths=[9, 45, 26, 22, 26, 18, 13, 21],
        empty=N_("No actions were created or due in {year}.", year=facts.span.year),
        sheet=N_("Actions"),
    )


def activities_table(tr: Translator, facts: YearFacts) -> Table:
    yes, no = tr.gettext("yes"), tr.gettext("no")
    rows: list[list[Cell]] = [
        [
            h.id,
            h.title,
            ", ".join(h.places),
            h.start,
            h.status,
            h.attendance,
            h.counting_method,
            yes if h.motivated else no,
            h.effect,
        ]
        for h in facts.activities
    ]
    return table(
        tr,
        N_("Activities and their outcome"),
        [
            N_("No."),
            N_("Activity"),
            N_("Places"),
            N_("Start"),
            N_("Status"),
            N_("Taking part"),
            N_("Counted how"),
            N_("Motivated"),
            N_("Effect seen"),
        ],
        rows,
        widths=[7, 29, 29, 18, 18, 17, 14, 18, 30],
        empty=N_("No activities were held or planned in {year}.", year=facts.span.year),
        sheet=N_("Activities"),
    )


def analyses_table(tr: Translator, facts: YearFacts, tz: ZoneInfo) -> Table:
    rows: list[list[Cell]] = []
    for a in facts.analyses:
        values = [value for _label, value in analysis_pairs(tr, a)]
        rows.append(
            [
                a.id,
                a.place,
                a.district,
                a.category(tr.language),
                *values,
                a.status,
                a.version,
                a.updated_at.replace(tzinfo=None),
            ]
        )
    labels = (
        [label for label, _v in analysis_pairs(tr, facts.analyses[0])] if facts.analyses else []
    )
    return table(
        tr,
        N_("Cause analyses"),
        [
            N_("No."),
            N_("Place"),
            N_("District"),
            N_("Category"),
            *labels,
            N_("Status"),
            N_("Version"),
            N_("Last changed"),
        ],
        rows,
        sheet=N_("Cause analyses"),
    )
