"""The pattern chart: a PNG drawn with matplotlib's Agg backend, for a phone and a printout.

Above, a heat map of the incidents per weekday (rows, Monday first) × hour of day (columns);
below, the incidents per month as bars. The title names the place and the period, the subtitle
says the hot times in words. No pyplot: a Figure of its own per call.
"""

from __future__ import annotations

from io import BytesIO

from babel.dates import get_day_names, get_month_names
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.analysis.patterns import hot_times
from bot.analysis.timing import PatternReport
from bot.i18n import translator

WIDTH, HEIGHT, DPI = 7.2, 8.4, 150  # 1080 × 1260 pixels
ACCENT = "#0072B2"


def render_patterns(report: PatternReport, group_name: str, language: str) -> bytes:
    tr = translator(language)
    locale = "en_GB" if tr.language == "en" else "sv_SE"
    pattern = report.pattern
    # fixed axes, not a layout engine: a constrained layout draws the figure twice (it was the
    # larger half of the chart's time, bench/analysis_bench.py)
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    where = report.target or group_name
    figure.suptitle(
        tr.gettext(
            "Incidents at {place}, {first} – {last} ({n})",
            place=where,
            first=report.first_day,
            last=report.last_day,
            n=pattern.total,
        ),
        fontsize=14,
        fontweight="bold",
        y=0.985,
    )
    heat = figure.add_axes((0.085, 0.535, 0.80, 0.385))
    scale = figure.add_axes((0.90, 0.535, 0.022, 0.385))
    months = figure.add_axes((0.085, 0.075, 0.89, 0.35))
    days = get_day_names("abbreviated", locale=locale)
    image = heat.imshow(pattern.grid, aspect="auto", cmap="YlOrRd", interpolation="nearest")
    heat.set_yticks(range(7), [str(days[i]) for i in range(7)], fontsize=11)
    heat.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)], fontsize=10)
    heat.set_xlabel(tr.gettext("hour of day"), fontsize=11)
    heat.set_title(
        hot_times(pattern, tr.language).sentence(tr), fontsize=12, loc="left", color=ACCENT
    )
    bar = figure.colorbar(image, cax=scale)
    bar.ax.tick_params(labelsize=9)
    bar.ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    names = get_month_names("abbreviated", locale=locale)
    x = list(range(len(pattern.months)))
    counts = [n for _y, _m, n in pattern.months]
    bars = months.bar(x, counts, color=ACCENT, width=0.75)
    months.bar_label(bars, labels=[str(n) if n else "" for n in counts], fontsize=9)
    labels = [
        f"{str(names[m]).rstrip('.')}\n{y}" if i == 0 or m == 1 else str(names[m]).rstrip(".")
        for i, (y, m, _n) in enumerate(pattern.months)
    ]
    months.set_xticks(x, labels, fontsize=9)
    months.set_title(tr.gettext("Incidents per month"), fontsize=12, loc="left")
    months.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    months.set_ylim(0, max(counts, default=0) * 1.15 + 1)
    months.spines[["top", "right"]].set_visible(False)
    months.grid(axis="y", alpha=0.3)
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
