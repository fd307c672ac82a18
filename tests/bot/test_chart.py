"""The weekly chart as a meeting handout: what it says (as data) and the PNG it makes."""

from __future__ import annotations

import struct
import threading
from datetime import date

from bot.summary.chart import render_chart
from bot.summary.chartdata import category_stacks, chart_data, panel_title
from bot.summary.results import CategoryWeek, PlaceWeek, Summary

WEEKS = [(2026, w) for w in range(38, 50)]
PRODUCED = date(2026, 12, 7)


def category(sv: str, en: str, key: str, total: int, *, last: int = 0) -> CategoryWeek:
    """``total`` incidents in week 38 and ``last`` in week 49."""
    series = [total] + [0] * 10 + [last]
    return CategoryWeek(sv, en, last, 0, series, key)


def summary(categories: list[CategoryWeek], places: list[PlaceWeek] | None = None) -> Summary:
    fittja = PlaceWeek(1, "Fittja centrum", "Fittja", 2, 0, 0.0, [], [0] * 11 + [2])
    chart = [fittja] if places is None else places
    return Summary(
        1, 2026, 49, "2026-11-30", "2026-12-06", WEEKS, 2, 0, 0.0, chart, categories,
        [], [], chart, 2.0, None, None,
    )  # fmt: skip


MANY = [
    category("Klotter", "Graffiti", "klotter", 9),
    category("Nedskräpning", "Littering", "nedskrapning", 8),
    category("Skadegörelse", "Vandalism", "skadegorelse", 7),
    category("Buskörning", "Reckless driving", "buskorning", 6),
    category("Brand", "Fire", "brand", 5),
    category("Hot", "Threats", "hot", 4),
    category("Stöld", "Theft", "stold", 3),
    category("Lustgas", "Laughing gas", "lustgas", 2),
    category("Öppen narkotikaförsäljning", "Open drug dealing", "narkotikaforsaljning", 0, last=1),
]


def test_the_key_category_with_one_incident_is_never_folded_into_the_rest():
    stacks = category_stacks(summary(MANY), "sv")
    labels = [s.label for s in stacks]
    # the four with most, the key category, one more to make six, then the rest together
    assert labels == [
        "Öppen narkotikaförsäljning",  # key categories first, at the foot of the bars
        "Klotter",
        "Nedskräpning",
        "Skadegörelse",
        "Buskörning",
        "Brand",
        "övriga: Hot, Stöld, Lustgas",
    ]
    assert [s.key for s in stacks] == [True] + [False] * 6
    assert stacks[-1].rest and stacks[-1].series == [9] + [0] * 11  # 4 + 3 + 2 in week 38


def test_a_renamed_key_category_is_known_by_its_key_and_an_old_summary_by_its_label():
    renamed = category("Langning", "Dealing", "narkotikaforsaljning", 0, last=1)
    old = category("Skottlossning", "Shooting", "", 0, last=1)  # stored before keys were kept
    stacks = category_stacks(summary([*MANY[:8], renamed, old]), "en")
    keys = [s.label for s in stacks if s.key]
    assert keys == ["Dealing", "Shooting"]
    assert stacks[-1].label == "other categories (4)"  # two key ones: fire is folded too


def test_one_category_left_over_is_shown_by_its_name_and_many_are_counted():
    seven = category_stacks(summary(MANY[:7]), "sv")
    assert [s.label for s in seven][-1] == "Stöld" and not any(s.rest for s in seven)
    extra = [category(f"Kategori {i}", f"Category {i}", f"k{i}", 1) for i in range(5)]
    counted = category_stacks(summary(MANY[:6] + extra), "sv")
    assert counted[-1].label == "övriga kategorier (5)"


def test_titles_in_plain_swedish_with_the_group_the_week_and_the_production_date():
    data = chart_data(summary(MANY), "sv", group_name="EST Botkyrka", produced=PRODUCED)
    assert data.heading == "EST Botkyrka"
    assert data.period == "Vecka 49, 2026: 2026-11-30 – 2026-12-06"
    assert data.span == "Händelser per vecka, v. 38–49 (2026-09-14 – 2026-12-06)"
    assert data.produced == "Framställd 2026-12-07"
    assert [p.title for p in data.panels] == [
        "Fittja centrum — 2 händelser v. 49, snitt 0,0 per vecka senaste 4 v."
    ]
    assert data.categories_title == "Per kategori, v. 38–49"
    assert panel_title("sv", "Tumba station", 1, 49, 6.25) == (
        "Tumba station — 1 händelse v. 49, snitt 6,3 per vecka senaste 4 v."
    )
    assert panel_title("en", "Tumba station", 3, 49, 0.5) == (
        "Tumba station — 3 incidents in w. 49, average 0.5 a week over the last 4 w."
    )


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_png_is_a_phones_width_and_an_a4_pages_shape_whatever_it_holds():
    five = [PlaceWeek(i, f"Plats {i}", "Fittja", i, 0, 1.0, [], [i] * 12) for i in range(1, 6)]
    for drawn in (summary(MANY), summary(MANY, five)):
        png = render_chart(drawn, "sv", group_name="EST Botkyrka", produced=PRODUCED)
        width, height = png_size(png)
        assert width == 864  # a phone's width: 7.2 inches at 120 dpi
        assert abs(height / width - 2**0.5) < 0.002  # A4: 210 × 297 mm


def fresh(drawn: Summary, name: str) -> bytes:
    """The chart drawn in a thread of its own: on Figures no other chart has touched."""
    out: list[bytes] = []
    worker = threading.Thread(
        target=lambda: out.append(render_chart(drawn, "sv", group_name=name, produced=PRODUCED))
    )
    worker.start()
    worker.join()
    return out[0]


def test_a_chart_drawn_after_another_keeps_nothing_of_it():
    five = [PlaceWeek(i, f"Plats {i}", "Fittja", i, 0, 1.0, [], [i] * 12) for i in range(1, 6)]
    busy = summary(MANY, five)  # five panels, seven stacks, every week's total above 0
    few = [category("Klotter", "Graffiti", "klotter", 3)]
    quiet = summary(few, [PlaceWeek(i, f"Ort {i}", "Tumba", 0, 0, 0.0, [], [0] * 11 + [i])
                          for i in range(1, 6)])  # fmt: skip
    # the same shape (five panels, twelve weeks): drawn on the Figure the busy chart used
    render_chart(busy, "sv", group_name="EST Botkyrka", produced=PRODUCED)
    after = render_chart(quiet, "sv", group_name="EST Tumba", produced=PRODUCED)
    assert after == fresh(quiet, "EST Tumba")  # no bar, number, stack or key left over
    again = render_chart(busy, "sv", group_name="EST Botkyrka", produced=PRODUCED)
    assert again == fresh(busy, "EST Botkyrka")  # and the stacks hidden come back
    assert after != again
