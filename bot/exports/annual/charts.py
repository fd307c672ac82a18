"""The annual lägesbild's charts, drawn with matplotlib's Agg backend as the weekly chart is
(``bot.summary.chart``): incidents per district against the year before, per month against
the year before, and the levels the meetings agreed, place by week. Each is a PNG for A4."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.summary.chart import ACCENT, GREY, INK, MUTED

DPI = 200
LEVEL_COLOURS = {"lugnt": "#9BD3B8", "oroligt": "#E69F00", "allvarligt": "#D55E00"}
NONE_COLOUR = "#EEEEEE"


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _plain(axes: Axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8, colors=INK)


def compared_bars(
    names: Sequence[str], this: Sequence[int], previous: Sequence[int], labels: tuple[str, str]
) -> bytes:
    """Horizontal bars, the year before pale above this year's dark, the largest on top."""
    figure, axes = _figure(7.0, 0.32 * len(names) + 0.7)
    y = list(range(len(names)))[::-1]
    height = 0.38
    old = axes.barh([v + height / 2 for v in y], previous, height, color=MUTED, label=labels[0])
    new = axes.barh([v - height / 2 for v in y], this, height, color=ACCENT, label=labels[1])
    axes.bar_label(old, fontsize=7, padding=2, color=GREY)
    axes.bar_label(new, fontsize=7, padding=2, color=INK)
    axes.set_yticks(y, list(names), fontsize=8)
    axes.set_xlim(0, max([*this, *previous, 1]) * 1.12)
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    axes.grid(axis="x", alpha=0.3)
    _plain(axes)
    return _png(figure)


def months_chart(
    months: Sequence[str],
    this: Sequence[int],
    previous: Sequence[int],
    labels: tuple[str, str],
    shown: int,
) -> bytes:
    """Incidents per month: the year before as a pale line, this year as dark bars up to the
    month the file was made (``shown`` months)."""
    figure, axes = _figure(7.0, 2.6)
    x = list(range(12))
    axes.plot(x, previous, color=GREY, marker="o", markersize=3, linewidth=1.2, label=labels[0])
    bars = axes.bar(x[:shown], this[:shown], color=ACCENT, width=0.6, label=labels[1])
    axes.bar_label(bars, labels=[str(n) if n else "" for n in this[:shown]], fontsize=7)
    axes.set_xticks(x, list(months), fontsize=8)
    axes.set_ylim(0, max([*this, *previous, 1]) * 1.2)
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    axes.grid(axis="y", alpha=0.3)
    _plain(axes)
    return _png(figure)


def levels_chart(
    places: Sequence[str],
    weeks: Sequence[int],
    grid: Sequence[Sequence[str]],
    legend: dict[str, str],
) -> bytes:
    """A square per place and week, coloured by the level the meeting agreed; grey where none."""
    order = ["", *LEVEL_COLOURS]
    colours = ListedColormap([NONE_COLOUR, *LEVEL_COLOURS.values()])
    values = [[order.index(level) for level in row] for row in grid]
    # a square's width stays the same however few weeks there are: few weeks, a narrow chart
    figure, axes = _figure(min(7.0, 3.6 + 0.3 * len(weeks)), 0.28 * len(places) + 0.9)
    axes.imshow(values, cmap=colours, vmin=0, vmax=len(order) - 1, aspect="auto")
    axes.set_yticks(range(len(places)), list(places), fontsize=7)
    step = max(1, -(-len(weeks) // 13))  # at most 13 week numbers under the squares
    axes.set_xticks(range(0, len(weeks), step), [str(w) for w in weeks[::step]], fontsize=7)
    axes.set_xticks([i - 0.5 for i in range(len(weeks) + 1)], minor=True)
    axes.set_yticks([i - 0.5 for i in range(len(places) + 1)], minor=True)
    axes.grid(which="minor", color="white", linewidth=1)
    axes.tick_params(which="minor", length=0)
    axes.set_xlabel(legend["week"], fontsize=8)
    handles = [Patch(color=c, label=legend[lv]) for lv, c in LEVEL_COLOURS.items()]
    handles.append(Patch(color=NONE_COLOUR, label=legend[""]))
    axes.legend(
        handles=handles,
        fontsize=7,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),  # beside the squares: it never runs off a narrow chart
    )
    for side in axes.spines.values():
        side.set_visible(False)
    return _png(figure)
