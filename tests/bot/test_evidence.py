"""The evidence pack and the grant year report, rendered to real files and read back."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

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
        parse_quick("Fittja centrum; narkotika; Öppen försäljning; 2026-11-15 21:30"),
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
        "Motivering",
        "Kostnader",
        "Dokument",
        "Granskningslogg",
    ]
    info = {r[0]: r[1] for r in rows_of(book["Aktivitet"]) if r and r[0]}
    assert info["Innehållet avser"] == "#1 Julmarknad i Fittja centrum, 2026-12-12 11:00"
    assert info["Exporterad (servertid)"] == "2027-01-11 10:00"  # labelled apart from the content
    assert info["Deltagare totalt"] == 1000
    assert info["Räknemetod"] == "räknat"
    assert info["Kostnader totalt"] == "14 240,50 kr"  # 1 740,00 + 12 500,50, exact in öre
    [motivation] = rows_of(book["Motivering"])[1:]
    assert motivation[:4] == [
        "incident",
        1,
        "Fittja centrum",
        "2026-11-15 21:30 / 2026-11-16 10:00",  # happened, then saved: both for the auditor
    ]
    costs = rows_of(book["Kostnader"])[1:]
    assert [(c[2], c[5], c[7]) for c in costs] == [
        (1740.0, "202100-0076", "F-118"),
        (12500.5, "556036-0793", None),  # no invoice number: an empty cell
    ]
    assert costs[1][13] == "fakturanummer saknas"
    log = rows_of(book["Granskningslogg"])
    actions = [r[3] for r in log[1:] if r and isinstance(r[0], int)]
    assert actions[0] == "activity.created" and actions[-1] == "activity.exported"
    assert {"activity.motivated", "cost.created", "activity.followed_up"} <= set(actions)
    assert log[-3] == ["Kedjans hash efter denna export", pack.chain_head, None, None, None, None]
    assert log[-2][1] == f"obruten ({pack.chain.events} händelser)"
    assert pack.drift == () and log[-1][:2] == ["Posterna stämmer med granskningsloggen", "ja"]

    pdf = PdfReader(BytesIO(evidence_pdf(pack)))
    body = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Julmarknad i Fittja centrum",
        "Fittja centrum",
        "14 240,50 kr",
        "556036-0793",
        "Ingen öppen försäljning i centrum under dagen",
        "Exporterad (servertid)",
        pack.chain_head,
    ):
        assert expected in body.replace("\n", " ") or expected in body, expected


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
    assert rows_of(book["Granskningslogg"])[-2][1] == f"BRUTEN vid händelse {created.id}"


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
    assert rows_of(book["Granskningslogg"])[-1][1] == "NEJ: activity_cost #1: amount_ore"
    text_of_pdf = " ".join(p.extract_text() for p in PdfReader(BytesIO(evidence_pdf(pack))).pages)
    assert "NEJ: activity_cost #1: amount_ore" in text_of_pdf


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
        "Per källa och typ",
        "Aktiviteter",
        "Kostnader",
        "Brister",
    ]
    summary = rows_of(book["Sammanställning"])
    assert summary[0] == ["Innehållet avser", "Bidragsår 2026", None, None, None]
    assert ["statsbidrag", 100000, 17240.5, 82759.5, "S2026/01234"] in summary
    activities = rows_of(book["Aktiviteter"])
    assert activities[0][-1] == "Registrerat (servertid)"  # beside "Startar": when registered
    registered = {row[0]: row[-1] for row in activities[1:]}
    planned = demo.activities.get(anna, held.id, now=now).created_at
    assert registered[held.id] == planned.astimezone(ZoneInfo("Europe/Stockholm")).strftime(
        "%Y-%m-%d %H:%M"
    )
    by_kind = rows_of(book["Per källa och typ"])[1:]
    assert by_kind == [["statsbidrag", "evenemang", 17240.5]]
    gap_rows = rows_of(book["Brister"])[1:]
    assert ["kostnad daterad utanför året", eve.id, 3, "Nyårsfirande", "2027-01-08"] in gap_rows


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
        "2026-11-30",
        "KS 2026/118",
        "2026-12-02 10:00",
    ]
    # the market it was first filed under still shows the move in its own log
    first = demo.evidence.activity_pack(anna, held.id, now=datetime(2027, 1, 11, 9, tzinfo=UTC))
    assert "document.moved" in [e.action for e in first.events]
    assert first.activity.documents == ()


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
