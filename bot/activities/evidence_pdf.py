"""The evidence pack as a PDF (fpdf2), as bytes: the same rows as the XLSX, for printing."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from fpdf import FPDF

from bot.activities.evidence import EvidencePack
from bot.activities.evidence_xlsx import (
    Row,
    activity_rows,
    integrity_rows,
    kronor,
    local,
    stamp_rows,
)
from bot.activities.results import MotivatingRecord
from bot.exports.formats import add_fonts
from bot.i18n import Translator, translator


def pdf_text(text: object) -> str:
    return str(text if text is not None else "")


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=7)
        self.cell(0, 5, pdf_text(f"{self.footer_text} · {self.page_no()}/{{nb}}"), align="C")


def _pairs(pdf: FPDF, rows: Iterable[Row]) -> None:
    for label, value in rows:
        pdf.set_font("DejaVu", style="B", size=9)
        pdf.cell(55, 5, pdf_text(label))
        pdf.set_font("DejaVu", size=9)
        pdf.multi_cell(0, 5, pdf_text(value), new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", style="B", size=12)
    pdf.cell(0, 7, pdf_text(text), new_x="LMARGIN", new_y="NEXT")


def evidence_pdf(pack: EvidencePack) -> bytes:
    tr, tz = translator(pack.language), ZoneInfo(pack.timezone)
    a = pack.activity
    pdf = _Pdf(format="A4")
    add_fonts(pdf)
    pdf.footer_text = tr.gettext(
        "Exported {when} by {by}", when=local(pack.exported_at, tz), by=pack.exported_by
    )
    pdf.set_title(pdf_text(f"#{a.id} {a.title}"))
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=15)
    pdf.multi_cell(
        0,
        8,
        pdf_text(tr.gettext("Evidence: activity #{id} {title}", id=a.id, title=a.title)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _pairs(
        pdf,
        stamp_rows(
            tr, f"{pack.group}, {local(a.start_at, tz)}", pack.exported_at, pack.exported_by, tz
        ),
    )
    _heading(pdf, tr.gettext("Activity"))
    _pairs(pdf, activity_rows(tr, a, tz))
    _heading(pdf, tr.gettext("Motivation"))
    if not a.motivations:
        _pairs(pdf, [(tr.gettext("Motivated"), tr.gettext("NO (draft)"))])
    _pairs(
        pdf,
        [
            (
                f"{m.kind} #{m.record_id}",
                _happened(tr, m, tz)
                + tr.gettext("saved {when}", when=local(m.record_at, tz))
                + f", {m.place}: {m.summary}",
            )
            for m in a.motivations
        ],
    )
    _heading(pdf, tr.gettext("Costs"))
    _pairs(
        pdf,
        [
            (
                f"#{c.id} {kronor(c.amount_ore)}",
                f"{c.description} · {c.supplier} {c.supplier_org_number or ''} · "
                f"{c.invoice_number or '-'} {c.invoice_date or ''} · "
                f"{c.funding_source} {c.grant_year or ''} {c.diarienummer}"
                + (f" · {', '.join(c.gaps)}" if c.gaps else ""),
            )
            for c in a.costs
        ],
    )
    _heading(pdf, tr.gettext("Documents"))
    _pairs(
        pdf,
        [
            (
                f"#{d.id} {d.kind}",
                tr.gettext(
                    "{title}, signed or issued {day}, registered {registered}",
                    title=d.title,
                    day=d.document_date.isoformat(),
                    registered=local(d.created_at, tz),
                )
                + (f" · {d.reference}" if d.reference else ""),
            )
            for d in a.documents
        ],
    )
    _heading(pdf, tr.gettext("Audit log"))
    pdf.set_font("DejaVuMono", size=7)
    for e in pack.events:
        line = (
            f"{e.id:>6} {local(e.at, tz)} {e.actor:<10} {e.action:<22} "
            f"{e.entity} #{e.entity_id}  {e.hash[:16]}"
        )
        pdf.cell(0, 4, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pairs(pdf, integrity_rows(tr, pack))
    return bytes(pdf.output())


def _happened(tr: Translator, m: MotivatingRecord, tz: ZoneInfo) -> str:
    """ "happened …, " before "saved …": an auditor sees both times of a motivating record."""
    if m.happened_at is None:
        return ""
    return tr.gettext("happened {when}", when=local(m.happened_at, tz)) + ", "
