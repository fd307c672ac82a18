"""The period analysis as PDF and XLSX, read back; and the priorities at the top of the period's
lägesbild and weekly summary — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.analysis.priorities import PriorityDraft
from bot.i18n import translator
from bot.incidents.service import IncidentDraft
from bot.places.service import parse_place_form
from handlers.summary.blocks import build_summary
from handlers.weekly.blocks import build_picture
from tests.bot.conftest import as_user
from tests.conftest import NOW

SV = translator("sv")


def _log(services, actor, place_id: int, *days: datetime) -> None:
    for n, at in enumerate(days):
        draft = IncidentDraft(
            "", "klotter", f"Klotter på väggen {n}", place_id=place_id, occurred_at=at
        )
        services.incidents.log(actor, draft, now=at + timedelta(hours=1))


def _testplats(demo, anna) -> int:
    """A place of its own: 3 incidents in 2026-Q3, 1 in Q2, 2 in 2025-Q3."""
    place = demo.places.add(anna, parse_place_form("Provplatsen; Tullinge; torg"), now=NOW)
    at = [
        datetime(2026, 7, 3, 20, tzinfo=UTC),
        datetime(2026, 8, 14, 21, tzinfo=UTC),
        datetime(2026, 9, 30, 12, tzinfo=UTC),  # the last day of Q3
        datetime(2026, 6, 30, 12, tzinfo=UTC),  # Q2
        datetime(2025, 7, 10, 12, tzinfo=UTC),  # Q3 a year before
        datetime(2025, 8, 11, 12, tzinfo=UTC),
    ]
    _log(demo, anna, place.id, *at)
    return place.id


def test_the_period_analysis_as_xlsx_and_pdf(demo, anna):
    place = _testplats(demo, anna)
    demo.priorities.record(anna, PriorityDraft("2026-Q3", [(place, "", "Klottret ökar")]), now=NOW)
    pdf, xlsx = demo.exports.period(anna, "2026-Q3", now=NOW)
    assert (pdf.filename, xlsx.filename) == (
        "periodanalys-2026-Q3.pdf",
        "periodanalys-2026-Q3.xlsx",
    )
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames[:4] == ["Rangordning", "Platser", "Nivåer", "Stadsdelar"]
    places = book["Platser"]
    assert places.freeze_panes == "A2" and places.auto_filter.ref.startswith("A1:")
    header = [c.value for c in places[1]]
    row = next(r for r in places.iter_rows(min_row=2) if r[1].value == "Provplatsen")
    values = dict(zip(header, (c.value for c in row), strict=True))
    # 3 now, 1 before (+2), 2 a year before (+1): worked out from the six incidents above
    assert (values["Händelser"], values["Perioden före"], values["Förändring"]) == (3, 1, 2)
    assert (values["Samma period i fjol"], values["Förändring mot i fjol"]) == (2, 1)
    assert row[2].data_type == "n"
    ranking = book["Rangordning"]
    ranked = next(
        r for r in ranking.iter_rows(min_row=2, values_only=True) if r[1] == "Provplatsen"
    )
    # need: 3 incidents + a rise of 2 = 5; the reasons say both, and that nothing was held
    assert ranked[3] == 5
    assert ranked[4] == "3 händelser; +2 mot perioden före; inga aktiviteter genomförda"
    priorities = list(book["Prioriteringar"].iter_rows(min_row=2, values_only=True))
    assert priorities == [("2026-Q4", "Provplatsen", None, "Klottret ökar", 1)]
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Periodanalys 2026-Q3" in text and "Provplatsen" in text
    flat = " ".join(text.split())  # the PDF says how a need is counted, as the post does
    assert "3 för varje allvarlig vecka, 1 för varje orolig vecka, 2 för varje försenad" in flat


def test_the_priorities_top_the_lagesbild_and_summary_of_their_period_only(demo, anna):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    demo.priorities.record(
        anna, PriorityDraft("2026-Q3", [(fittja, "", "Två allvarliga veckor")]), now=NOW
    )
    picture = demo.meetings.picture(anna, "", now=NOW)  # week 47 of 2026: in Q4
    [first, *_] = build_picture(SV, picture)
    said = json.dumps(first["blocks"][:4], ensure_ascii=False)
    q4 = "Prioriteringar kvartal 4 2026 (1 okt. – 31 dec.)"  # the quarter in words, its days
    assert q4 in said and "Två allvarliga veckor" in said
    summary = build_summary(SV, demo.summaries.show(anna, "", now=NOW))
    assert q4 in json.dumps(summary["blocks"][:3], ensure_ascii=False)
    september = demo.meetings.picture(anna, "v38", now=NOW)  # in Q3: no priorities then
    assert "Prioriteringar" not in json.dumps(build_picture(SV, september), ensure_ascii=False)


def test_a_proposal_waits_on_the_agenda_not_in_the_lagesbild(demo, anna, erik):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    demo.priorities.record(
        erik, PriorityDraft("2026-Q3", [(fittja, "", "Föreslås av polisen")]), now=NOW
    )
    meeting_id, agenda = demo.meetings.open(anna, now=NOW)
    shown = json.dumps(build_picture(SV, agenda, meeting_id=meeting_id), ensure_ascii=False)
    assert "Förslag till prioriteringar kvartal 4 2026 (1 okt. – 31 dec.)" in shown
    assert "Föreslås av polisen" in shown
    assert '"action_id": "period_priorities_open"' in shown and '"value": "2026-Q3"' in shown
    picture = json.dumps(build_picture(SV, agenda), ensure_ascii=False)  # not the agenda
    assert "Förslag" not in picture and "Prioriteringar" not in picture


def test_an_archived_place_is_in_the_files_only_with_incidents_and_marked(demo):
    from tests.handlers.test_period_post import places_for_the_quarter

    places_for_the_quarter(demo)  # Gamla torget: 1 incident in Q3; Stängda parken: none
    anna = as_user(demo, "U0ANNA")
    pdf, xlsx = demo.exports.period(anna, "2026-Q3", now=NOW)
    book = load_workbook(BytesIO(xlsx.content))
    ranking = list(book["Rangordning"].iter_rows(min_row=2, values_only=True))
    # need: Provtorget 2 incidents + a rise of 1 = 3; Gamla torget 1 + 1 = 2
    assert ranking[:2] == [
        (
            1,
            "Provtorget",
            "Tullinge",
            3,
            "2 händelser; +1 mot perioden före; inga aktiviteter genomförda",
        ),
        (
            2,
            "Gamla torget (arkiverad)",
            "Tullinge",
            2,
            "1 händelse; +1 mot perioden före; inga aktiviteter genomförda",
        ),
    ]
    for sheet in ("Rangordning", "Platser", "Nivåer"):
        names = [str(c.value) for row in book[sheet].iter_rows() for c in row]
        assert "Gamla torget (arkiverad)" in names and "Stängda parken" not in " ".join(names)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Gamla torget (arkiverad)" in text
    # Stängda parken is out of the ranking and the tables per place; its open action is still
    # the group's to close, so the list of open actions keeps it, marked
    assert text.count("Stängda parken") == 1 and "Stängda parken (arkiverad)" in text
    actions = list(book["Öppna åtgärder"].iter_rows(min_row=2, values_only=True))
    assert [a[2] for a in actions if a[1] == "Ny belysning"] == ["Stängda parken (arkiverad)"]
