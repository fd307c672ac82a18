"""The summary's chart: a PNG drawn with matplotlib's Agg backend, for a phone and for A4.

864 × 1222 pixels (120 dpi): sharp at a phone's width, and the proportions of an A4 page, so
the same file reads in Slack and printed as a meeting handout. A header names the group, the
week with its dates, the weeks drawn and the day the chart was produced; below it, one above
the other (a phone is held upright), a panel per place with the most incidents over twelve
weeks — its incidents per ISO week, the summary's week dark, the 4-week average dashed — and
the category mix of those weeks as stacked bars, where the EST key categories are never folded
into "övriga". What is drawn is worked out in ``chartdata`` (tested as data); this module only
draws it. No pyplot: each thread keeps its own Figures (one per shape), so charts can be drawn
from several threads, and each chart only sets its bars' heights and its words again.
"""

from __future__ import annotations

import threading
from datetime import date
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure, SubFigure
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator

from bot.summary.chartdata import ChartData, chart_data
from bot.summary.service import Summary

WIDTH, HEIGHT, DPI = 7.2, 7.2 * 2**0.5, 120  # 864 × 1222 pixels: a phone's width, A4's shape
INK, GREY = "#222222", "#555555"
# distinguishable, also for the colour-blind (Okabe–Ito first), darkest first
ACCENT, MUTED = "#0072B2", "#A6C8E0"  # the summary's week, and the weeks before
COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#882255",
    "#44AA99",
    "#332288",
)
REST = "#BBBBBB"


def render_chart(summary: Summary, language: str, *, group_name: str, produced: date) -> bytes:
    return draw(chart_data(summary, language, group_name=group_name, produced=produced))


# fixed margins (fractions of the body below the header), not matplotlib's constrained layout:
# that lays the figure out by drawing it once more, a third of each chart's time
# (bench/RESULTS.md). The bottom holds the key: at most four rows of two (chartdata folds the
# rest into "övriga").
MARGINS = {"left": 0.08, "right": 0.98, "top": 0.97, "bottom": 0.17, "hspace": 0.55}
PNG_COMPRESSION = 3  # zlib level: the default 6 costs more than it saves (as for the pattern chart)


class _Chart:
    """One Figure for a number of panels and of weeks, drawn again for every summary.

    Building the axes and the bars (each tick and bar is artists of its own, and every bar added
    recomputes its axes' limits) took as long as drawing them, so a thread keeps one per shape
    and each chart only sets its bars' heights and its words. Never used by two threads at once.
    """

    def __init__(self, panels: int, weeks: int) -> None:
        self.figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
        FigureCanvasAgg(self.figure)
        head, body = _two(self.figure.subfigures(2, 1, height_ratios=[1.0, 8.6]))
        self.heading = head.text(
            0.01, 0.86, "", fontsize=19, fontweight="bold", va="top", color=INK
        )
        self.period = head.text(0.01, 0.46, "", fontsize=13, va="top", color=INK)
        self.span = head.text(0.01, 0.16, "", fontsize=10, va="top", color=GREY)
        ratios = [1.0] * panels + [max(3.0, panels)]
        grid = body.add_gridspec(panels + 1, 1, height_ratios=ratios, **MARGINS)
        self.x = list(range(weeks))
        self.panels = [_Panel(body.add_subplot(grid[row]), self.x) for row in range(panels)]
        self.categories = body.add_subplot(grid[-1])
        _style(self.categories, self.x)
        self.stacks: list[BarContainer] = []  # grown to the most stacks drawn yet
        self.totals = [_number(self.categories, i) for i in self.x]

    def draw(self, data: ChartData) -> bytes:
        self.heading.set_text(data.heading)
        self.period.set_text(data.period)
        self.span.set_text(f"{data.span} · {data.produced}")
        top = max((max(p.series) for p in data.panels), default=1)
        for drawn, panel, avg in zip(self.panels, data.panels, data.averages, strict=True):
            drawn.set(panel.title, panel.series, avg, max(top, 1) * 1.35)
        self._categories(data)
        buffer = BytesIO()
        self.figure.savefig(
            buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": PNG_COMPRESSION}
        )
        return buffer.getvalue()

    def _categories(self, data: ChartData) -> None:
        axes, base = self.categories, [0] * len(self.x)
        while len(self.stacks) < len(data.stacks):
            self.stacks.append(axes.bar(self.x, base, width=0.75))
        colours = iter(COLOURS * 2)
        for bars, stack in zip(self.stacks, data.stacks, strict=False):
            colour = REST if stack.rest else next(colours)
            for bar, bottom, n in zip(bars, base, stack.series, strict=True):
                bar.set(y=bottom, height=n, facecolor=colour, visible=True)
            base = [b + n for b, n in zip(base, stack.series, strict=True)]
        for bars in self.stacks[len(data.stacks) :]:
            for bar in bars:
                bar.set_visible(False)
        for i, (label, total) in enumerate(zip(self.totals, base, strict=True)):
            label.set_text(str(total) if total else "")  # the week's total above its stack
            label.xy = (i, total)
        axes.set_ylim(0, max(base, default=0) * 1.15 + 1)
        axes.set_title(data.categories_title, fontsize=12, loc="left", fontweight="bold", color=INK)
        legend = axes.legend(  # in place of the last chart's
            handles=self.stacks[: len(data.stacks)],
            labels=[stack.label for stack in data.stacks],
            fontsize=10,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncols=2,
            frameon=False,
            title=data.key_note if any(s.key for s in data.stacks) else None,
            title_fontsize=9,
        )
        for text, stack in zip(legend.get_texts(), data.stacks, strict=True):
            if stack.key:
                text.set_fontweight("bold")  # an EST key category
        axes.set_xticks(self.x, data.weeks, fontsize=10)
        axes.set_xlabel(data.week_axis, fontsize=10)


class _Panel:
    """A place's incidents per week: the bars, their numbers, the 4-week average's line."""

    def __init__(self, axes: Axes, x: list[int]) -> None:
        self.axes = axes
        colours = [MUTED] * (len(x) - 1) + [ACCENT]  # the summary's week dark
        self.bars = axes.bar(x, [0] * len(x), color=colours, width=0.75)
        self.numbers = [_number(axes, i) for i in x]
        self.average = axes.axhline(0, color=ACCENT, linestyle="--", linewidth=1.3)
        _style(axes, x)
        axes.set_xticks(x, [""] * len(x))
        axes.tick_params(axis="x", bottom=False)  # the weeks are named below the last panel only

    def set(self, title: str, series: list[int], average: float, top: float) -> None:
        for i, (bar, number, n) in enumerate(zip(self.bars, self.numbers, series, strict=True)):
            bar.set_height(n)
            number.set_text(str(n) if n else "")
            number.xy = (i, n)
        self.average.set_ydata([average, average])
        self.axes.set_title(title, fontsize=11, loc="left", color=INK)
        self.axes.set_ylim(0, top)


def _number(axes: Axes, i: int) -> Annotation:
    """A number just above a bar (as ``bar_label`` puts it), its text and height set per chart."""
    return axes.annotate(
        "", (i, 0), xytext=(0, 1), textcoords="offset points", ha="center", va="bottom", fontsize=10
    )


_charts = threading.local()  # .by_shape: {(panels, weeks): _Chart}, one set per thread


def draw(data: ChartData) -> bytes:
    charts: dict[tuple[int, int], _Chart] = getattr(_charts, "by_shape", None) or {}
    _charts.by_shape = charts
    shape = (len(data.panels), len(data.weeks))
    chart = charts.get(shape)
    if chart is None:
        chart = charts[shape] = _Chart(*shape)
    return chart.draw(data)


def _two(parts: object) -> tuple[SubFigure, SubFigure]:
    """``subfigures(2, 1)``'s two, typed (matplotlib types it as one or an array)."""
    head, body = list(parts)  # type: ignore[call-overload]
    assert isinstance(head, SubFigure) and isinstance(body, SubFigure)
    return head, body


def _style(axes: Axes, x: list[int]) -> None:
    axes.set_xlim(-0.6, len(x) - 0.4)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.tick_params(axis="y", labelsize=9)
    axes.tick_params(axis="x", labelsize=10)
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
