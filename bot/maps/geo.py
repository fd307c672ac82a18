"""Coordinates: WGS84 in the register, Web Mercator on the map (the tile servers' projection)."""

from __future__ import annotations

import math
import re
import threading
from functools import cache
from typing import TYPE_CHECKING

from bot.errors import InvalidInput
from bot.i18n import N_

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder

# Sweden's border is that of its only time zone: timezonefinder ships the polygons of
# timezone-boundary-builder (from OpenStreetMap's borders, © OpenStreetMap contributors, ODbL), with
# each country's territorial waters (12 nautical miles), so a quay, Gotland or Smögen is inside and
# Tornio across the Torne, Copenhagen across the Sound or the open Baltic is not. No other country
# keeps "Europe/Stockholm".
SWEDEN_ZONE = "Europe/Stockholm"
_FINDER_LOCK = threading.Lock()
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


@cache
def _finder() -> TimezoneFinder:
    """Loaded at the first coordinates a process checks (numpy and the index: under a second),
    not when the bot starts."""
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def in_sweden(lat: float, lon: float) -> bool:
    """On Swedish land or in Sweden's territorial waters."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return False
    with _FINDER_LOCK:  # one finder per process, shared by the web threads
        return _finder().timezone_at(lng=lon, lat=lat) == SWEDEN_ZONE


def check_in_sweden(lat: float, lon: float) -> None:
    if in_sweden(lat, lon):
        return
    raise InvalidInput(
        N_(
            "{lat}, {lon} is not in Sweden or its coastal waters (read as latitude {lat}, "
            "longitude {lon}).{hint}",
            lat=f"{lat:.4f}",
            lon=f"{lon:.4f}",
            hint=N_(" Latitude and longitude swapped? Latitude comes first.")
            if in_sweden(lon, lat)
            else "",
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
