"""The annual lägesbild as a council reads it: the PDF's text in reading order and the XLSX's
cells, from a small year worked out by hand and from the demo with a generated year before."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.actions.service import ActionDraft
from bot.demo.loader import load_full_demo
from bot.errors import InvalidInput
from bot.exports.service import annual_year
from bot.i18n import translator
from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from storage.models import PictureSnapshot
from tests.bot.conftest import as_user
from tests.bot.test_analysis import draft as analysis_draft
from tests.conftest import session_of

MADE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday; 2026 is still running
HEADINGS = (
    "1. Sammanfattning",
    "2. Händelser per stadsdel och plats",
    "3. Platserna som oroar mest",
    "4. Nivåerna som mötena fastställde",
    "5. Organisationernas iakttagelser",
    "6. Orsaksanalys och åtgärdsplan",
    "7. Åtgärder och utfall",
    "8. Aktiviteter och utfall",
    "Bilaga: händelser per månad",
)


def pages(content: bytes) -> list[str]:
    """Each page's text as a reader sees it, spaces made plain."""
    reader = PdfReader(io.BytesIO(content))
    return [p.extract_text().replace("\u00a0", " ") for p in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def log(services, who, text: str, *, at: datetime | None = None) -> None:
    """An incident registered when it happened (``at`` None) or at ``MADE``."""
    draft = parse_quick(text)
    now = at or MADE
    services.incidents.log(who, draft, now=now)


def plant_levels(services, group_id: int, places: dict[str, int]) -> None:
    """The lägesbild the meetings fastställde in weeks 45–47."""
    weekly = {
        45: {"Fittja centrum": "oroligt"},
        46: {"Fittja centrum": "oroligt", "Kårsby IP": "allvarligt"},
        47: {"Fittja centrum": "oroligt", "Kårsby IP": "allvarligt"},
    }
    with services.db.unit_of_work() as uow:
        for week, levels in weekly.items():
            lines = [
                {"place_id": places[p], "place": p, "joint_level": lv} for p, lv in levels.items()
            ]
            session_of(uow).add(
                PictureSnapshot(
                    group_id=group_id,
                    iso_year=2026,
                    iso_week=week,
                    version=1,
                    content={"places": lines},
                    created_by="U0ANNA",
                    created_at=MADE - timedelta(days=20),
                )
            )


@pytest.fixture
def year(demo, anna, erik):
    """Two years by hand. 2025 (to 7 December, the days compared): Fittja centrum 3 (a fourth on
    20 December falls outside), Albys hjärta 2. 2026: Fittja centrum 6, Fittja torg 1, Albys
    hjärta 1, Kårsby IP 3. So Fittja 3 → 7 (+4), Alby 2 → 1 (−1), Hallunda/Norsborg 0 → 3
    (+3), in all 5 → 11 (+6): every figure compared with is under 10, so no per cent."""
    for text in (
        "Fittja centrum; lustgas; Patroner; 2025-03-10 21:00",
        "Fittja centrum; narkotikaförsäljning; Försäljning; 2025-06-01 22:00",
        "Fittja centrum; narkotikaförsäljning; Försäljning; 2025-11-20 21:00",
        "Fittja centrum; narkotikaförsäljning; Efter jämförelsedagarna; 2025-12-20 21:00",
        "Albys hjärta; klotter; Väggen; 2025-05-05 12:00",
        "Albys hjärta; klotter; Väggen igen; 2025-09-09 12:00",
    ):
        when = datetime.fromisoformat(text.rsplit("; ", 1)[1]).replace(tzinfo=UTC)
        log(demo, erik, text, at=when + timedelta(hours=1))
    for text in (
        "Fittja centrum; narkotikaförsäljning; Försäljning vid entrén; 2026-11-03 21:00",
        "Fittja centrum; narkotikaförsäljning; Försäljning; 2026-11-10 21:00",
        "Fittja centrum; narkotikaförsäljning; Försäljning; 2026-11-17 21:00",
        "Fittja centrum; narkotikaförsäljning; Försäljning; 2026-11-24 21:00",
        "Fittja centrum; lustgas; Patroner; 2026-02-02 20:00",
        "Fittja centrum; lustgas; Patroner; 2026-10-02 20:00",
        "Fittja torg; klotter; Bänken; 2026-06-06 12:00",
        "Albys hjärta; klotter; Väggen; 2026-04-04 12:00",
        "Kårsby IP; buskörning; Mopeder; 2026-11-11 20:00",
        "Kårsby IP; buskörning; Mopeder; 2026-11-18 20:00",
        "Kårsby IP; buskörning; Mopeder; 2026-11-25 20:00",
    ):
        log(demo, erik, text)
    with demo.db.unit_of_work() as uow:
        places = {p.name: p.id for p in uow.places.of_group(anna.group.id)}
    plant_levels(demo, anna.group.id, places)
    demo.reports.save(
        erik,
        [EntryDraft(places["Fittja centrum"], "oroligt", "sämre", "Försäljning vid entrén")],
        now=MADE - timedelta(days=14),
        for_week=(2026, 47),
    )
    demo.analyses.create(erik, analysis_draft(), now=MADE - timedelta(days=10))  # Fittja centrum
    demo.actions.create(  # overdue on 7 December
        anna,
        ActionDraft("Belysning vid entrén", "U0ERIK", date(2026, 12, 1), places=["Fittja centrum"]),
        now=MADE - timedelta(days=10),
    )
    return demo.exports.yearly_picture(anna, "2026", now=MADE)


def test_the_pdf_reads_summary_first_with_the_year_against_the_year_before(year):
    pdf, _xlsx = year
    assert pdf.filename == "lagesbild-2026.pdf"
    text = flat("\n".join(pages(pdf.content)))
    at = [text.index(h) for h in HEADINGS]
    assert at == sorted(at)  # in this order, the summary first
    summary = text[at[0] : at[1]]
    assert (
        "Registrerade händelser 2026: 11, mot 5 under samma dagar 2025 (2026-01-01–2026-12-07); "
        "en förändring med +6." in summary
    )
    assert "Flest händelser i Fittja (7); störst ökning i Fittja: +4." in summary
    # need: Fittja centrum 6 + 3 rise + 3 worrying weeks + 2 × 1 overdue = 14;
    # Kårsby IP 3 + 3 + 3 × 2 serious weeks = 12; Fittja torg 1 + 1 = 2; Albys hjärta 1
    assert "Platserna som oroar mest: Fittja centrum, Kårsby IP, Fittja torg." in summary
    assert "Åtgärder i åtgärdsplanen: 1; klara 0, öppna eller pågående 1, varav försenade 1." in (
        summary
    )
    assert "Kårsby IP bedömdes som allvarlig i 2 av dem" in summary
    assert "ingen är registrerad för Kårsby IP, Fittja torg, Albys hjärta" in summary
    districts = text[at[1] : at[2]]
    for row in ("Fittja 3 7 +4", "Alby 2 1 −1", "Hallunda/Norsborg 0 3 +3", "Totalt 5 11 +6"):
        assert row in districts
    assert "%" not in districts.replace("Procent anges", "")  # no per cent of a figure under 10
    assert text.count("Procent anges när jämförelsetalet är minst 10.") == 1  # the rule, once
    levels = text[at[3] : at[4]]
    assert "Kårsby IP 2 0 0 allvarligt, senast v. 47" in levels
    assert "Fittja centrum 0 3 0 oroligt, senast v. 47" in levels
    assert "v. 47 Botkyrka" not in text  # erik is the police
    assert "v. 47 Polisen lokalpolisområde Botkyrka: Försäljning vid entrén" in text[at[4] : at[5]]
    plan = text[at[5] : at[6]]
    assert "Öppen narkotikaförsäljning vid tunnelbaneuppgången" in plan  # the analysis
    assert "Ingen orsaksanalys registrerad för Kårsby IP." in plan
    assert "Ingen åtgärd i åtgärdsplanen för Kårsby IP." in plan
    assert "Åtgärd 1: Belysning vid entrén – ansvarig Erik Johansson" in plan.replace("  ", " ")
    assert "SFS 2023:196" in text[: at[0]]


def no_heading_alone(content: bytes) -> None:
    """A heading whose section goes on over the page has its content begun below it: more than
    a line or two (a heading with only its introduction at the foot of a page fails)."""
    titles = (*HEADINGS, "Per stadsdel", "Per plats", "Per månad")
    bodies = []
    for page in pages(content):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        bodies.append([line for line in lines if not re.search(r"· \d+/\d+$", line)])
    for number, (body, following) in enumerate(zip(bodies, [*bodies[1:], []], strict=True), 1):
        at = [i for i, line in enumerate(body) if line in titles]
        if not at or not following or following[0] in titles:
            continue  # no heading, the last page, or the next page starts a section
        below = " ".join(body[at[-1] + 1 :])
        assert len(below) > 250, (number, body[at[-1]], below)


def test_no_heading_is_left_at_the_foot_of_a_page(year):
    pdf, _xlsx = year
    no_heading_alone(pdf.content)


def test_the_xlsx_has_number_and_date_cells_a_filter_and_short_sheet_names(year):
    _pdf, xlsx = year
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == [
        "Sammanfattning",
        "Per stadsdel",
        "Per plats",
        "Oroar mest",
        "Nivåer under året",
        "Nivå per vecka",
        "Lägesrapporter",
        "Orsaksanalyser",
        "Åtgärder",
        "Aktiviteter",
        "Per plats och månad",
        "Per kategori och månad",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    districts = [[c.value for c in row] for row in book["Per stadsdel"].iter_rows()]
    assert districts[0] == ["Stadsdel", "2025", "2026", "Förändring", "Förändring, procent"]
    assert districts[1] == ["Fittja", 3, 7, 4, None]  # 3 is under 10: no per cent
    assert districts[2][:4] == ["Hallunda/Norsborg", 0, 3, 3]
    assert districts[2][4] in (None, "")  # no per cent against nothing
    assert districts[3] == ["Alby", 2, 1, -1, None]
    assert districts[4] == ["Totalt", 5, 11, 6, None]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet["A1"].font.b, sheet.title
    places = [[c.value for c in row] for row in book["Per plats"].iter_rows()]
    assert places[1][:6] == ["Fittja centrum", "Fittja", 3, 6, 3, None]
    assert places[1][6] == "Öppen narkotikaförsäljning (4)"
    concern = [[c.value for c in row] for row in book["Oroar mest"].iter_rows()]
    assert [r[1] for r in concern[1:]] == [
        "Fittja centrum",
        "Kårsby IP",
        "Fittja torg",
        "Albys hjärta",
    ]
    action = next(book["Åtgärder"].iter_rows(min_row=2, max_row=2))
    assert action[5].data_type == "d" and action[5].value == datetime(2026, 12, 1)  # a date cell
    assert action[5].number_format == "yyyy-mm-dd"
    assert isinstance(action[0].value, int)
    reports = [[c.value for c in row] for row in book["Lägesrapporter"].iter_rows()]
    assert reports[1] == [
        "Fittja centrum",
        "Fittja",
        4,
        47,
        "Polisen lokalpolisområde Botkyrka",
        "oroligt",
        "sämre",
        "Försäljning vid entrén",
    ]
    weeks = [[c.value for c in row] for row in book["Nivå per vecka"].iter_rows()]
    assert weeks[0] == ["Plats", "v. 45", "v. 46", "v. 47"]
    assert weeks[2] == ["Kårsby IP", None, "allvarligt", "allvarligt"]


def test_an_empty_year_says_what_is_missing(demo, anna):
    pdf, _xlsx = demo.exports.yearly_picture(anna, "2026", now=MADE)
    text = flat("\n".join(pages(pdf.content)))
    assert "Registrerade händelser 2026: 0, mot 0 under samma dagar 2025" in text
    assert "Ingen lägesbild fastställdes vid något möte 2026." in text
    assert "Ingen orsaksanalys är registrerad: åtgärdsplanen saknar sin grund." in text
    assert "Inga händelser registrerades 2026 eller 2025." in text


def test_a_year_that_has_ended_is_compared_whole(demo, anna, erik):
    late = datetime(2025, 12, 20, 22, 0, tzinfo=UTC)
    log(demo, erik, "Fittja centrum; lustgas; Sent på året; 2025-12-20 21:00", at=late)
    pdf, _xlsx = demo.exports.yearly_picture(anna, "2025", now=MADE)
    text = flat("\n".join(pages(pdf.content)))
    assert "Registrerade händelser 2025: 1, mot 0 under 2024; en förändring med +1." in text


def test_the_demo_with_a_generated_year_before(services):
    """The demo's last thirteen weeks, and a year before generated at Hallunda centrum: two
    incidents a month from January to October 2025 (20, within the days compared) and three on
    20 December 2025 (after them). The place's 2025 count rises by exactly 20; 2026 is as it was."""
    load_full_demo(services, now=MADE)
    anna, erik = as_user(services, "U0ANNA"), as_user(services, "U0ERIK")

    def hallunda(xlsx: bytes) -> list:
        rows = load_workbook(io.BytesIO(xlsx))["Per plats"].iter_rows(values_only=True)
        return next(list(r) for r in rows if r[0] == "Hallunda centrum")

    before = hallunda(services.exports.yearly_picture(anna, "2026", now=MADE)[1].content)
    days = [datetime(2025, m, d, 20, 0, tzinfo=UTC) for m in range(1, 11) for d in (5, 19)]
    days += [datetime(2025, 12, 20, 20, 0, tzinfo=UTC)] * 3
    for at in days:
        text = f"Hallunda centrum; lustgas; Patroner på marken; {at:%Y-%m-%d %H:%M}"
        log(services, erik, text, at=at + timedelta(hours=1))
    pdf, xlsx = services.exports.yearly_picture(anna, "2026", now=MADE)
    after = hallunda(xlsx.content)
    assert after[2] == before[2] + 20 and after[3] == before[3]  # 2025 and 2026
    assert after[4] == after[3] - after[2]
    assert after[5] == round(100 * (after[3] - after[2]) / after[2])
    shown = pages(pdf.content)
    assert len(shown) >= 5 and all(p.strip() for p in shown)
    no_heading_alone(pdf.content)
    text = flat("\n".join(shown))
    assert f"Hallunda centrum Hallunda/Norsborg {after[2]} {after[3]}" in text
    reader = PdfReader(io.BytesIO(pdf.content))
    images = sum(len(p.images) for p in reader.pages)
    assert images >= 3  # the district bars, the months, the levels week by week


@pytest.mark.parametrize(
    ("typed", "year"),
    [("", 2026), ("2025", 2025), ("i år", 2026), ("förra året", 2025), ("I fjol", 2025)],
)
def test_the_year_is_typed_as_a_number_or_a_word(typed, year):
    assert annual_year(typed, 2026) == year


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2030", "2030 har inte börjat: årets lägesbild kan tas fram för 2000–2026"),
        ("nästa år", "”nästa år” är inget år jag känner igen."),
        ("1999", "Boten har inga uppgifter från 1999; det första året är 2000."),
    ],
)
def test_a_year_that_cannot_be_made_is_refused_saying_what_was_understood(typed, said):
    with pytest.raises(InvalidInput) as refused:
        annual_year(typed, 2026)
    assert said in translator("sv").render(refused.value.message)


@pytest.mark.parametrize(
    ("this", "previous", "said", "cells"),
    [
        (15, 10, "+5 (+50\u00a0%)", [5, 50]),  # 5 of 10 is 50 %
        (9, 12, "−3 (−25\u00a0%)", [-3, -25]),  # 3 of 12 is 25 %
        (0, 10, "−10 (−100\u00a0%)", [-10, -100]),
        (10, 10, "0", [0, 0]),
        (173, 5, "+168", [168, ""]),  # not "+3 360 %": 5 is under 10
        (12, 9, "+3", [3, ""]),
        (3, 0, "+3", [3, ""]),
    ],
)
def test_per_cent_only_against_a_figure_of_at_least_10(this, previous, said, cells):
    from bot.exports.annual.facts import Count
    from bot.exports.annual.tables import _change_cells
    from bot.exports.annual.words import change

    assert change(this, previous) == said
    count = Count(1, "Fittja centrum", "Fittja", this, previous, (0,) * 12)
    assert _change_cells(count, numeric=True) == cells
    assert _change_cells(count, numeric=False) == [said]
