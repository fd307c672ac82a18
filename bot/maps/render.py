"""The map as a PNG (matplotlib's Agg, a Figure per call): each place a circle whose area grows
with its incidents, coloured by its joint level, labelled with its name and count, and the
districts named at the middle of their places. On tiles when a tile server is configured and
answers; else a schematic drawn from the coordinates alone (said on the image)."""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from bot.i18n import N_, Translator
from bot.maps.geo import fit_zoom, world_pixel
from bot.maps.tiles import TileServer, Unreachable, configured, mosaic

log = logging.getLogger(__name__)
SIZE, DPI = 7.2, 150  # 1080 × 1080 pixels
MAP_W, MAP_H, PAD = 1080, 940, 90  # the map under a header band; points kept PAD from the edge
LEVEL_COLOURS = {"lugnt": "#009E73", "oroligt": "#E69F00", "allvarligt": "#C0392B"}
NO_LEVEL = "#8A8A8A"
LEVEL_NAMES = {
    "lugnt": N_("calm"),
    "oroligt": N_("worrying"),
    "allvarligt": N_("serious"),
    None: N_("no level"),
}
XY = tuple[float, float]
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


@dataclass(frozen=True)
class MapPoint:
    name: str
    district: str
    lat: float
    lon: float
    incidents: int
    level: str | None


@dataclass(frozen=True)
class MapImage:
    png: bytes
    tiled: bool  # drawn on the tile server's tiles (False: the schematic)


def render_map(
    points: Sequence[MapPoint],
    tr: Translator,
    *,
    title: str,
    subtitle: str,
    server: TileServer | None = None,
) -> MapImage:
    """The map of ``points`` (at least one); ``server``: the configured one by default."""
    server = server or configured()
    zoom = min(15, fit_zoom([(p.lat, p.lon) for p in points], MAP_W - 2 * PAD, MAP_H - 2 * PAD))
    xy = [world_pixel(p.lat, p.lon, zoom) for p in points]
    cx = (min(x for x, _ in xy) + max(x for x, _ in xy)) / 2
    cy = (min(y for _, y in xy) + max(y for _, y in xy)) / 2
    left, top = cx - MAP_W / 2, cy - MAP_H / 2
    tiles = None
    if server is not None:
        try:
            tiles = mosaic(server, zoom, left, top, MAP_W, MAP_H)
        except Unreachable as error:
            log.warning("map tiles unreachable, drawing the schematic: %s", error)
    figure = Figure(figsize=(SIZE, SIZE), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, MAP_H / 1080))
    axes.set_xlim(0, MAP_W)
    axes.set_ylim(MAP_H, 0)
    axes.set_axis_off()
    if tiles is not None:
        axes.imshow(tiles, extent=(0, MAP_W, MAP_H, 0), interpolation="bilinear")
    else:
        axes.add_patch(_background())
    local = [(x - left, y - top) for x, y in xy]
    taken = _districts(axes, points, local)
    _circles(axes, points, local)
    _labels(axes, points, local, taken)
    _header(figure, tr, title, subtitle)
    _legend(axes, tr, points)
    _footer(axes, tr, server.attribution if tiles is not None and server else None)
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return MapImage(buffer.getvalue(), tiles is not None)


def _background() -> Rectangle:
    return Rectangle((0, 0), MAP_W, MAP_H, facecolor="#F3F0E8", edgecolor="none", zorder=0)


def radius(incidents: int) -> float:
    """The circle's radius in points: its area grows with the incidents (0 → a small ring)."""
    return 4.0 + 2.4 * math.sqrt(min(incidents, 60))


def _circles(axes: Axes, points: Sequence[MapPoint], local: Sequence[XY]) -> None:
    order = sorted(range(len(points)), key=lambda i: -points[i].incidents)  # big ones below
    for i in order:
        p, (x, y) = points[i], local[i]
        colour = LEVEL_COLOURS.get(p.level or "", NO_LEVEL)
        axes.scatter(
            [x],
            [y],
            s=(2 * radius(p.incidents)) ** 2,
            c=colour if p.incidents else "white",
            edgecolors=colour if not p.incidents else "white",
            linewidths=2,
            alpha=0.85,
            zorder=3,
        )


def _labels(axes: Axes, points: Sequence[MapPoint], local: Sequence[XY], taken: list[Box]) -> None:
    """Name and count beside each circle, most incidents first: the nearest free spot around
    it (eight directions, three distances; a thin line leads to a label set apart), and no
    label when none is free — the circle still shows."""
    order = sorted(range(len(points)), key=lambda i: (-points[i].incidents, points[i].name))
    for i in order:
        p, (x, y) = points[i], local[i]
        text = f"{p.name} ({p.incidents})"
        w, h = 7.4 * len(text) + 4, 20.0
        r = radius(p.incidents) * DPI / 72
        spot = _free_spot(x, y, r, w, h, taken, near_only=not p.incidents)
        if spot is None:
            continue
        box, (lx, ly), ha = spot
        taken.append(box)
        if abs(lx - x) > r + 8 or abs(ly - y) > r + 8:
            axes.plot([x, lx], [y, ly], color="#444444", linewidth=0.7, zorder=4)
        axes.text(
            lx,
            ly,
            text,
            ha=ha,
            va="center",
            fontsize=8.5,
            color="#1A1A1A",
            path_effects=HALO,
            zorder=5,
        )


Box = tuple[float, float, float, float]
_DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (0.7, -0.7), (-0.7, -0.7), (0.7, 0.7), (-0.7, 0.7))


def _free_spot(
    x: float, y: float, r: float, w: float, h: float, taken: list[Box], *, near_only: bool
) -> tuple[Box, tuple[float, float], str] | None:
    """A place without incidents is labelled only right beside its ring (no leader line across
    the busy places)."""
    for extra in (4.0,) if near_only else (4.0, 30.0, 60.0):
        for ux, uy in _DIRECTIONS:
            lx, ly = x + ux * (r + extra), y + uy * (r + extra + (h / 2 if ux == 0 else 0))
            ha = "left" if ux > 0 else "right" if ux < 0 else "center"
            x0 = lx - (w if ha == "right" else w / 2 if ha == "center" else 0)
            box = (x0, ly - h / 2, x0 + w, ly + h / 2)
            inside = box[0] >= 0 and box[2] <= MAP_W and box[1] >= 0 and box[3] <= MAP_H
            if inside and not any(_overlap(box, t) for t in taken):
                return box, (lx, ly), ha
    return None


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _districts(axes: Axes, points: Sequence[MapPoint], local: Sequence[XY]) -> list[Box]:
    """Each district's name above its places; returns the boxes the names and circles cover,
    for the place labels to keep clear of."""
    spots: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for p, xy in zip(points, local, strict=True):
        spots[p.district].append(xy)
    taken: list[Box] = []
    for p, (x, y) in zip(points, local, strict=True):
        r = radius(p.incidents) * DPI / 72
        taken.append((x - r, y - r, x + r, y + r))
    for district, xys in spots.items():
        x = sum(a for a, _ in xys) / len(xys)
        y = max(min(b for _, b in xys) - 60, 24)
        w = 10.5 * len(district) + 8
        taken.append((x - w / 2, y - 13, x + w / 2, y + 13))
        axes.text(
            x,
            y,
            district.upper(),
            ha="center",
            va="center",
            fontsize=11,
            color="#3B4A6B",
            alpha=0.85,
            fontweight="bold",
            path_effects=HALO,
            zorder=6,
        )
    return taken


def _header(figure: Figure, tr: Translator, title: str, subtitle: str) -> None:
    figure.text(0.03, 0.975, title, fontsize=14, fontweight="bold", va="top", color="#222222")
    figure.text(0.03, 0.935, subtitle, fontsize=9.5, va="top", color="#555555")


def _legend(axes: Axes, tr: Translator, points: Sequence[MapPoint]) -> None:
    levels = [
        lv for lv in ("allvarligt", "oroligt", "lugnt", None) if any(p.level == lv for p in points)
    ]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=9,
            markerfacecolor=LEVEL_COLOURS.get(lv or "", NO_LEVEL),
            markeredgecolor="white",
            label=tr.render(LEVEL_NAMES[lv]),
        )
        for lv in levels
    ]
    legend = axes.legend(
        handles=handles,
        loc="lower left",
        fontsize=8.5,
        framealpha=0.85,
        title=tr.gettext("Joint level · circle: incidents"),
        title_fontsize=8.5,
    )
    legend.set_zorder(7)


def _footer(axes: Axes, tr: Translator, attribution: str | None) -> None:
    text = attribution or tr.gettext("Schematic map from the places' coordinates (no map tiles)")
    axes.text(
        MAP_W - 8,
        MAP_H - 8,
        text,
        ha="right",
        va="bottom",
        fontsize=7.5,
        color="#333333",
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 2},
        zorder=6,
    )
