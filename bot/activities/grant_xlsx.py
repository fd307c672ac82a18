"""The grant year report as an XLSX file (openpyxl), as bytes: the totals per funding source
and per activity as numbers, every activity and cost, and the same weaknesses the evidence
pack lists, one row each, under the activity and the cost they concern."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from bot.activities.evidence import GrantReport
from bot.activities.evidence_rows import cost_header, cost_row, stamp_rows
from bot.activities.evidence_words import gap_text
from bot.activities.evidence_xlsx import first_sheet, save
from bot.activities.weaknesses import KINDS
from bot.exports.money import Money
from bot.exports.sheets import pairs_sheet, table_sheet
from bot.i18n import Translator, translator
from bot.people import shown_name


def grant_xlsx(report: GrantReport) -> bytes:
    tr, tz = translator(report.language), ZoneInfo(report.timezone)
    wb = Workbook()
    by = shown_name(report.people, report.exported_by, tr)
    content = tr.gettext("Grant year {year}", year=report.year) + f", {report.group}"
    nothing = tr.gettext("Nothing registered for grant year {year}.", year=report.year)
    pairs_sheet(
        first_sheet(wb),
        tr.gettext("Summary"),
        [
            *stamp_rows(tr, content, report.exported_at, by),
            (),
            (tr.gettext("Activities"), len(report.activities)),
            (tr.gettext("Costs"), len(report.costs)),
            (tr.gettext("Spent, total"), Money(sum(c.amount_ore for c in report.costs))),
            (tr.gettext("Weaknesses"), len(report.gaps)),
        ],
        tz,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Per funding source"),
        (
            tr.gettext("Funding source"),
            tr.gettext("Allocated"),
            tr.gettext("Spent"),
            tr.gettext("Unspent"),
            tr.gettext("Diarienummer"),
        ),
        [
            (
                s.funding_source,
                None if s.allocated_ore is None else Money(s.allocated_ore),
                Money(s.spent_ore),
                None if s.unspent_ore is None else Money(s.unspent_ore),
                s.diarienummer,
            )
            for s in report.sources
        ],
        tz,
        empty=nothing,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Per source and kind"),
        (tr.gettext("Funding source"), tr.gettext("Kind"), tr.gettext("Spent")),
        [(s, k, Money(n)) for s, k, n in report.by_source_and_kind],
        tz,
        empty=nothing,
    )
    weak: dict[int, int] = defaultdict(int)
    for g in report.gaps:
        weak[g.activity_id] += 1
    spent: dict[int, int] = defaultdict(int)
    for c in report.costs:
        spent[c.activity_id] += c.amount_ore
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Activities"),
        (
            tr.gettext("Activity"),
            tr.gettext("Title"),
            tr.gettext("Kind"),
            tr.gettext("Starts"),
            tr.gettext("Places"),
            tr.gettext("Status"),
            tr.gettext("Responsible"),
            tr.gettext("Motivated"),
            tr.gettext("Attendance, total"),
            tr.gettext("Counting method"),
            tr.gettext("Costs this grant year"),
            tr.gettext("Weaknesses"),
            tr.gettext("Prioritised place"),
            tr.gettext("Registered"),
        ),
        [
            (
                a.id,
                a.title,
                a.kind,
                a.start_at,
                ", ".join(a.places),
                a.status,
                shown_name(report.people, a.owner_user_id, tr),
                tr.gettext("yes") if a.motivated else tr.gettext("no"),
                a.attendance_total,
                a.counting_method or "",
                Money(spent.get(a.id, 0)),
                weak.get(a.id, 0),
                _prioritised(tr, report.prioritised.get(a.id, ())),
                a.created_at,  # when it was registered: recorded afterwards shows
            )
            for a in report.activities
        ],
        tz,
        empty=nothing,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Costs"),
        cost_header(tr),
        [cost_row(tr, c) for c in report.costs],
        tz,
        empty=nothing,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Weaknesses"),
        (
            tr.gettext("Activity"),
            tr.gettext("Title"),
            tr.gettext("Cost"),
            tr.gettext("Weakness"),
            tr.gettext("In full"),
        ),
        [
            (g.activity_id, g.title, g.cost_id, tr.render(KINDS[g.kind]), gap_text(tr, g))
            for g in report.gaps
        ],
        tz,
        empty=tr.gettext("No weaknesses found."),
    )
    return save(wb)


def _prioritised(tr: Translator, periods: tuple[str, ...]) -> str:
    """'Prioriterad plats (2026-T3)' when one of its places was prioritised that day, else ''."""
    if not periods:
        return ""
    return tr.gettext("Prioritised place ({periods})", periods=", ".join(periods))
