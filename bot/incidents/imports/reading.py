"""Reading a spreadsheet as rows of cells: CSV (`;` `,` or tab; UTF-8 with or without BOM, or
Windows-1252) and XLSX (calamine, streamed; openpyxl's read-only mode for a sheet with
formulas). Nothing here knows incidents.

XLSX formulas are read by the value Excel saved with them; a formula saved without one (a file
written by a program that does not calculate) is refused by name. A merged cell's value counts
for every cell it covers, as a reader of the sheet sees it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from bot.errors import InvalidInput
from bot.i18n import N_

MAX_BYTES = 30 * 1024 * 1024  # 100 000 incidents are about 12 MB of CSV
MAX_ROWS = 200_000
Value = str | int | float | datetime | date | time | None
FORMULA_MISSING = object()  # a formula cell without a saved value: refused with its row

_MOJIBAKE = ("Ã¥", "Ã¤", "Ã¶", "Ã…", "Ã„", "Ã–", "Ã©")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


@dataclass
class Sheet:
    """What was read: the rows (row number, cells) streamed, and how the file was read."""

    kind: str  # "csv" or "xlsx"
    rows: Iterator[tuple[int, list[object]]]
    encoding: str = ""
    delimiter: str = ""
    merged: list[str] = field(default_factory=list)  # "A3:A5", as the sheet names them


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise InvalidInput(
            N_(
                "The file is {mb} MB; at most {max} MB can be imported at a time. Split it "
                "(e.g. one file per year) and import the parts one after another.",
                mb=f"{size / 1024 / 1024:.1f}".replace(".", ","),
                max=MAX_BYTES // 1024 // 1024,
            )
        )


def open_sheet(path: Path, name: str = "") -> Sheet:
    """The file at ``path`` (``name``: its original name, for its extension) as rows."""
    check_size(path.stat().st_size)
    suffix = Path(name or path.name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _csv(path.read_bytes())
    raise InvalidInput(
        N_("I can import CSV and XLSX files, not “{suffix}”.", suffix=suffix.lstrip("."))
    )


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8(data[3:]), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if not text or any(m in text for m in _MOJIBAKE):  # UTF-8 and Windows-1252 mixed
        raise _broken(data, utf8_error)
    return text, "Windows-1252"


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _broken(data, error) from None


def _broken(data: bytes, error: UnicodeDecodeError) -> InvalidInput:
    line = data[: error.start].count(b"\n") + 1
    return InvalidInput(
        N_(
            "The file's characters cannot be read: line {line} is neither UTF-8 nor "
            "Windows-1252 (the file mixes encodings or is not text). Save it again as "
            "“CSV UTF-8” and import it again; nothing was imported.",
            line=line,
        )
    )


def sniff_delimiter(first_line: str) -> str:
    """`;`, `,` or tab: the one the header line has most of (`;` on a tie, as Excel writes)."""
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv(data: bytes) -> Sheet:
    text, encoding = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[object]]]:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)

    return Sheet("csv", rows(), encoding=encoding, delimiter=delimiter)


def _xlsx(path: Path) -> Sheet:
    try:
        merges, has_formulas = _scan(path, 0)
        # calamine (Rust) reads a sheet about ten times faster than openpyxl; openpyxl only
        # when the sheet has formulas, whose saved values and missing ones it tells apart
        cells = _formula_rows(path) if has_formulas else _calamine_rows(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, CalamineError):
        raise InvalidInput(
            N_("The file is not a readable XLSX workbook. Save it again from Excel and retry.")
        ) from None
    labels = [f"{_letters(c1)}{r1}:{_letters(c2)}{r2}" for c1, r1, c2, r2 in merges]
    return Sheet("xlsx", _merged(cells, merges), merged=labels)


def _calamine_rows(path: Path) -> Iterator[list[object]]:
    """The first sheet's rows from A1 on, as openpyxl gives them: empty cells None, whole
    numbers int. Streamed: calamine's rows start at row 1 but at the first filled column."""
    book = CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_index(0)
    prefix: list[object] = [None] * (sheet.start[1] if sheet.start else 0)

    def rows() -> Iterator[list[object]]:
        try:
            for cells in sheet.iter_rows():  # inline, not a call a cell: most cells are text
                yield prefix + [
                    v if v.__class__ is str and v else None if v == "" else _number(v)
                    for v in cells
                ]
        finally:
            book.close()

    return rows()


def _number(value: object) -> object:
    """A whole number as int, as openpyxl gives it (calamine gives every number as float)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _formula_rows(path: Path) -> Iterator[list[object]]:
    """openpyxl's read-only mode, twice: the values Excel saved, and the formulas, so that a
    formula saved without a value is refused by name."""
    from openpyxl import load_workbook

    values = load_workbook(path, read_only=True, data_only=True)
    formulas = load_workbook(path, read_only=True, data_only=False)

    def rows() -> Iterator[list[object]]:
        raws = formulas.worksheets[0].iter_rows(values_only=True)
        try:
            for cells in values.worksheets[0].iter_rows(values_only=True):
                raw = next(raws, ())
                row: list[object] = list(cells)
                for i, value in enumerate(cells):
                    source = raw[i] if i < len(raw) else None
                    if value is None and isinstance(source, str) and source.startswith("="):
                        row[i] = FORMULA_MISSING
                yield row
        finally:
            values.close()
            formulas.close()

    return rows()


def _merged(
    cells: Iterator[list[object]], merges: list[tuple[int, int, int, int]]
) -> Iterator[tuple[int, list[object]]]:
    """The rows numbered from 1, a merged range's value in every cell it covers."""
    if not merges:  # most sheets: the rows as they come
        yield from enumerate(cells, start=1)
        return
    fill: dict[tuple[int, int], tuple[int, int]] = {}
    for c1, r1, c2, r2 in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    fill[r, c] = (r1, c1)
    tops = {(r1, c1) for c1, r1, _c2, _r2 in merges}
    seen: dict[tuple[int, int], object] = {}

    def filled(number: int, row: list[object]) -> list[object]:
        for i in range(len(row) if fill else 0):
            if (number, i + 1) in fill:
                row[i] = seen.get(fill[number, i + 1])
            elif (number, i + 1) in tops:
                seen[number, i + 1] = row[i]
        return row

    number, width = 0, max((m[2] for m in merges), default=0)
    for number, row in enumerate(cells, start=1):
        width = max(width, len(row))
        yield number, filled(number, row)
    # a range that ends below the sheet's last filled row still covers those rows
    for below in range(number + 1, max((m[3] for m in merges), default=0) + 1):
        yield below, filled(below, [None] * width)


def _scan(path: Path, index: int) -> tuple[list[tuple[int, int, int, int]], bool]:
    """The merged ranges of the workbook's sheet ``index`` (col1, row1, col2, row2), and
    whether it has formulas, read from its XML in chunks: openpyxl's read-only mode gives
    neither."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
        )
        if not names:
            return [], False
        name = f"xl/worksheets/sheet{index + 1}.xml"
        found: list[tuple[int, int, int, int]] = []
        tail, formulas = b"", False
        with archive.open(name if name in names else names[0]) as stream:
            while chunk := stream.read(1 << 20):
                block = tail + chunk
                formulas = formulas or b"<f>" in block or b"<f " in block
                for m in _MERGE.finditer(block):
                    found.append((_column(m[1]), int(m[2]), _column(m[3]), int(m[4])))
                tail = block[-64:]
                found = list(dict.fromkeys(found))  # a match inside the overlap, once
        return found, formulas


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters.decode():
        number = number * 26 + ord(ch) - 64
    return number


def _letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text
