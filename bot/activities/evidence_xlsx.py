"""Rendering evidence as XLSX files (openpyxl), as bytes; the PDF is in
``bot.activities.evidence_pdf``.

Every file states, labelled, both what period or activity its content is about and when it
was exported, so nobody can take an export for a record made at the time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.activities.evidence import EvidencePack
from bot.activities.results import CostItem, FiledDocument, MotivatingRecord, PlannedActivity
from bot.i18n import Translator, translator

Row = Sequence[Any]


def kronor(ore: int | None) -> str:
    """1 740,50 kr (thin grouping with spaces)."""
    if ore is None:
        return ""
    sign, ore = ("-" if ore < 0 else ""), abs(ore)
    return f"{sign}{ore // 100:,}".replace(",", " ") + f",{ore % 100:02d} kr"


def local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def activity_rows(tr: Translator, a: PlannedActivity, tz: ZoneInfo) -> list[Row]:
    """The activity as (label, value) rows: the same content in the PDF and the XLSX."""
    organisers = "; ".join(
        o.name + (f" ({o.org_number})" if o.org_number else "") for o in a.organisers
    )
    attendance = ", ".join(f"{c}: {n}" for c, n in a.attendance)
    return [
        (tr.gettext("Activity"), f"#{a.id} {a.title}"),
        (tr.gettext("Kind"), a.kind),
        (tr.gettext("Status"), a.status + (f" ({a.cancel_reason})" if a.cancel_reason else "")),
        (tr.gettext("Places"), ", ".join(a.places)),
        (tr.gettext("Starts"), local(a.start_at, tz)),
        (tr.gettext("Ends"), local(a.end_at, tz)),
        (tr.gettext("Owner"), f"{a.owner_user_id} ({a.organisation})"),
        (tr.gettext("Organisers"), organisers),
        (tr.gettext("Target group"), a.target_group),
        (tr.gettext("Purpose"), a.purpose),
        (tr.gettext("Expected participants"), a.expected_participants),
        (tr.gettext("Motivated"), tr.gettext("yes") if a.motivated else tr.gettext("NO (draft)")),
        (tr.gettext("Attendance"), attendance),
        (tr.gettext("Counting method"), a.counting_method or ""),
        (tr.gettext("Attendance, total"), a.attendance_total),
        (tr.gettext("Incidents during the activity"), a.incidents_during),
        (tr.gettext("Observed effect"), a.effect),
        (tr.gettext("Followed up"), local(a.followed_up_at, tz)),
        *(
            (
                tr.ngettext(
                    "Incidents {n} week before / after",
                    "Incidents {n} weeks before / after",
                    e.weeks,
                ),
                f"{e.before} / {e.after}",
            )
            for e in a.effects
        ),
        (tr.gettext("Costs, total"), kronor(a.total_cost_ore)),
        (tr.gettext("Created (server time)"), local(a.created_at, tz)),
        (tr.gettext("Changed (server time)"), local(a.updated_at, tz)),
    ]


def cost_header(tr: Translator) -> Row:
    return (
        tr.gettext("Cost"),
        tr.gettext("Activity"),
        tr.gettext("Amount (kr)"),
        tr.gettext("What it paid for"),
        tr.gettext("Supplier"),
        tr.gettext("Organisation number"),
        tr.gettext("Association"),
        tr.gettext("Invoice number"),
        tr.gettext("Invoice date"),
        tr.gettext("Funding source"),
        tr.gettext("Grant year"),
        tr.gettext("Diarienummer"),
        tr.gettext("Project code"),
        tr.gettext("Flags"),
        tr.gettext("Created (server time)"),
    )


def cost_row(tr: Translator, c: CostItem, tz: ZoneInfo) -> Row:
    flags = {
        "invoice": tr.gettext("no invoice number"),
        "year": tr.gettext("outside the grant year"),
        "description": tr.gettext("no description"),
    }
    return (
        c.id,
        c.activity_id,
        c.amount_ore / 100,
        c.description,
        c.supplier,
        c.supplier_org_number or "",
        tr.gettext("yes") if c.to_association else "",
        c.invoice_number,
        c.invoice_date.isoformat() if c.invoice_date else "",
        c.funding_source,
        c.grant_year or "",
        c.diarienummer,
        c.project_code,
        ", ".join(flags[g] for g in c.gaps),
        local(c.created_at, tz),
    )


def document_header(tr: Translator) -> Row:
    return (
        tr.gettext("Document"),
        tr.gettext("Kind"),
        tr.gettext("Title"),
        tr.gettext("Signed or issued on"),
        tr.gettext("Where the original is"),
        tr.gettext("Registered (server time)"),
        tr.gettext("Changed (server time)"),
    )


def document_row(d: FiledDocument, tz: ZoneInfo) -> Row:
    return (
        d.id,
        d.kind,
        d.title,
        d.document_date.isoformat(),
        d.reference,
        local(d.created_at, tz),
        local(d.updated_at, tz),
    )


def sheet(ws: Worksheet, title: str, header: Row | None, rows: Iterable[Row]) -> None:
    ws.title = title[:31]
    if header:
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for index, column in enumerate(ws.columns, start=1):
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook starts with."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def stamp_rows(
    tr: Translator, content: str, exported_at: datetime, by: str, tz: ZoneInfo
) -> list[Row]:
    return [
        (tr.gettext("Content concerns"), content),
        (tr.gettext("Exported (server time)"), local(exported_at, tz)),
        (tr.gettext("Exported by"), by),
    ]


def integrity_rows(tr: Translator, pack: EvidencePack) -> list[Row]:
    """The chain's hash after the export, whether the chain holds, and whether the activity and
    its costs still read as their last audit events say (else: changed outside the bot)."""
    chain = (
        tr.gettext("intact ({n} events)", n=pack.chain.events)
        if pack.chain.ok
        else tr.gettext("BROKEN at event {id}", id=pack.chain.broken_at)
    )
    drift = "; ".join(f"{d.entity} #{d.entity_id}: {', '.join(d.fields)}" for d in pack.drift)
    matches = tr.gettext("yes") if not pack.drift else tr.gettext("NO: {which}", which=drift)
    return [
        (tr.gettext("Chain hash after this export"), pack.chain_head),
        (tr.gettext("Audit chain"), chain),
        (tr.gettext("Records match the audit log"), matches),
    ]


def save(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def evidence_xlsx(pack: EvidencePack) -> bytes:
    tr, tz = translator(pack.language), ZoneInfo(pack.timezone)
    a = pack.activity
    wb = Workbook()
    stamp = stamp_rows(
        tr, f"#{a.id} {a.title}, {local(a.start_at, tz)}", pack.exported_at, pack.exported_by, tz
    )
    sheet(first_sheet(wb), tr.gettext("Activity"), None, [*stamp, (), *activity_rows(tr, a, tz)])
    sheet(
        wb.create_sheet(),
        tr.gettext("Motivation"),
        (
            tr.gettext("Record"),
            tr.gettext("Number"),
            tr.gettext("Place"),
            tr.gettext("Happened / saved (server time)"),
            tr.gettext("Record as linked"),
        ),
        [(m.kind, m.record_id, m.place, _times(m, tz), m.summary) for m in a.motivations],
    )
    sheet(
        wb.create_sheet(),
        tr.gettext("Costs"),
        cost_header(tr),
        [cost_row(tr, c, tz) for c in a.costs],
    )
    sheet(
        wb.create_sheet(),
        tr.gettext("Documents"),
        document_header(tr),
        [document_row(d, tz) for d in a.documents],
    )
    sheet(
        wb.create_sheet(),
        tr.gettext("Audit log"),
        (
            tr.gettext("Event"),
            tr.gettext("Time (server)"),
            tr.gettext("By"),
            tr.gettext("What"),
            tr.gettext("Record"),
            tr.gettext("Hash"),
        ),
        [
            (e.id, local(e.at, tz), e.actor, e.action, f"{e.entity} #{e.entity_id}", e.hash)
            for e in pack.events
        ],
    )
    log = wb[tr.gettext("Audit log")]
    log.append([])
    for row in integrity_rows(tr, pack):
        log.append(list(row))
    return save(wb)


def _times(m: MotivatingRecord, tz: ZoneInfo) -> str:
    """When the record happened and when it was saved, both: "2026-11-15 21:30 / 2026-11-16
    10:00" (saved only, for a link made before the happened time was kept)."""
    saved = local(m.record_at, tz)
    return f"{local(m.happened_at, tz)} / {saved}" if m.happened_at else saved
