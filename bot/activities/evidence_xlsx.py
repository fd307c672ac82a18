"""The evidence pack as an XLSX file (openpyxl), as bytes: one sheet per part, typed cells
(see ``bot.exports.sheets``); the rows are ``bot.activities.evidence_rows``'s."""

from __future__ import annotations

from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.activities.evidence import EvidencePack
from bot.activities.evidence_rows import (
    activity_rows,
    audit_header,
    audit_rows,
    cost_header,
    cost_row,
    document_header,
    document_row,
    integrity_rows,
    local,
    record_header,
    record_row,
    signature_rows,
    stamp_rows,
    weakness_rows,
)
from bot.exports.sheets import pairs_sheet, table_sheet
from bot.i18n import translator
from bot.people import shown_name


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook starts with."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def save(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def evidence_xlsx(pack: EvidencePack) -> bytes:
    tr, tz = translator(pack.language), ZoneInfo(pack.timezone)
    a = pack.activity
    wb = Workbook()
    by = shown_name(pack.people, pack.exported_by, tr)
    stamp = stamp_rows(tr, f"{a.id}: {a.title}, {local(a.start_at, tz)}", pack.exported_at, by)
    pairs_sheet(
        first_sheet(wb),
        tr.gettext("Activity"),
        [*stamp, (), *activity_rows(tr, pack, tz), (), *signature_rows(tr)],
        tz,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Weaknesses"),
        (tr.gettext("Weakness"),),
        weakness_rows(tr, pack),
        tz,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Motivation"),
        record_header(tr),
        [record_row(tr, r) for r in pack.records],
        tz,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Costs"),
        cost_header(tr),
        [cost_row(tr, c) for c in a.costs],
        tz,
    )
    table_sheet(
        wb.create_sheet(),
        tr.gettext("Documents"),
        document_header(tr),
        [document_row(d) for d in a.documents],
        tz,
    )
    table_sheet(
        wb.create_sheet(), tr.gettext("Audit log"), audit_header(tr), audit_rows(tr, pack), tz
    )
    pairs_sheet(wb.create_sheet(), tr.gettext("Integrity"), integrity_rows(tr, pack), tz)
    return save(wb)
