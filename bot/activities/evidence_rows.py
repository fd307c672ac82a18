"""The evidence pack's content as labelled rows of typed values (text, numbers, moments,
dates, ``Money``): the XLSX (``evidence_xlsx``) writes them as typed cells, the PDF
(``evidence_pdf``) prints them, so both say the same.

Every file states, labelled, both what activity its content is about and when it was
exported, so nobody can take an export for a record made at the time. People are named,
the audit trail is in words, and every weakness is listed first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.activities.cited import CitedRecord
from bot.activities.evidence import EvidencePack
from bot.activities.evidence_words import (
    audit_text,
    drift_text,
    gap_text,
    record_kind,
    record_name,
)
from bot.activities.results import EFFECT_WEEKS, CostItem, FiledDocument, PlannedActivity
from bot.exports.money import Money
from bot.i18n import Translator
from bot.people import shown_name

Row = Sequence[Any]


def local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _counts(tr: Translator, a: PlannedActivity) -> list[Row]:
    """Incidents at the places the weeks before and after, or from when they are counted."""
    due = {e.weeks: e for e in a.effects}
    rows: list[Row] = []
    for weeks in EFFECT_WEEKS:
        label = tr.ngettext(
            "Incidents {n} week before / after",
            "Incidents {n} weeks before / after",
            weeks,
        )
        e = due.get(weeks)
        value = (
            f"{e.before} / {e.after}"
            if e
            else tr.gettext(
                "not yet counted: from {day}", day=(a.end_at + timedelta(weeks=weeks)).date()
            )
        )
        rows.append((label, value))
    return rows


def activity_rows(tr: Translator, pack: EvidencePack, tz: ZoneInfo) -> list[Row]:
    """The activity as (label, value) rows: the same content in the PDF and the XLSX."""
    a, people = pack.activity, pack.people
    number = tr.gettext("org. no.")
    organisers = "; ".join(
        o.name + (f" ({number} {o.org_number})" if o.org_number else "") for o in a.organisers
    )
    attendance = ", ".join(f"{c}: {n}" for c, n in a.attendance)
    owner = shown_name(people, a.owner_user_id, tr)
    return [
        (tr.gettext("Activity"), f"{a.id}: {a.title}"),
        (tr.gettext("Kind"), a.kind),
        (tr.gettext("Status"), a.status + (f" ({a.cancel_reason})" if a.cancel_reason else "")),
        (tr.gettext("Places"), ", ".join(a.places)),
        (tr.gettext("Starts"), a.start_at),
        (tr.gettext("Ends"), a.end_at),
        (tr.gettext("Responsible"), f"{owner} ({a.organisation})"),
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
        (tr.gettext("Followed up"), a.followed_up_at),
        (tr.gettext("Followed up by"), shown_name(people, a.followed_up_by, tr)),
        *_counts(tr, a),
        (tr.gettext("Costs, total"), Money(a.total_cost_ore)),
        (tr.gettext("Registered"), a.created_at),
        (tr.gettext("Last changed"), a.updated_at),
    ]


def stamp_rows(tr: Translator, content: str, exported_at: datetime, by: str) -> list[Row]:
    return [
        (tr.gettext("Content concerns"), content),
        (tr.gettext("Exported"), exported_at),
        (tr.gettext("Exported by"), by),
    ]


def signature_rows(tr: Translator) -> list[Row]:
    """Left empty, for the person who attests the pack to fill in."""
    return [
        (tr.gettext("Attested by (name)"), ""),
        (tr.gettext("Role"), ""),
        (tr.gettext("Date"), ""),
        (tr.gettext("Signature"), ""),
    ]


def record_header(tr: Translator) -> Row:
    return (
        tr.gettext("Record"),
        tr.gettext("Number"),
        tr.gettext("Place"),
        tr.gettext("Happened"),
        tr.gettext("Registered"),
        tr.gettext("Record as linked"),
    )


def record_row(tr: Translator, r: CitedRecord) -> Row:
    happened: Any = r.happened_at
    if r.happened_week is not None:
        happened = tr.gettext(
            "week {week}, {year}", week=r.happened_week[1], year=r.happened_week[0]
        )
    return (record_kind(tr, r.kind), r.record_id, r.place, happened, r.registered_at, r.summary)


def cost_header(tr: Translator) -> Row:
    return (
        tr.gettext("Cost"),
        tr.gettext("Activity"),
        tr.gettext("Amount"),
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
        tr.gettext("Weaknesses"),
        tr.gettext("Registered"),
    )


def cost_flags(tr: Translator, c: CostItem) -> str:
    flags = {
        "invoice": tr.gettext("no invoice number"),
        "year": tr.gettext("outside the grant year"),
        "description": tr.gettext("no description"),
        "association": tr.gettext("association without organisation number"),
    }
    return ", ".join(flags[g] for g in c.gaps)


def cost_row(tr: Translator, c: CostItem) -> Row:
    return (
        c.id,
        c.activity_id,
        Money(c.amount_ore),
        c.description,
        c.supplier,
        c.supplier_org_number or "",
        tr.gettext("yes") if c.association else tr.gettext("no"),
        c.invoice_number,
        c.invoice_date,
        c.funding_source,
        c.grant_year,
        c.diarienummer,
        c.project_code,
        cost_flags(tr, c),
        c.created_at,
    )


def document_header(tr: Translator) -> Row:
    return (
        tr.gettext("Document"),
        tr.gettext("Kind"),
        tr.gettext("Title"),
        tr.gettext("Signed or issued on"),
        tr.gettext("Where the original is"),
        tr.gettext("Registered"),
        tr.gettext("Last changed"),
    )


def document_row(d: FiledDocument) -> Row:
    return (d.id, d.kind, d.title, d.document_date, d.reference, d.created_at, d.updated_at)


def audit_header(tr: Translator) -> Row:
    return (
        tr.gettext("Event"),
        tr.gettext("Time"),
        tr.gettext("By"),
        tr.gettext("What happened"),
        tr.gettext("Record"),
        tr.gettext("Hash"),
    )


def audit_rows(tr: Translator, pack: EvidencePack) -> list[Row]:
    return [
        (
            e.id,
            e.at,
            shown_name(pack.people, e.actor, tr),
            audit_text(tr, e),
            record_name(tr, e.entity, e.entity_id),
            e.hash,
        )
        for e in pack.events
    ]


def integrity_rows(tr: Translator, pack: EvidencePack) -> list[Row]:
    """The chain's hash after the export, whether the chain holds, and whether the activity and
    its costs still read as their last audit events say (else: changed outside the bot)."""
    chain = (
        tr.gettext("intact ({n} events)", n=pack.chain.events)
        if pack.chain.ok
        else tr.gettext("BROKEN at event {id}", id=pack.chain.broken_at)
    )
    matches = (
        tr.gettext("yes")
        if not pack.drift
        else tr.gettext("NO: {which}", which=drift_text(tr, pack.drift))
    )
    return [
        (tr.gettext("Chain hash after this export"), pack.chain_head),
        (tr.gettext("Audit chain"), chain),
        (tr.gettext("Records match the audit log"), matches),
    ]


def weakness_rows(tr: Translator, pack: EvidencePack) -> list[Row]:
    if not pack.gaps:
        return [(tr.gettext("No weaknesses found."),)]
    return [(gap_text(tr, g),) for g in pack.gaps]
