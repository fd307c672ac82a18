"""An A4 page for a document people read and decide on: headings kept with what follows them
(never alone at the foot of a page), paragraphs, bullets, tables with their header repeated,
and charts scaled to the text's width."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from io import BytesIO

from fpdf import FPDF

from bot.exports.formats import Table, add_fonts, cell_text
from bot.exports.layout import HEAD, WIDTH, label_values
from bot.exports.money import Money

DPI = 200  # the charts' resolution: a chart is never drawn larger than its own size


class Page(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", format="A4")
        self.footer_text = footer_text
        add_fonts(self)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=16)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=7)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")

    def front(self, text: str, lines: Sequence[str]) -> None:
        self.set_title(text)
        self.set_font("DejaVu", "B", 18)
        self.multi_cell(WIDTH, 9, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", size=9)
        for line in lines:
            self.multi_cell(WIDTH, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str, room: float = 30, *, size: int = 13) -> None:
        """A heading with at least ``room`` mm of its content below it on the same page."""
        if self.will_page_break(room + 12):
            self.add_page()
        else:
            self.ln(3 if size < 13 else 5)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(
            WIDTH, 7 if size >= 13 else 6, text, align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_font("DejaVu", size=9)

    def paragraph(self, text: str, *, size: int = 9, italic_grey: bool = False) -> None:
        self.set_font("DejaVu", size=size)
        if italic_grey:
            self.set_text_color(90, 90, 90)
        self.multi_cell(WIDTH, 4.8, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def bullets(self, lines: Sequence[str], *, size: int = 9) -> None:
        self.set_font("DejaVu", size=size)
        for line in lines:
            self.set_x(self.l_margin)
            self.multi_cell(WIDTH, 5, f"•  {line}", align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(0.6)

    def pairs(self, rows: Sequence[tuple[str, str]], label: float = 48) -> None:
        """Label and value side by side; both wrap, nothing overlaps."""
        label_values(self, rows, label=label, size=8.5, line_height=4.5, gap=0.5)

    def grid(self, table: Table, *, size: float = 8) -> None:
        """The table under its header (repeated on each page), numbers right-aligned."""
        self.set_font("DejaVu", size=size)
        if not table.rows:
            self.paragraph(table.empty)
            return
        numeric = [
            all(isinstance(r[i], int | float | Money) or r[i] in ("", None) for r in table.rows)
            for i in range(len(table.headers))
        ]
        with self.table(
            width=WIDTH,
            col_widths=tuple(table.widths) or None,
            headings_style=HEAD,
            line_height=size * 0.55,
            text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
            v_align="TOP",
            repeat_headings=1,
        ) as grid:
            grid.row([str(h) for h in table.headers])
            for r in table.rows:
                grid.row([cell_text(v) for v in r])

    def chart(self, png: bytes, *, width: float = WIDTH) -> None:
        """A chart at ``width`` (at most its own size at ``DPI``), moved to the next page whole if
        it does not fit."""
        shown = self.chart_width(png, width=width)
        height = self.chart_height(png, width=width)
        if self.will_page_break(height + 2):
            self.add_page()
        self.image(BytesIO(png), x=self.l_margin, w=shown)
        self.ln(2)

    @staticmethod
    def chart_width(png: bytes, *, width: float = WIDTH) -> float:
        pixels_wide = int(struct.unpack(">I", png[16:20])[0])
        return min(float(width), pixels_wide / DPI * 25.4)

    def chart_height(self, png: bytes, *, width: float = WIDTH) -> float:
        pixels_wide, pixels_high = struct.unpack(">II", png[16:24])
        return float(self.chart_width(png, width=width) * pixels_high / pixels_wide)
