"""Map tiles from the tile server ``EST_MAP_TILES`` names (a `{z}/{x}/{y}` URL template),
cached on disk, fetched with a polite user agent and a timeout. When the server cannot be
reached the map is drawn without tiles (a schematic); the caller is told which it got.

app.py reads the setting and calls ``configure`` once; the map renderer asks ``configured()``.
"""

from __future__ import annotations

import hashlib
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

log = logging.getLogger(__name__)
USER_AGENT = "EST-bot/1.0 (kartbilder for EST-grupper; python-urllib)"
MAX_TILES = 48  # a map of a municipality needs 6–20


@dataclass(frozen=True)
class TileServer:
    template: str  # https://tile.example.org/{z}/{x}/{y}.png
    cache: Path  # the data directory's tile cache
    timeout: float = 5.0  # seconds per tile; a slower server is treated as unreachable

    @property
    def attribution(self) -> str:
        host = urlsplit(self.template).hostname or ""
        if "openstreetmap" in host:
            return "Kartdata © OpenStreetMap-bidragsgivare"
        return f"Kartplattor: {host}"

    def url(self, z: int, x: int, y: int) -> str:
        return self.template.format(z=z, x=x, y=y, s="a")


_server: TileServer | None = None


def configure(server: TileServer | None) -> None:
    global _server  # set once, by the composition root
    _server = server


def configured() -> TileServer | None:
    return _server


class Unreachable(Exception):
    """A tile could not be fetched: the map is drawn without tiles."""


def fetch(server: TileServer, z: int, x: int, y: int) -> Image.Image:
    """One tile, from the cache or the server (then cached)."""
    n = 2**z
    x %= n
    if not 0 <= y < n:
        return Image.new("RGB", (256, 256), "#dddddd")
    key = hashlib.sha256(server.template.encode()).hexdigest()[:16]
    path = server.cache / key / str(z) / str(x) / f"{y}.png"
    if path.is_file():
        return Image.open(path).convert("RGB")
    request = urllib.request.Request(server.url(z, x, y), headers={"User-Agent": USER_AGENT})  # noqa: S310 - the operator's URL
    try:
        with urllib.request.urlopen(request, timeout=server.timeout) as response:  # noqa: S310
            data = response.read(2_000_000)
        image = Image.open(BytesIO(data)).convert("RGB")
    except (OSError, urllib.error.URLError, ValueError) as error:
        raise Unreachable(f"{server.url(z, x, y)}: {error}") from error
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return image


def mosaic(server: TileServer, z: int, left: float, top: float, w: int, h: int) -> Image.Image:
    """The tiles under the world-pixel box (left, top, w, h) at zoom ``z``, cut to it."""
    x0, y0 = int(left // 256), int(top // 256)
    x1, y1 = int((left + w) // 256), int((top + h) // 256)
    if (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES:
        raise Unreachable("too many tiles")
    canvas = Image.new("RGB", ((x1 - x0 + 1) * 256, (y1 - y0 + 1) * 256))
    for tx in range(x0, x1 + 1):
        for ty in range(y0, y1 + 1):
            canvas.paste(fetch(server, z, tx, ty), ((tx - x0) * 256, (ty - y0) * 256))
    dx, dy = int(left - x0 * 256), int(top - y0 * 256)
    return canvas.crop((dx, dy, dx + w, dy + h))
