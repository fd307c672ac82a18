"""`/est export aktivitet N` and `/est export bidrag ÅR`: the evidence pack of an activity (PDF
and XLSX) and the grant year report (XLSX). Entries of the `/est export` list in
handlers/exports/listeners.py, which acknowledges, catches errors and sends the files by DM."""

from __future__ import annotations

from bot import documents
from bot.errors import InvalidInput
from bot.evidence_pdf import evidence_pdf
from bot.export_formats import ExportFile
from bot.grant_xlsx import grant_xlsx
from bot.i18n import N_
from handlers.commands.router import Invocation


def _number(rest: str, example: str) -> int:
    word = rest.strip().lstrip("#")
    if not word.isdigit():
        raise InvalidInput(N_("Write for example `/est export {example}`.", example=example))
    return int(word)


def activity_pack(inv: Invocation, rest: str) -> list[ExportFile]:
    activity_id = _number(rest, "aktivitet 17")
    pack = inv.services.evidence.activity_pack(inv.actor, activity_id, now=inv.now)
    stem = f"aktivitet-{activity_id}-{inv.now:%Y%m%d-%H%M}"
    title = inv.tr.gettext(
        "evidence pack for activity #{id} {title}", id=activity_id, title=pack.activity.title
    )
    return [
        ExportFile(f"{stem}.pdf", title, evidence_pdf(pack)),
        ExportFile(f"{stem}.xlsx", title, documents.evidence_xlsx(pack)),
    ]


def grant_report(inv: Invocation, rest: str) -> list[ExportFile]:
    year = _number(rest, "bidrag 2026")
    report = inv.services.evidence.grant_report(inv.actor, year, now=inv.now)
    name = f"bidrag-{year}-{inv.now:%Y%m%d-%H%M}.xlsx"
    title = inv.tr.gettext("Grant year {year}", year=year)
    return [ExportFile(name, title, grant_xlsx(report))]
