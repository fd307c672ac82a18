"""The pattern chart's PNG, read back pixel by pixel: its size, the heat map's colours where
incidents are and are not, and a chart that comes out the same whatever was drawn before it
(one Figure per thread is reused)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from PIL import Image

from bot.analysis.chart import render_patterns
from bot.analysis.patterns import count_pattern, months_between
from bot.analysis.timing import PatternReport

STHLM = ZoneInfo("Europe/Stockholm")
MONTHS = months_between(datetime(2025, 12, 1).date(), datetime(2026, 11, 20).date())
# the heat map's axes, as the chart places them: (left, bottom, width, height) of the figure
LEFT, BOTTOM, AX_WIDTH, AX_HEIGHT = 0.085, 0.535, 0.80, 0.385


def _report(times: list[datetime], target: str = "Fittja centrum") -> PatternReport:
    pattern = count_pattern(times, STHLM, MONTHS)
    return PatternReport(target, "2025-12-01", "2026-11-20", "Europe/Stockholm", pattern)


def _pixel(image: Image.Image, x: int, y: int) -> tuple[int, ...]:
    pixel = image.getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel[:3]


def _cell(image: Image.Image, weekday: int, hour: int) -> tuple[int, ...]:
    """The colour at the middle of the heat map's cell (rows Monday first, columns hours)."""
    width, height = image.size
    x = (LEFT + AX_WIDTH * (hour + 0.5) / 24) * width
    y = (1 - BOTTOM - AX_HEIGHT + AX_HEIGHT * (weekday + 0.5) / 7) * height
    return _pixel(image, int(x), int(y))


# 13 Fridays from 2 January at 21:15 in Stockholm (20:15 UTC: all in winter time), and one
# Monday at 08:30
FRIDAYS = [datetime(2026, 1, 2, 20, 15, tzinfo=UTC) + timedelta(weeks=n) for n in range(13)]
MONDAY = [datetime(2026, 2, 2, 7, 30, tzinfo=UTC)]


def test_the_png_is_864_by_1008_and_the_hot_cell_is_darkest():
    png = render_patterns(_report(FRIDAYS + MONDAY), "EST Botkyrka", "sv")
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size == (864, 1008)  # 7.2 × 8.4 in at 120 dpi
    friday_21, monday_8, sunday_3 = _cell(image, 4, 21), _cell(image, 0, 8), _cell(image, 6, 3)
    # YlOrRd from 0 to 13: 13 is the darkest red, 1 nearly the palest, 0 the palest yellow
    assert sum(friday_21) < 250 and friday_21[0] > friday_21[1] + 100
    assert sum(sunday_3) > 650 and sum(sunday_3) > sum(monday_8) > sum(friday_21)


def test_no_incidents_is_the_palest_colour_not_the_middle_of_the_scale():
    png = render_patterns(_report([], "Albys hjärta"), "EST Botkyrka", "sv")
    image = Image.open(BytesIO(png)).convert("RGB")
    cells = {_cell(image, d, h) for d in range(7) for h in range(0, 24, 5)}
    assert len(cells) == 1 and sum(cells.pop()) > 650  # one pale yellow everywhere


def test_a_chart_is_the_same_whatever_was_drawn_before_it():
    busy, quiet = _report(FRIDAYS + MONDAY), _report(MONDAY, "Tumba station")
    first = render_patterns(busy, "EST Botkyrka", "sv")
    render_patterns(quiet, "EST Botkyrka", "sv")
    render_patterns(quiet, "EST Botkyrka", "en")
    assert render_patterns(busy, "EST Botkyrka", "sv") == first


def test_a_long_place_name_keeps_the_title_inside_the_picture():
    long = _report(MONDAY, "Parken vid Hallunda Folkets hus och Hallunda bibliotek")
    image = Image.open(BytesIO(render_patterns(long, "EST Botkyrka", "sv"))).convert("RGB")
    width, _height = image.size
    title_rows = range(5, 45)  # the title's band at the top
    columns = (*range(4), *range(width - 4, width))
    edges = {_pixel(image, x, y) for y in title_rows for x in columns}
    assert edges == {(255, 255, 255)}  # nothing of the title runs into the edges
    dark = [x for x in range(width) for y in title_rows if sum(_pixel(image, x, y)) < 200]
    assert dark and min(dark) > 4 and max(dark) < width - 4
