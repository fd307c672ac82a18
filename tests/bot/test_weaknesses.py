"""The weaknesses an auditor would find, the same in the evidence pack and the grant report;
and a payment to an association recognised whatever box was ticked."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from bot.activities.associations import association_number, named_like_association
from bot.activities.evidence_pdf import evidence_pdf
from bot.activities.grant_xlsx import grant_xlsx
from bot.activities.service import FollowUp
from bot.errors import InvalidInput
from tests.bot.test_activities import MONDAY, draft
from tests.bot.test_evidence import cost

AFTER = datetime(2026, 12, 13, 9, 0, tzinfo=UTC)  # the day after the market
EXPORTED = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("number", "association"),
    [("802400-1235", True), ("8024001235", True), ("202100-0076", False), ("", False)],
)
def test_an_association_is_known_by_its_number(number, association):
    assert association_number(number) is association


@pytest.mark.parametrize(
    ("supplier", "association"),
    [
        ("Fittja ungdomsförening", True),
        ("Norsborg FC", True),
        ("Hallunda IF", True),
        ("Scoutkåren Tumba", True),
        ("IKEA Kungens kurva", False),  # "IK" only as a word
        ("Polismyndigheten", False),
    ],
)
def test_an_association_is_known_by_its_name(supplier, association):
    assert named_like_association(supplier) is association


def test_the_association_rule_cannot_be_sidestepped_by_leaving_the_box(demo, anna):
    activity = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    with pytest.raises(InvalidInput) as refused:  # box left empty, named as a club, no number
        demo.costs.add(
            anna,
            activity.id,
            cost(supplier="Hallunda IF", supplier_org_number="", to_association=False),
            now=MONDAY,
        )
    assert refused.value.field == "org_number"
    numbered = demo.costs.add(  # box left empty, a non-profit's number: kept as an association
        anna,
        activity.id,
        cost(supplier="Fittjapulsen", supplier_org_number="802400-1235", to_association=False),
        now=MONDAY,
    )
    assert numbered.to_association and numbered.association and numbered.gaps == ()


def test_every_weakness_is_listed_in_the_pack_and_the_grant_report(demo, anna, db):
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)  # not motivated
    lucia = demo.activities.create(anna, draft(demo, anna, title="Luciatåg"), now=MONDAY)
    demo.costs.add(anna, market.id, cost(invoice_number=""), now=MONDAY)  # cost 1
    paid = demo.costs.add(  # cost 2: its number is cleared afterwards, as an old row would be
        anna,
        market.id,
        cost(supplier="Fittja ungdomsförening", supplier_org_number="802400-1235"),
        now=MONDAY,
    )
    moved = demo.costs.add(anna, lucia.id, cost(amount="900"), now=MONDAY)  # cost 3
    demo.costs.move(anna, moved.id, market.id, "Fakturan gällde julmarknaden", now=MONDAY)
    demo.activities.follow_up(
        anna,
        market.id,
        FollowUp({"vuxna": 300}, "uppskattat", 0, "Lugnare i centrum"),
        now=AFTER,
    )
    with db.engine.begin() as conn:  # saved before the rule, or behind the bot's back
        conn.execute(
            text(
                "UPDATE activity_cost SET supplier_org_number = NULL, to_association = :f "
                "WHERE id = :id"
            ),
            {"f": False, "id": paid.id},
        )

    # on the 13th no week after the market has passed: the effect has no counts yet
    early = demo.evidence.activity_pack(anna, market.id, now=AFTER)
    said = [(g.kind, g.cost_id) for g in early.gaps]
    assert said == [
        ("unmotivated", None),
        ("estimated", None),
        ("anecdotal", None),
        ("no_invoice", 1),
        ("association", 2),
        ("moved", 3),
    ]
    pdf = " ".join(p.extract_text() for p in PdfReader(BytesIO(evidence_pdf(early))).pages)
    pdf = pdf.replace("\n", " ")
    for line in (
        "Aktivitet 1: inte motiverad av en daterad post i lägesbilden",
        "Aktivitet 1: deltagarantalet är uppskattat, inte räknat (300)",
        "Aktivitet 1: effekten beskrivs bara i ord, utan räkning av händelser före och efter",
        "Kostnad 1: kostnad utan fakturanummer (Polismyndigheten)",
        "Kostnad 2: betalning till förening utan organisationsnummer (Fittja ungdomsförening)",
        "Kostnad 3: flyttad från aktivitet 2: Fakturan gällde julmarknaden",
    ):
        assert line in pdf, line
    # the weaknesses come first: before the activity's own fields
    assert pdf.index("Brister") < pdf.index("Kostnad 1: kostnad utan") < pdf.index("Målgrupp")

    report = demo.evidence.grant_report(anna, 2026, now=EXPORTED)
    ours = [(g.kind, g.activity_id, g.cost_id) for g in report.gaps]
    assert ours == [  # by now the before/after weeks have passed: the effect is counted
        ("unmotivated", market.id, None),
        ("estimated", market.id, None),
        ("no_invoice", market.id, 1),
        ("association", market.id, 2),
        ("moved", market.id, 3),
        ("unmotivated", lucia.id, None),
        ("no_follow_up", lucia.id, None),
    ]
    book = load_workbook(BytesIO(grant_xlsx(report)))
    rows = [list(r) for r in book["Brister"].iter_rows(values_only=True)][1:]
    assert rows[4] == [
        market.id,
        "Julmarknad i Fittja centrum",
        3,
        "kostnaden flyttad mellan aktiviteter",
        "Kostnad 3: flyttad från aktivitet 2: Fakturan gällde julmarknaden",
    ]
    per_activity = {r[0]: r for r in book["Aktiviteter"].iter_rows(values_only=True)}
    assert per_activity[market.id][11] == 5 and per_activity[lucia.id][11] == 2
    # 1 740 + 1 740 + 900: the moved cost counts where it now belongs
    assert per_activity[market.id][10] == 4380 and per_activity[lucia.id][10] == 0


def test_a_grant_year_with_nothing_in_it_says_so_under_each_header(demo, anna):
    """A reader never meets a bare header row: an empty year's sheets say what is missing."""
    report = demo.evidence.grant_report(anna, 2031, now=datetime(2031, 3, 1, tzinfo=UTC))
    book = load_workbook(BytesIO(grant_xlsx(report)))
    sources = book["Per finansieringskälla"]
    assert [c.value for c in sources[2]][:1] == ["Inget registrerat för bidragsår 2031."]
    assert book["Kostnader"]["A2"].value == "Inget registrerat för bidragsår 2031."
    assert book["Brister"]["A2"].value == "Inga brister funna."
