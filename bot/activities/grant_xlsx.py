"""The grant year report as an XLSX file (openpyxl), as bytes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from openpyxl import Workbook

from bot.activities.evidence import GrantReport
from bot.activities.evidence_xlsx import (
    cost_header,
    cost_row,
    first_sheet,
    local,
    save,
    sheet,
    stamp_rows,
)
from bot.i18n import translator


def grant_xlsx(report: GrantReport) -> bytes:
    tr, tz = translator(report.language), ZoneInfo(report.timezone)
    wb = Workbook()
    stamp = stamp_rows(
        tr,
        tr.gettext("Grant year {year}", year=report.year),
        report.exported_at,
        report.exported_by,
        tz,
    )
    header = (
        tr.gettext("Funding source"),
        tr.gettext("Allocated (kr)"),
        tr.gettext("Spent (kr)"),
        tr.gettext("Unspent (kr)"),
        tr.gettext("Diarienummer"),
    )
    rows = [
        (
            s.funding_source,
            None if s.allocated_ore is None else s.allocated_ore / 100,
            s.spent_ore / 100,
            None if s.unspent_ore is None else s.unspent_ore / 100,
            s.diarienummer,
        )
        for s in report.sources
    ]
    sheet(first_sheet(wb), tr.gettext("Summary"), None, [*stamp, (), header, *rows])
    sheet(
        wb.create_sheet(),
        tr.gettext("By source and kind"),
        (tr.gettext("Funding source"), tr.gettext("Kind"), tr.gettext("Spent (kr)")),
        [(s, k, n / 100) for s, k, n in report.by_source_and_kind],
    )
    sheet(
        wb.create_sheet(),
        tr.gettext("Activities"),
        (
            tr.gettext("Activity"),
            tr.gettext("Title"),
            tr.gettext("Kind"),
            tr.gettext("Starts"),
            tr.gettext("Places"),
            tr.gettext("Status"),
            tr.gettext("Motivated"),
            tr.gettext("Attendance, total"),
            tr.gettext("Counting method"),
            tr.gettext("Costs (kr)"),
            tr.gettext("Registered (server time)"),
        ),
        [
            (
                a.id,
                a.title,
                a.kind,
                local(a.start_at, tz),
                ", ".join(a.places),
                a.status,
                tr.gettext("yes") if a.motivated else tr.gettext("no"),
                a.attendance_total,
                a.counting_method or "",
                a.total_cost_ore / 100,
                local(a.created_at, tz),  # beside "Starts": recorded afterwards shows
            )
            for a in report.activities
        ],
    )
    sheet(
        wb.create_sheet(),
        tr.gettext("Costs"),
        cost_header(tr),
        [cost_row(tr, c, tz) for c in report.costs],
    )
    labels = {
        "unmotivated": tr.gettext("activity without motivation"),
        "no_follow_up": tr.gettext("activity without follow-up"),
        "no_description": tr.gettext("cost without description"),
        "no_invoice": tr.gettext("cost without invoice number"),
        "outside_year": tr.gettext("cost dated outside the year"),
    }
    sheet(
        wb.create_sheet(),
        tr.gettext("Gaps"),
        (
            tr.gettext("Gap"),
            tr.gettext("Activity"),
            tr.gettext("Cost"),
            tr.gettext("Title"),
            tr.gettext("Detail"),
        ),
        [(labels[g.kind], g.activity_id, g.cost_id or "", g.title, g.detail) for g in report.gaps],
    )
    return save(wb)
