"""File formats for exports: CSV as Swedish Excel opens it, XLSX (openpyxl), and the fonts of
the PDFs (fpdf2; each document lays itself out: ``bot.exports.annual.page``, the evidence pack).

A table is a title, headers and rows of plain values: text, numbers, dates, local times (naive,
in the group's zone: ``local_moment``) and amounts (``Money``). The XLSX has real date and
number cells with Swedish formats (``bot.exports.sheets``), a frozen header with an autofilter
and fitted columns; the CSV and the PDF write the same values as text (ISO dates, "1 740,00 kr").
Text that a spreadsheet would run as a formula (starting with =, +, -, @) is written as text,
so an incident description can never become a formula in somebody's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.exports.money import Money, kronor

if TYPE_CHECKING:  # fpdf is imported when a PDF is made, not when the web process starts
    from fpdf import FPDF

Cell = str | int | float | date | datetime | Money | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float] = ()  # relative column widths in the PDF; equal if empty
    empty: str = "–"  # said in the PDF when there are no rows
    sheet: str = ""  # the XLSX sheet's name, within 31 characters; else the title, cut at a word


@dataclass(frozen=True)
class ExportFile:
    filename: str
    title: str
    content: bytes


def local_text(at: datetime, tz: ZoneInfo) -> str:
    """'2026-11-20 21:30' in the group's time zone: what a spreadsheet sorts and filters."""
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def local_moment(at: datetime, tz: ZoneInfo) -> datetime:
    """The moment as the group's local wall time, without a zone: a spreadsheet's date cell."""
    return at.astimezone(tz).replace(tzinfo=None)


def cell_text(value: Cell) -> str:
    """A value as the CSV and the PDF write it: '2026-11-20 21:30', '2026-11-20', '1 740,00 kr'."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return kronor(value.ore)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, date | Money):
        return cell_text(value)
    return value


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM, semicolons and CRLF: Swedish Excel opens it with å, ä, ö intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(table: Table, taken: set[str]) -> str:
    from bot.exports.sheets import sheet_name

    name = sheet_name(table.sheet or table.title)
    while name in taken:
        name = sheet_name(name[:27]) + f" {len(taken)}"
    taken.add(name)
    return name


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table: a bold frozen header with an autofilter, date and number cells with
    Swedish formats, fitted columns; text never read as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from bot.exports.sheets import MAX_WIDTH, excel_value, text_width

    book = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table, taken))
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, len(table.headers)))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        for i, header in enumerate(table.headers, 1):
            longest = max(
                [len(str(header)), *(text_width(r[i - 1], UTC) for r in table.rows[:200])]
            )
            sheet.column_dimensions[get_column_letter(i)].width = min(
                max(longest + 2, 8), MAX_WIDTH
            )
        header_cells = []
        for header in table.headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in table.rows:
            cells = []
            for value in row:
                shown, number_format = excel_value(value, UTC)
                cell = WriteOnlyCell(sheet, value=shown)
                if number_format == "@":
                    cell.data_type = "s"  # text, not a formula
                if number_format:
                    cell.number_format = number_format
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans (and Mono), shipped with matplotlib: every character Swedish text, dashes
    and arrows need, where the PDF core fonts stop at Latin-1."""
    import matplotlib

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVuMono", "", str(fonts / "DejaVuSansMono.ttf"))
