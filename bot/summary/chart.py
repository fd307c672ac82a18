"""The summary's chart: a PNG drawn with matplotlib's Agg backend, sized for a phone screen.

Panels one above the other (a phone is held upright): for each of the places with the most
incidents over twelve weeks, its incidents per ISO week (the summary's week dark, the 4-week
average dashed) — small panels read better on a phone than five crossing lines — and below
them the category mix of those weeks as stacked bars. Labels
are in the group's language; weeks are written "v. 47". No pyplot: a Figure of its own per call,
so charts can be drawn from several threads.
"""

from __future__ import annotations

from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.i18n import translator
from bot.summary.results import decimal_text
from bot.summary.service import Summary

WIDTH, DPI = 7.2, 150  # 1080 pixels wide; as tall as the places need
TOP_CATEGORIES = 6
# distinguishable, also for the colour-blind (Okabe–Ito), darkest first
ACCENT, MUTED = "#0072B2", "#A6C8E0"  # the summary's week, and the weeks before
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999999")


def render_chart(summary: Summary, language: str) -> bytes:
    tr = translator(language)
    x = list(range(len(summary.weeks)))
    weeks = [str(w) for _y, w in summary.weeks]
    places = summary.chart_places
    figure = Figure(figsize=(WIDTH, 2.0 + 1.25 * len(places) + 4.6), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(len(places) + 1, 1, height_ratios=[1.0] * len(places) + [3.4])
    figure.suptitle(
        tr.gettext("Incidents per week, w. {first}–{last}", first=weeks[0], last=weeks[-1]),
        fontsize=18,
        fontweight="bold",
    )
    top = max((max(p.series) for p in places), default=1)
    for row, place in enumerate(places):
        axes = figure.add_subplot(grid[row])
        colours = [ACCENT if i == x[-1] else MUTED for i in x]
        bars = axes.bar(x, place.series, color=colours, width=0.75)
        axes.bar_label(bars, labels=[str(n) if n else "" for n in place.series], fontsize=11)
        axes.axhline(place.average, color=ACCENT, linestyle="--", linewidth=1.5)
        axes.set_title(
            tr.gettext(
                "{place}: {count} in w. {week} (average {avg})",
                place=place.place,
                count=place.count,
                week=weeks[-1],
                avg=decimal_text(place.average, tr.language),
            ),
            fontsize=13,
            loc="left",
        )
        axes.set_ylim(0, top * 1.3)
        _style(axes, x, weeks, last=row == len(places) - 1)
    _categories(figure.add_subplot(grid[-1]), summary, tr.language, x, weeks)
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _categories(
    axes: Axes, summary: Summary, language: str, x: list[int], weeks: list[str]
) -> None:
    tr = translator(language)
    categories = [c for c in summary.categories if sum(c.series)]
    shown, rest = categories[:TOP_CATEGORIES], categories[TOP_CATEGORIES:]
    stacks = [((c.label_sv if tr.language == "sv" else c.label_en), c.series) for c in shown]
    if rest:
        stacks.append((tr.gettext("other categories"), [sum(c.series[i] for c in rest) for i in x]))
    base = [0] * len(x)
    for i, (label, series) in enumerate(stacks):
        axes.bar(x, series, bottom=base, color=COLOURS[i % len(COLOURS)], label=label, width=0.75)
        base = [b + s for b, s in zip(base, series, strict=True)]
    for i, total in enumerate(base):  # the week's total above its stack
        if total:
            axes.annotate(str(total), (i, total), ha="center", va="bottom", fontsize=11)
    axes.set_ylim(0, max(base, default=0) * 1.12 + 1)
    axes.set_title(tr.gettext("By category"), fontsize=14, loc="left", fontweight="bold")
    axes.legend(fontsize=12, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False)
    _style(axes, x, weeks, last=True)
    axes.set_xlabel(tr.gettext("ISO week"), fontsize=12)


def _style(axes: Axes, x: list[int], weeks: list[str], *, last: bool) -> None:
    axes.set_xticks(x, weeks if last else [""] * len(x), fontsize=12)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.tick_params(axis="y", labelsize=11)
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
