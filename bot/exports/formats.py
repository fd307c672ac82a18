"""File formats for exports: CSV as Swedish Excel opens it, XLSX (openpyxl), and the fonts of
the PDFs (fpdf2): ``to_pdf`` for plain tables; the annual lägesbild and the evidence pack lay
themselves out (with what they share in ``bot.exports.layout``). ``table`` makes a table whose
words are put in the reader's language.

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
from bot.i18n import LazyText, Translator

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


def table(
    tr: Translator,
    title: LazyText | str,
    headers: Sequence[LazyText | str],
    rows: Sequence[Sequence[Cell]],
    *,
    widths: Sequence[float] = (),
    empty: LazyText | str = Table.empty,
    sheet: LazyText | str = "",
) -> Table:
    """A table whose words (``N_`` texts, or text already said) are put in the reader's
    language in one place: the title, a header a column, what the PDF says when there are no
    rows and the XLSX sheet's name."""
    return Table(
        tr.render(title),
        [tr.render(h) for h in headers],
        rows,
        widths,
        tr.render(empty),
        tr.render(sheet),
    )


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


def to_pdf(title: str, subtitle: str, tables: Sequence[Table], *, footer: str = "") -> bytes:
    """A4 landscape: the title, then each table under its heading, page numbers below."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 8, f"{footer}  ·  {self.page_no()}/{{nb}}", align="C")

    pdf = Document(orientation="landscape", format="A4")
    add_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    heading = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))
    for table in tables:
        if pdf.will_page_break(40):  # a heading never stays alone at the foot of a page
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 8, table.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8)
        if not table.rows:
            pdf.set_font("DejaVu", size=10)
            pdf.multi_cell(0, 6, table.empty, new_x="LMARGIN", new_y="NEXT")
            continue
        widths = tuple(table.widths) or None
        numeric = [
            all(isinstance(r[i], int | float | Money) for r in table.rows)
            for i in range(len(table.headers))
        ]
        align = tuple("RIGHT" if n else "LEFT" for n in numeric)
        with pdf.table(
            col_widths=widths,
            text_align=align,
            headings_style=heading,
            line_height=5,
            repeat_headings=1,
        ) as grid:
            grid.row([str(h) for h in table.headers])
            for row in table.rows:
                grid.row([cell_text(v) for v in row])
    return bytes(pdf.output())
