"""The summary's chart: a PNG drawn with matplotlib's Agg backend, for a phone and for A4.

1080 × 1527 pixels: a phone's width, and the proportions of an A4 page, so the same file reads
in Slack and printed as a meeting handout. A header names the group, the week with its dates,
the weeks drawn and the day the chart was produced; below it, one above the other (a phone is
held upright), a panel per place with the most incidents over twelve weeks — its incidents per
ISO week, the summary's week dark, the 4-week average dashed — and the category mix of those
weeks as stacked bars, where the EST key categories are never folded into "övriga". What is
drawn is worked out in ``chartdata`` (tested as data); this module only draws it. No pyplot: a
Figure of its own per call, so charts can be drawn from several threads.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import MaxNLocator

from bot.summary.chartdata import ChartData, chart_data
from bot.summary.service import Summary

WIDTH, HEIGHT, DPI = 7.2, 7.2 * 2**0.5, 150  # 1080 × 1527 pixels: a phone's width, A4's shape
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


def draw(data: ChartData) -> bytes:
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    head, body = _two(figure.subfigures(2, 1, height_ratios=[1.0, 8.6]))
    _header(head, data)
    panels = len(data.panels)
    ratios = [1.0] * panels + [max(3.0, panels)]
    grid = body.add_gridspec(panels + 1, 1, height_ratios=ratios, **MARGINS)
    x = list(range(len(data.weeks)))
    top = max((max(p.series) for p in data.panels), default=1)
    for row, (panel, avg) in enumerate(zip(data.panels, data.averages, strict=True)):
        axes = body.add_subplot(grid[row])
        bars = axes.bar(x, panel.series, color=[MUTED] * x[-1] + [ACCENT], width=0.75)
        axes.bar_label(bars, labels=[str(n) if n else "" for n in panel.series], fontsize=10)
        axes.axhline(avg, color=ACCENT, linestyle="--", linewidth=1.3)
        axes.set_title(panel.title, fontsize=11, loc="left", color=INK)
        axes.set_ylim(0, max(top, 1) * 1.35)
        _style(axes, x, data.weeks, last=False)
    _categories(body.add_subplot(grid[-1]), data, x)
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _two(parts: object) -> tuple[SubFigure, SubFigure]:
    """``subfigures(2, 1)``'s two, typed (matplotlib types it as one or an array)."""
    head, body = list(parts)  # type: ignore[call-overload]
    assert isinstance(head, SubFigure) and isinstance(body, SubFigure)
    return head, body


def _header(head: SubFigure, data: ChartData) -> None:
    head.text(0.01, 0.86, data.heading, fontsize=19, fontweight="bold", va="top", color=INK)
    head.text(0.01, 0.46, data.period, fontsize=13, va="top", color=INK)
    head.text(0.01, 0.16, f"{data.span} · {data.produced}", fontsize=10, va="top", color=GREY)


def _categories(axes: Axes, data: ChartData, x: list[int]) -> None:
    base = [0] * len(x)
    colours = iter(COLOURS * 2)
    for stack in data.stacks:
        colour = REST if stack.rest else next(colours)
        axes.bar(x, stack.series, bottom=base, color=colour, label=stack.label, width=0.75)
        base = [b + s for b, s in zip(base, stack.series, strict=True)]
    for i, total in enumerate(base):  # the week's total above its stack
        if total:
            axes.annotate(str(total), (i, total), ha="center", va="bottom", fontsize=10)
    axes.set_ylim(0, max(base, default=0) * 1.15 + 1)
    axes.set_title(data.categories_title, fontsize=12, loc="left", fontweight="bold", color=INK)
    legend = axes.legend(
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
    _style(axes, x, data.weeks, last=True)
    axes.set_xlabel(data.week_axis, fontsize=10)


def _style(axes: Axes, x: list[int], weeks: list[str], *, last: bool) -> None:
    axes.set_xticks(x, weeks if last else [""] * len(x), fontsize=10)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.tick_params(axis="y", labelsize=9)
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
