"""Spreadsheets done properly: what every XLSX the bot writes has in common.

Dates and times are date cells (shown as ISO dates, as Swedish offices write them), amounts are
number cells in kronor with a format that shows "1 740,00 kr" in a Swedish Excel, the header row
is bold and frozen, the table has an autofilter, and the columns are as wide as their content.
Excel stores no time zone: a moment is written as the group's local time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.money import Money, kronor

# number formats are stored in Excel's neutral notation: Swedish Excel shows "1 740,00 kr"
KRONOR_FORMAT = '#,##0.00 "kr"'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_SHEET_NAME = 31  # Excel's limit
MAX_WIDTH = 60


def sheet_name(title: str) -> str:
    """A sheet's name within Excel's 31 characters, cut at a word, never mid-word."""
    name = "".join(ch for ch in title if ch not in "[]:*?/\\").strip() or "Blad"
    if len(name) <= MAX_SHEET_NAME:
        return name
    cut = name[: MAX_SHEET_NAME + 1].rsplit(" ", 1)[0]
    return cut[:MAX_SHEET_NAME].rstrip(" ,;–-")


def excel_value(value: Any, tz: ZoneInfo) -> tuple[Any, str | None]:
    """The cell's value and its number format: a moment in local time, an amount in kronor."""
    if isinstance(value, Money):
        return value.ore / 100, KRONOR_FORMAT
    if isinstance(value, datetime):
        moment = value.astimezone(tz) if value.tzinfo else value
        return moment.replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, date):
        return value, DATE_FORMAT
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return value, "@"  # text, never a formula
    return value, None


def _text_width(value: Any, number_format: str | None) -> int:
    if number_format == DATETIME_FORMAT:
        return 16
    if number_format == DATE_FORMAT:
        return 10
    if number_format == KRONOR_FORMAT:
        return len(kronor(round(value * 100)))
    return max(
        (len(line) for line in str(value if value is not None else "").split("\n")), default=0
    )


def text_width(value: Any, tz: ZoneInfo) -> int:
    """How many characters a typed value takes as a reader sees it."""
    return _text_width(*excel_value(value, tz))


def write_rows(ws: Worksheet, rows: Iterable[Sequence[Any]], tz: ZoneInfo) -> None:
    """Append rows of typed values (text, numbers, dates, moments, ``Money``)."""
    for row in rows:
        ws.append([excel_value(v, tz)[0] for v in row])
        for cell, value in zip(ws[ws.max_row], row, strict=False):
            number_format = excel_value(value, tz)[1]
            if number_format == "@":
                cell.data_type = "s"
            if number_format:
                cell.number_format = number_format


def fit_columns(ws: Worksheet, *, minimum: int = 8) -> None:
    """Each column as wide as its widest cell (within reason); long text wraps."""
    for index, column in enumerate(ws.iter_cols(), start=1):
        widest = max(
            (
                _text_width(c.value, c.number_format if c.number_format != "General" else None)
                for c in column
            ),
            default=0,
        )
        ws.column_dimensions[get_column_letter(index)].width = min(
            max(minimum, widest + 2), MAX_WIDTH
        )
        if widest > MAX_WIDTH:
            for c in column:
                c.alignment = Alignment(wrap_text=True, vertical="top")


def table_sheet(
    ws: Worksheet,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    tz: ZoneInfo,
    *,
    empty: str = "",
) -> None:
    """A table: bold frozen header, autofilter over it, typed cells, fitted columns; with no rows,
    ``empty`` says so under the header (a reader never meets a bare header)."""
    ws.title = sheet_name(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    write_rows(ws, rows, tz)
    if ws.max_row == 1 and empty:
        ws.append([empty])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{max(ws.max_row, 1)}"
    fit_columns(ws)


def pairs_sheet(ws: Worksheet, title: str, rows: Iterable[Sequence[Any]], tz: ZoneInfo) -> None:
    """Labelled values, one a row (label bold in the first column), for a record's fields."""
    ws.title = sheet_name(title)
    write_rows(ws, rows, tz)
    for row in ws.iter_rows():
        if row and row[0].value is not None and len(row) > 1:
            row[0].font = Font(bold=True)
    fit_columns(ws)
