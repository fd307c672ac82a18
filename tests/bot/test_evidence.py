"""The evidence pack and the grant year report, rendered to real files and read back."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from bot.activities import evidence_xlsx as documents
from bot.activities.costs import CostDraft
from bot.activities.evidence_pdf import evidence_pdf
from bot.activities.grant_xlsx import grant_xlsx
from bot.activities.service import FollowUp
from bot.errors import InvalidInput
from bot.incidents.service import parse_quick
from tests.bot.test_activities import MONDAY, draft


def cost(**overrides) -> CostDraft:
    values = {
        "amount": "1 740",
        "description": "Polistillstånd för offentlig plats",
        "supplier": "Polismyndigheten",
        "supplier_org_number": "202100-0076",
        "funding_source": "statsbidrag",
        "invoice_number": "F-118",
        "invoice_date": date(2026, 12, 1),
        "grant_year": 2026,
        "diarienummer": "S2026/01234",
    }
    return CostDraft(**{**values, **overrides})


@pytest.fixture
def held(demo, anna):
    """The Fittja Christmas market: motivated, with two costs, followed up."""
    incident = demo.incidents.log(
        anna,
        parse_quick("Fittja centrum; narkotikaförsäljning; Öppen försäljning; 2026-11-15 21:30"),
        now=MONDAY - timedelta(days=7),
    ).incident
    market = demo.activities.create(
        anna, draft(demo, anna, motivation=[f"i:{incident.id}"]), now=MONDAY
    )
    demo.costs.add(anna, market.id, cost(), now=MONDAY)
    demo.costs.add(
        anna,
        market.id,
        cost(
            amount="12 500,50",
            description="Arvode till förening för unga funktionärer",
            supplier="Norsborg FC",
            supplier_org_number="556036-0793",
            to_association=True,
            invoice_number="",
        ),
        now=MONDAY,
    )
    demo.activities.follow_up(
        anna,
        market.id,
        FollowUp(
            {"barn och unga": 150, "vuxna": 820, "arrangörer och aktörer": 30},
            "räknat",
            0,
            "Ingen öppen försäljning i centrum under dagen",
        ),
        now=datetime(2026, 12, 13, 9, 0, tzinfo=UTC),
    )
    return market


def rows_of(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_evidence_pack_as_xlsx_and_pdf(demo, anna, held):
    exported = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    pack = demo.evidence.activity_pack(anna, held.id, now=exported)
    book = load_workbook(BytesIO(documents.evidence_xlsx(pack)))
    assert book.sheetnames == [
        "Aktivitet",
        "Brister",
        "Motivering",
        "Kostnader",
        "Dokument",
        "Granskningslogg",
        "Spårbarhet",
    ]
    info = {r[0]: r[1] for r in rows_of(book["Aktivitet"]) if r and r[0]}
    assert info["Innehållet avser"] == "1: Julmarknad i Fittja centrum, 2026-12-12 11:00"
    # labelled apart from the content; a real time, in Stockholm's (Excel keeps no zone)
    assert info["Exporterad"] == datetime(2027, 1, 11, 10, 0)
    assert info["Exporterad av"] == "Anna Lindqvist"  # a name, never the Slack id
    assert info["Ansvarig"] == "Sara Ahmed (Botkyrkabyggen)"
    assert info["Deltagare totalt"] == 1000
    assert info["Räknemetod"] == "räknat"
    assert info["Kostnader totalt"] == 14240.5  # 1 740,00 + 12 500,50, exact in öre
    total = next(r[1] for r in book["Aktivitet"].iter_rows() if r[0].value == "Kostnader totalt")
    assert total.number_format == '#,##0.00 "kr"'
    # the 4 weeks after 12 December have passed by 11 January: both periods are counted
    assert info["Händelser 1 vecka före / efter"] == "0 / 0"
    assert info["Händelser 4 veckor före / efter"] == "1 / 0"
    assert {"Attesterad av (namn)", "Roll", "Datum", "Underskrift"} <= set(info) | {
        r[0] for r in rows_of(book["Aktivitet"]) if r
    }
    assert rows_of(book["Brister"]) == [
        ["Brist"],
        ["Kostnad 2: kostnad utan fakturanummer (Norsborg FC)"],
    ]
    [motivation] = rows_of(book["Motivering"])[1:]
    # when it happened (21:30 local) and when it was registered (09:00 UTC, a week before)
    assert motivation[:5] == [
        "Händelse",
        1,
        "Fittja centrum",
        datetime(2026, 11, 15, 21, 30),
        datetime(2026, 11, 16, 10, 0),
    ]
    costs = rows_of(book["Kostnader"])[1:]
    assert [(c[2], c[5], c[6], c[7]) for c in costs] == [
        (1740.0, "202100-0076", "nej", "F-118"),
        (12500.5, "556036-0793", "ja", None),  # no invoice number: an empty cell
    ]
    assert costs[1][13] == "fakturanummer saknas"
    assert costs[0][8] == datetime(2026, 12, 1)  # the invoice date: a date cell
    log = rows_of(book["Granskningslogg"])
    assert log[0] == ["Händelse i loggen", "Tid", "Av", "Vad som hände", "Post", "Hash"]
    said = [r[3] for r in log[1:]]
    assert said[0] == "Aktiviteten planerades" and said[-1] == "Bevispaketet exporterades"
    assert {
        "Motivering kopplad: händelse 1",
        "Kostnad registrerad: 1 740,00 kr, Polismyndigheten",
        "Kostnad registrerad: 12 500,50 kr, Norsborg FC",
        "Aktiviteten följdes upp",
    } <= set(said)
    assert {r[2] for r in log[1:]} == {"Anna Lindqvist"}
    assert {r[4] for r in log[1:]} == {"Aktivitet 1", "Motivering 1", "Kostnad 1", "Kostnad 2"}
    integrity = rows_of(book["Spårbarhet"])
    assert integrity[0] == ["Kedjans hash efter denna export", pack.chain_head]
    assert integrity[1][1] == f"obruten ({pack.chain.events} händelser)"
    assert pack.drift == () and integrity[2] == ["Posterna stämmer med granskningsloggen", "ja"]

    pdf = PdfReader(BytesIO(evidence_pdf(pack)))
    body = " ".join(page.extract_text() for page in pdf.pages).replace("\n", " ")
    for expected in (
        "Bevispaket: aktivitet 1, Julmarknad i Fittja centrum",
        "Brister",
        "Kostnad 2: kostnad utan fakturanummer (Norsborg FC)",
        "Exporterad av Anna Lindqvist",
        "Ansvarig Sara Ahmed (Botkyrkabyggen)",
        "Inträffade",
        "2026-11-15 21:30",
        "Kostnad 2: 12 500,50 kr",
        "Organisationsnummer 556036-0793",
        "Fakturanummer saknas ⚠",
        "Ingen öppen försäljning i centrum under dagen",
        "Händelser 4 veckor före / efter 1 / 0",
        "Aktiviteten planerades",
        "Attestering",
        "Underskrift",
    ):
        assert expected in body, expected


def test_tampering_with_a_cost_event_is_named(demo, anna, held, db):
    pack = demo.evidence.activity_pack(anna, held.id, now=MONDAY + timedelta(days=30))
    assert pack.chain.ok
    [created] = [e for e in pack.events if e.action == "cost.created"][:1]
    with db.engine.begin() as conn:  # someone lowers an amount behind the bot's back
        conn.execute(
            text("UPDATE audit_event SET actor = 'U0MALLORY' WHERE id = :id"), {"id": created.id}
        )
    report = demo.audit.verify()
    assert (report.ok, report.broken_at) == (False, created.id)
    later = demo.evidence.activity_pack(anna, held.id, now=MONDAY + timedelta(days=31))
    book = load_workbook(BytesIO(documents.evidence_xlsx(later)))
    assert rows_of(book["Spårbarhet"])[1][1] == f"BRUTEN vid händelse {created.id}"


def test_a_cost_changed_in_the_database_is_named(demo, anna, held, db):
    """The chain holds, but the row no longer reads as its last event says: found all the same."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE activity_cost SET amount_ore = 174 WHERE id = 1"))
    pack = demo.evidence.activity_pack(anna, held.id, now=MONDAY + timedelta(days=30))
    assert pack.chain.ok
    assert [(d.entity, d.entity_id, d.fields) for d in pack.drift] == [
        ("activity_cost", 1, ("amount_ore",))
    ]
    book = load_workbook(BytesIO(documents.evidence_xlsx(pack)))
    assert rows_of(book["Spårbarhet"])[2][1] == "NEJ: Kostnad 1: belopp"
    text_of_pdf = " ".join(p.extract_text() for p in PdfReader(BytesIO(evidence_pdf(pack))).pages)
    assert "NEJ: Kostnad 1: belopp" in text_of_pdf


def test_grant_report_across_the_year_boundary(demo, anna, held):
    eve = demo.activities.create(
        anna,
        draft(
            demo,
            anna,
            title="Nyårsfirande",
            day=date(2026, 12, 31),
            start=time(20, 0),
            end=time(1, 0),
        ),
        now=MONDAY,
    )
    # invoiced in January, charged to the 2026 grant: counted in 2026 and flagged
    demo.costs.add(anna, eve.id, cost(amount="3 000", invoice_date=date(2027, 1, 8)), now=MONDAY)
    # own budget, no grant year, dated 2027: belongs to 2027 only
    demo.costs.add(
        anna,
        eve.id,
        cost(
            amount="800",
            funding_source="egen budget",
            grant_year=None,
            invoice_date=date(2027, 1, 8),
        ),
        now=MONDAY,
    )
    demo.costs.allocate(
        anna, 2026, "statsbidrag", "100 000", diarienummer="S2026/01234", now=MONDAY
    )
    now = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
    report = demo.evidence.grant_report(anna, 2026, now=now)
    [state] = report.sources
    # 1 740 + 12 500,50 + 3 000 = 17 240,50 of 100 000 → 82 759,50 unspent
    assert (state.funding_source, state.spent_ore, state.unspent_ore) == (
        "statsbidrag",
        1724050,
        8275950,
    )
    gaps = {(g.kind, g.activity_id, g.cost_id) for g in report.gaps}
    assert ("unmotivated", eve.id, None) in gaps
    assert ("no_follow_up", eve.id, None) in gaps
    assert ("outside_year", eve.id, 3) in gaps
    assert ("no_invoice", held.id, 2) in gaps
    assert ("unmotivated", held.id, None) not in gaps

    next_year = demo.evidence.grant_report(anna, 2027, now=now)
    assert [(s.funding_source, s.spent_ore) for s in next_year.sources] == [("egen budget", 80000)]

    book = load_workbook(BytesIO(grant_xlsx(report)))
    assert book.sheetnames == [
        "Sammanställning",
        "Per finansieringskälla",
        "Per källa och typ",
        "Aktiviteter",
        "Kostnader",
        "Brister",
    ]
    summary = rows_of(book["Sammanställning"])
    assert summary[0] == ["Innehållet avser", "Bidragsår 2026, EST Botkyrka"]
    assert ["Förbrukat totalt", 17240.5] in summary
    sources = rows_of(book["Per finansieringskälla"])
    assert sources[1] == ["statsbidrag", 100000, 17240.5, 82759.5, "S2026/01234"]
    money = book["Per finansieringskälla"]["C2"]
    assert (money.data_type, money.number_format) == ("n", '#,##0.00 "kr"')
    by_kind = rows_of(book["Per källa och typ"])[1:]
    assert by_kind == [["statsbidrag", "evenemang", 17240.5]]
    per_activity = {r[0]: r for r in rows_of(book["Aktiviteter"])[1:]}
    assert per_activity[held.id][10] == 14240.5 and per_activity[eve.id][10] == 3000
    assert per_activity[eve.id][3] == datetime(2026, 12, 31, 20, 0)
    assert per_activity[eve.id][6] == "Sara Ahmed"
    gap_rows = rows_of(book["Brister"])[1:]
    assert [
        eve.id,
        "Nyårsfirande",
        3,
        "kostnaden är daterad utanför bidragsåret",
        "Kostnad 3: kostnaden är daterad utanför bidragsåret (2027-01-08)",
    ] in gap_rows
    assert [eve.id, "Nyårsfirande", None, "inte motiverad av en daterad post i lägesbilden"] == (
        gap_rows[[r[0] for r in gap_rows].index(eve.id)][:4]
    )


def test_the_card_shows_when_it_was_last_exported(demo, anna, held):
    assert demo.activities.get(anna, held.id, now=MONDAY).exported_at is None
    at = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    demo.evidence.activity_pack(anna, held.id, now=at)
    seen = demo.activities.get(anna, held.id, now=at)
    assert seen.exported_at == at
    assert seen.updated_at != at  # exporting is not a change of the activity


def test_documents_keep_their_own_date_and_move_only_with_a_reason(demo, anna, held, db):
    from bot.activities.documents import DocumentDraft
    from bot.errors import InvalidInput

    contract = DocumentDraft("avtal", "Avtal om tält och scen", date(2026, 11, 30), "KS 2026/118")
    with pytest.raises(InvalidInput) as future:  # not a print date next week
        demo.documents.add(
            anna, held.id, DocumentDraft("avtal", "Avtal", date(2026, 11, 30)), now=MONDAY
        )
    assert future.value.field == "date"
    signed = demo.documents.add(anna, held.id, contract, now=datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert (signed.document_date, signed.created_at) == (
        date(2026, 11, 30),
        datetime(2026, 12, 2, 9, tzinfo=UTC),
    )
    other = demo.activities.create(anna, draft(demo, anna, title="Luciatåg"), now=MONDAY)
    with pytest.raises(InvalidInput):
        demo.documents.move(anna, signed.id, other.id, "", now=MONDAY)
    moved = demo.documents.move(anna, signed.id, other.id, "Fel aktivitet", now=MONDAY)
    assert moved.activity_id == other.id
    pack = demo.evidence.activity_pack(anna, other.id, now=datetime(2027, 1, 11, 9, tzinfo=UTC))
    assert [d.title for d in pack.activity.documents] == ["Avtal om tält och scen"]
    assert pack.drift == ()
    assert "document.moved" in [e.action for e in pack.events]
    book = load_workbook(BytesIO(documents.evidence_xlsx(pack)))
    [row] = rows_of(book["Dokument"])[1:]
    assert row[1:6] == [
        "avtal",
        "Avtal om tält och scen",
        datetime(2026, 11, 30),  # a date cell: signed on its own date
        "KS 2026/118",
        datetime(2026, 12, 2, 10, 0),
    ]
    said = [r[3] for r in rows_of(book["Granskningslogg"])[1:]]
    assert "Dokument flyttat från aktivitet 1 till aktivitet 2: Fel aktivitet" in said
    # the market it was first filed under still shows the move in its own log
    first = demo.evidence.activity_pack(anna, held.id, now=datetime(2027, 1, 11, 9, tzinfo=UTC))
    assert "document.moved" in [e.action for e in first.events]
    assert first.activity.documents == ()
    assert [(m.from_activity, m.to_activity, m.reason) for m in first.moves] == [
        (held.id, other.id, "Fel aktivitet")
    ]


def test_the_pdf_keeps_every_character_people_type(demo, anna):
    title = "Lucia – ljuståg ”Fittja lyser” → centrum"
    activity = demo.activities.create(anna, draft(demo, anna, title=title), now=MONDAY)
    pack = demo.evidence.activity_pack(anna, activity.id, now=MONDAY + timedelta(hours=1))
    body = " ".join(p.extract_text() for p in PdfReader(BytesIO(evidence_pdf(pack))).pages)
    assert title in body.replace("\n", " ")


def test_the_export_service_names_the_files_and_reads_the_number(demo, anna, held):
    at = datetime(2027, 1, 11, 9, 5, tzinfo=UTC)
    pdf, xlsx = demo.exports.activity(anna, f"#{held.id}", now=at)
    stem = f"aktivitet-{held.id}-20270111-0905"
    assert (pdf.filename, xlsx.filename) == (f"{stem}.pdf", f"{stem}.xlsx")
    assert pdf.title == xlsx.title == f"underlag för aktivitet #{held.id} {held.title}"
    assert pdf.content.startswith(b"%PDF") and zipfile.is_zipfile(BytesIO(xlsx.content))
    [grant] = demo.exports.grant(anna, "2026", now=at)
    assert (grant.filename, grant.title) == ("bidrag-2026-20270111-0905.xlsx", "Bidragsår 2026")
    assert load_workbook(BytesIO(grant.content)).sheetnames[0] == "Sammanställning"
    for export, words in ((demo.exports.activity, "sjutton"), (demo.exports.grant, "²")):
        with pytest.raises(InvalidInput):
            export(anna, words, now=at)


def test_the_pdf_keeps_labels_and_values_apart(demo, anna, held):
    """Read where the text is drawn: every label in its column, every value in the next, so a
    long label ("Kedjans hash efter denna export") wraps instead of running over its value."""
    pack = demo.evidence.activity_pack(anna, held.id, now=datetime(2027, 1, 11, 9, tzinfo=UTC))
    drawn: list[tuple[float, str]] = []

    def seen(text, _cm, tm, _font, _size):
        if text.strip():
            drawn.append((tm[4], text.strip()))

    reader = PdfReader(BytesIO(evidence_pdf(pack)))
    for page in reader.pages:
        page.extract_text(visitor_text=seen)
    value_column = (15 + 58) * 72 / 25.4  # the left margin and the labels' 58 mm, in points
    labels = [
        x for x, t in drawn if t.startswith(("Kedjans hash", "Posterna stämmer", "Innehållet"))
    ]
    values = [x for x, t in drawn if t.startswith((pack.chain_head[:20], "EST Botkyrka, 2026"))]
    assert labels and values
    assert all(x < value_column - 10 for x in labels)
    assert all(value_column - 1 <= x <= value_column + 5 for x in values)
    title = next(x for x, t in drawn if t.startswith("Bevispaket"))
    assert abs(title - 16 * 72 / 25.4) < 0.5  # left-aligned: the margin and a cell's 1 mm
