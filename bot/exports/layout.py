"""What the PDFs that people read on paper (the annual lägesbild, an activity's evidence pack)
lay out alike: the A4 text width, the header and bold faces, and a block of labels with their
values beside them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fpdf import FPDF
from fpdf.fonts import FontFace

WIDTH = 180  # mm between the margins of A4 portrait
HEAD = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))
BOLD = FontFace(emphasis="BOLD")


def _plain(_value: str) -> FontFace | None:
    return None


def label_values(
    pdf: FPDF,
    rows: Iterable[tuple[str, str]],
    *,
    label: float,
    size: float,
    line_height: float,
    gap: float,
    value_style: Callable[[str], FontFace | None] = _plain,
) -> None:
    """Each label in bold in a column ``label`` mm wide, its value beside it; both wrap, so
    nothing overlaps. ``gap`` is the space above and below a row; ``value_style`` may set the
    face of a value by what it says."""
    pdf.set_font("DejaVu", size=size)
    with pdf.table(
        width=WIDTH,
        col_widths=(label, WIDTH - label),
        first_row_as_headings=False,
        borders_layout="NONE",
        line_height=line_height,
        text_align=("LEFT", "LEFT"),
        v_align="TOP",
        padding=(gap, 1, gap, 0),
    ) as table:
        for name, value in rows:
            row = table.row()
            row.cell(name, style=BOLD)
            row.cell(value, style=value_style(value))
