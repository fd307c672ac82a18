"""The pattern chart: a PNG drawn with matplotlib's Agg backend, for a phone and a printout.

Above, a heat map of the incidents per weekday (rows, Monday first) × hour of day (columns);
below, the incidents per month as bars. The title names the place and the period, the subtitle
says the hot times in words. No pyplot.

What made it slow was building a Figure for every chart (each axis's ticks are artists of their
own, and a new canvas measures every label's text again) and the pixels: so each thread keeps
one Figure per language, built once with the parts every chart shares (the weekdays, the hours,
the colour scale), and each chart only sets its numbers and words, at 120 dpi (864 × 1008
pixels: sharp at a phone's width, legible on A4) with light PNG compression.
"""

from __future__ import annotations

import threading
from io import BytesIO

from babel.dates import get_day_names, get_month_names
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator

from bot.analysis.patterns import hot_times
from bot.analysis.timing import PatternReport
from bot.i18n import Translator, translator

WIDTH, HEIGHT, DPI = 7.2, 8.4, 120  # 864 × 1008 pixels
ACCENT = "#0072B2"
TITLE_FITS = 58  # characters of the title at 14 pt across the figure
PNG_COMPRESSION = 3  # zlib level: the default 6 took longer than drawing, for 15 % less size


class _Chart:
    """One Figure, drawn again for every report (never by two threads at once)."""

    def __init__(self, language: str) -> None:
        self.tr: Translator = translator(language)
        self.locale = "en_GB" if self.tr.language == "en" else "sv_SE"
        # fixed axes, not a layout engine: a constrained layout draws the figure twice
        self.figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
        FigureCanvasAgg(self.figure)
        self.title = self.figure.suptitle("", fontsize=14, fontweight="bold", y=0.985)
        self.heat = self.figure.add_axes((0.085, 0.535, 0.80, 0.385))
        scale = self.figure.add_axes((0.90, 0.535, 0.022, 0.385))
        self.months = self.figure.add_axes((0.085, 0.075, 0.89, 0.35))
        self.image = self._heat_map(scale)
        self.hot = self.heat.set_title("", fontsize=12, loc="left", color=ACCENT)
        self.months.set_title(self.tr.gettext("Incidents per month"), fontsize=12, loc="left")
        self.months.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        self.months.spines[["top", "right"]].set_visible(False)
        self.months.grid(axis="y", alpha=0.3)
        self.bars: BarContainer | None = None
        self.labels: list[Annotation] = []

    def _heat_map(self, scale: Axes) -> AxesImage:
        days = get_day_names("abbreviated", locale=self.locale)
        empty = [[0] * 24 for _ in range(7)]
        image = self.heat.imshow(
            empty, aspect="auto", cmap="YlOrRd", interpolation="nearest", vmin=0, vmax=1
        )
        self.heat.set_yticks(range(7), [str(days[i]) for i in range(7)], fontsize=11)
        self.heat.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)], fontsize=10)
        self.heat.set_xlabel(self.tr.gettext("hour of day"), fontsize=11)
        bar = self.figure.colorbar(image, cax=scale)
        bar.ax.tick_params(labelsize=9)
        bar.locator = MaxNLocator(nbins=4, integer=True)  # kept when the scale changes
        return image

    def draw(self, report: PatternReport, group_name: str) -> bytes:
        tr, pattern = self.tr, report.pattern
        title = tr.gettext(
            "Incidents at {place}, {days} ({n})",
            place=report.target or group_name,
            days=report.days(tr),
            n=pattern.total,
        )
        self.title.set_text(title)
        # 14 pt fills the width at about 60 characters: a longer place name gets smaller type
        self.title.set_fontsize(min(14.0, max(9.0, 14.0 * TITLE_FITS / max(len(title), 1))))
        self.hot.set_text(hot_times(pattern, tr.language).sentence(tr))
        self.image.set_data(pattern.grid)
        # from 0, so that no incidents is the palest colour (an empty map is not mid-orange)
        self.image.set_clim(0, max(1, max((max(row) for row in pattern.grid), default=0)))
        self._month_bars(pattern.months)
        buffer = BytesIO()
        self.figure.savefig(
            buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": PNG_COMPRESSION}
        )
        return buffer.getvalue()

    def _month_bars(self, months: tuple[tuple[int, int, int], ...]) -> None:
        """This report's bars and their numbers, in place of the last report's."""
        if self.bars is not None:
            self.bars.remove()
        for label in self.labels:
            label.remove()
        names = get_month_names("abbreviated", locale=self.locale)
        x = list(range(len(months)))
        counts = [n for _y, _m, n in months]
        self.bars = self.months.bar(x, counts, color=ACCENT, width=0.75)
        numbers = [str(n) if n else "" for n in counts]
        self.labels = self.months.bar_label(self.bars, labels=numbers, fontsize=9)
        ticks = [
            f"{str(names[m]).rstrip('.')}\n{y}" if i == 0 or m == 1 else str(names[m]).rstrip(".")
            for i, (y, m, _n) in enumerate(months)
        ]
        self.months.set_xticks(x, ticks, fontsize=9)
        self.months.set_xlim(-0.6, max(len(months), 1) - 0.4)
        self.months.set_ylim(0, max(counts, default=0) * 1.15 + 1)


_charts = threading.local()  # .by_language: {language: _Chart}, one set per thread


def render_patterns(report: PatternReport, group_name: str, language: str) -> bytes:
    charts: dict[str, _Chart] = getattr(_charts, "by_language", None) or {}
    _charts.by_language = charts
    chart = charts.get(language)
    if chart is None:
        chart = charts[language] = _Chart(language)
    return chart.draw(report, group_name)
