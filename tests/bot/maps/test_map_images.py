"""Map images: drawn on tiles from a real local tile server (generated PNG tiles over HTTP),
cached on disk, and drawn as a schematic when the server is unreachable or too slow."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from bot.demo.workspace import COORDINATES, PLACES
from bot.i18n import translator
from bot.maps.geo import world_pixel
from bot.maps.render import MAP_H, MAP_W, MapPoint, render_map
from bot.maps.tiles import USER_AGENT, TileServer

TILE_COLOUR = (181, 208, 230)  # what the test server's tiles are filled with
SCHEMATIC = (0xF3, 0xF0, 0xE8)
SV = translator("sv")


class Tiles(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, str]]] = []
    delay: ClassVar[float] = 0.0

    def do_GET(self) -> None:
        type(self).requests.append((self.path, self.headers.get("User-Agent", "")))
        time.sleep(type(self).delay)
        image = Image.new("RGB", (256, 256), TILE_COLOUR)
        buffer = BytesIO()
        image.save(buffer, "PNG")
        body = buffer.getvalue()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Quiet(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the slow test's client hangs up on purpose


@pytest.fixture
def tile_server() -> Iterator[str]:
    Tiles.requests, Tiles.delay = [], 0.0
    server = Quiet(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    server.shutdown()
    server.server_close()


def demo_points() -> list[MapPoint]:
    levels = ("allvarligt", "oroligt", "lugnt", None)
    return [
        MapPoint(name, district, *COORDINATES[name], i % 7, levels[i % 4])
        for i, (district, name, _kind, _aliases) in enumerate(PLACES)
    ]


def share(png: bytes, colour: tuple[int, int, int]) -> float:
    """The share of the map area (below the header band) in exactly ``colour``."""
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size == (1080, 1080)
    area = image.crop((0, 1080 - MAP_H, MAP_W, 1080))
    colours = area.getcolors(maxcolors=1 << 20) or []
    return sum(n for n, c in colours if c == colour) / (area.width * area.height)


def test_on_tiles_from_the_server_with_its_attribution_and_a_polite_user_agent(
    tile_server, tmp_path
):
    server = TileServer(tile_server, tmp_path / "tiles")
    drawn = render_map(
        demo_points(), SV, title="EST Botkyrka — vecka 49", subtitle="x", server=server
    )
    assert drawn.tiled
    assert share(drawn.png, TILE_COLOUR) > 0.5  # mostly tiles, under the circles and labels
    assert share(drawn.png, SCHEMATIC) == 0
    asked = len(Tiles.requests)
    assert 4 <= asked <= 48
    assert {agent for _path, agent in Tiles.requests} == {USER_AGENT}
    zooms = {path.split("/")[1] for path, _agent in Tiles.requests}
    assert len(zooms) == 1  # one zoom for the whole map
    assert server.attribution == "Kartplattor: 127.0.0.1"
    cached = list((tmp_path / "tiles").rglob("*.png"))
    assert len(cached) == asked
    again = render_map(demo_points(), SV, title="t", subtitle="s", server=server)
    assert again.tiled and len(Tiles.requests) == asked  # the second map from the disk cache


def test_the_zoom_keeps_every_place_on_the_map(tile_server, tmp_path):
    server = TileServer(tile_server, tmp_path / "tiles")
    render_map(demo_points(), SV, title="t", subtitle="s", server=server)
    z = int(Tiles.requests[0][0].split("/")[1])
    xs, ys = zip(*(world_pixel(lat, lon, z) for lat, lon in COORDINATES.values()), strict=True)
    # Botkyrka's places (Fittja in the north to Lida in the south, about 7 km) fit at this zoom
    # but would not at the next
    assert max(xs) - min(xs) <= MAP_W and max(ys) - min(ys) <= MAP_H
    xs2, ys2 = zip(
        *(world_pixel(lat, lon, z + 1) for lat, lon in COORDINATES.values()), strict=True
    )
    assert max(xs2) - min(xs2) > MAP_W - 180 or max(ys2) - min(ys2) > MAP_H - 180


def test_an_unreachable_server_gives_the_schematic(tmp_path):
    server = TileServer("http://127.0.0.1:9/{z}/{x}/{y}.png", tmp_path / "tiles", timeout=1.0)
    drawn = render_map(demo_points(), SV, title="t", subtitle="s", server=server)
    assert not drawn.tiled
    assert share(drawn.png, SCHEMATIC) > 0.5
    assert not list((tmp_path / "tiles").rglob("*.png"))


def test_a_server_slower_than_the_timeout_gives_the_schematic(tile_server, tmp_path):
    Tiles.delay = 1.5
    server = TileServer(tile_server, tmp_path / "tiles", timeout=0.5)
    started = time.monotonic()
    drawn = render_map(demo_points(), SV, title="t", subtitle="s", server=server)
    assert not drawn.tiled
    assert time.monotonic() - started < 10  # gave up at the first slow tile


def test_without_a_server_the_schematic_is_drawn(monkeypatch):
    monkeypatch.setattr("bot.maps.render.configured", lambda: None)
    drawn = render_map(demo_points()[:1], SV, title="t", subtitle="s")
    assert not drawn.tiled and drawn.png.startswith(b"\x89PNG")


def test_the_demo_coordinates_are_where_the_places_are(demo, anna):
    # a few landmarks, read from a map: Fittja centrum ≈ 59.2475 N 17.8610 E, Tumba station
    # ≈ 59.1997 N 17.8360 E, Hallunda centrum ≈ 59.2435 N 17.8256 E. Read from the place
    # register the demo loaded, so a loader that drops or swaps coordinates fails here.
    at = {p.name: (p.latitude, p.longitude) for p in demo.places.register(anna)}
    assert set(at) == {name for _d, name, _k, _a in PLACES}
    lat, lon = at["Fittja centrum"]
    assert lat is not None and lon is not None
    assert abs(lat - 59.2475) < 0.002 and abs(lon - 17.8610) < 0.004
    for name, (north, east) in {
        "Tumba station": (59.1997, 17.8360),
        "Hallunda centrum": (59.2435, 17.8256),
    }.items():
        lat, lon = at[name]
        assert lat is not None and lon is not None
        assert abs(lat - north) < 0.002 and abs(lon - east) < 0.004, name


def test_writes_a_look_at_copy(tile_server, tmp_path):
    """The two kinds of map, saved for a person to look at (tmp_path)."""
    server = TileServer(tile_server, tmp_path / "tiles")
    for name, used in (("tiles.png", server), ("schematic.png", None)):
        drawn = render_map(
            demo_points(),
            SV,
            title="EST Botkyrka — vecka 49",
            subtitle="57 händelser, 2026-11-30–2026-12-06",
            server=used,
        )
        Path(tmp_path / name).write_bytes(drawn.png)
        assert Image.open(tmp_path / name).size == (1080, 1080)
