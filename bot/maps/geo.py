"""Coordinates: WGS84 in the register, Web Mercator on the map (the tile servers' projection)."""

from __future__ import annotations

import math
import re

from bot.errors import InvalidInput
from bot.i18n import N_

# Sweden with a margin: Smygehuk 55.34 N, Treriksröset 69.06 N; 10.96 E (Koster) to 24.17 E
SWEDEN = (55.3, 69.1, 10.9, 24.2)  # south, north, west, east: a box, so Copenhagen passes
_PAIR = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")
TILE = 256


def parse_coordinates(text: str) -> tuple[float, float]:
    """`59.2475, 17.8610` (or `59,2475 17,8610`, as Swedes write decimals): latitude first.
    Refused outside Sweden, saying what was understood."""
    match = _PAIR.match(text.replace(", ", ";") if text.count(",") == 3 else text)
    if match is None:
        raise InvalidInput(
            N_(
                "Write the coordinates as latitude, longitude in decimal degrees (WGS84), e.g. "
                "“59.2475, 17.8610” — “{text}” is not that.",
                text=text.strip(),
            ),
            field="coordinates",
        )
    lat, lon = (float(g.replace(",", ".")) for g in match.groups())
    check_in_sweden(lat, lon)
    return round(lat, 6), round(lon, 6)


def check_in_sweden(lat: float, lon: float) -> None:
    south, north, west, east = SWEDEN
    if south <= lat <= north and west <= lon <= east:
        return
    swapped = south <= lon <= north and west <= lat <= east
    raise InvalidInput(
        N_(
            "{lat}, {lon} is not in Sweden (latitude {south}–{north}, longitude {west}–{east})."
            "{hint}",
            lat=f"{lat:.4f}",
            lon=f"{lon:.4f}",
            south=south,
            north=north,
            west=west,
            east=east,
            hint=N_(" Latitude and longitude swapped? Latitude comes first.") if swapped else "",
        ),
        field="coordinates",
    )


def world_pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator: the point's pixel on the whole world's map at ``zoom`` (tiles of 256)."""
    scale = TILE * 2**zoom
    x = (lon + 180.0) / 360.0 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def fit_zoom(points: list[tuple[float, float]], width: int, height: int, *, most: int = 16) -> int:
    """The closest zoom at which every point fits in ``width`` × ``height`` pixels."""
    for zoom in range(most, 1, -1):
        xy = [world_pixel(lat, lon, zoom) for lat, lon in points]
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        if max(xs) - min(xs) <= width and max(ys) - min(ys) <= height:
            return zoom
    return 2
