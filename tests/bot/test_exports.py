"""Exports: CSV as Swedish Excel reads it, XLSX, and the annual lägesbild, with hand-made data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.actions.service import ActionDraft
from bot.actors import Actor
from bot.errors import InvalidInput, NoGroupHere, UnknownName
from bot.exports.formats import Table, to_csv
from bot.exports.sheets import sheet_name
from bot.incidents.service import parse_quick
from storage.models import AuditEvent, PictureSnapshot
from tests.bot.conftest import as_user
from tests.conftest import session_of

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
JANUARY = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def rows_of(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def logged(demo, anna, erik):
    def log(text: str, at: datetime, who=anna) -> int:
        return demo.incidents.log(who, parse_quick(text), now=at).incident.id

    ids = {
        "march": log("Fittja centrum; lustgas; Patroner; 2026-03-10 21:00", NOW),
        "w47": log('Fittja centrum; narkotikaförsäljning; =HYPERLINK("x"); 2026-11-17 21:30', NOW),
        "w47_karsby": log("Kårsby IP; buskörning; Mopeder; 2026-11-18 20:00", NOW, erik),
        "w46": log("Fittja centrum; lustgas; Förra veckan; 2026-11-10 18:00", NOW),
        # registered in January, while 2025 was open; in November 2026 it no longer is
        "last_year": log("Fittja centrum; lustgas; I fjol; 2025-12-30 18:00", JANUARY),
    }
    gone = log("Fittja centrum; klotter; Fel; 2026-11-17 10:00", NOW)
    demo.incidents.delete(anna, gone, reason="dubblett", now=NOW)
    return ids


def test_incidents_of_a_week_at_a_place_as_csv_and_xlsx(demo, anna, logged):
    csv_file, xlsx_file = demo.exports.incidents(anna, "v47 Fittja centrum", now=NOW)
    assert csv_file.filename == "handelser-2026-11-16-2026-11-22-fittja-centrum.csv"
    header, *rows = rows_of(csv_file.content)
    assert header[:7] == ["Nr", "När", "Vecka", "Stadsdel", "Plats", "Kategori", "Beskrivning"]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (str(logged["w47"]), "2026-11-17 21:30", "47", "Fittja centrum")
    ]
    assert rows[0][6] == '\'=HYPERLINK("x")'  # never a formula
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).worksheets[0]
    assert sheet["A1"].value == "Nr" and sheet["A1"].font.b
    assert sheet["G2"].value == '=HYPERLINK("x")' and sheet["G2"].data_type == "s"
    # a real date cell in Stockholm's time, shown the ISO way; a frozen, filtered header
    assert sheet["B2"].value == datetime(2026, 11, 17, 21, 30)
    assert (sheet["B2"].data_type, sheet["B2"].number_format) == ("d", "yyyy-mm-dd hh:mm")
    assert sheet["J2"].value == datetime(2026, 11, 23, 10, 0)  # registered: NOW, 09:00 UTC
    assert sheet["C2"].value == 47 and sheet["C2"].data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K2"
    assert sheet.column_dimensions["B"].width == 18  # 16 characters of a time, and a margin


def test_every_incident_column_in_swedish_and_english(demo, anna, erik, logged):
    """The columns come from bot/incidents/columns.py: the full row of one incident, by hand."""
    (swedish, _x) = demo.exports.incidents(anna, "v47 Kårsby IP", now=NOW)
    header, row = rows_of(swedish.content)
    assert header == [
        "Nr",
        "När",
        "Vecka",
        "Stadsdel",
        "Plats",
        "Kategori",
        "Beskrivning",
        "Varaktighet",
        "Rapporterad av",
        "Registrerad",
        "Version",
    ]
    assert row == [
        str(logged["w47_karsby"]),
        "2026-11-18 20:00",
        "47",
        "Hallunda/Norsborg",
        "Kårsby IP",
        "Buskörning",
        "Mopeder",
        "",  # no persistence given
        "Polisen lokalpolisområde Botkyrka",  # Erik's organisation
        "2026-11-23 10:00",  # NOW, 09:00 UTC, in Stockholm
        "1",
    ]
    demo.groups.set_language(erik, "en", now=NOW)
    (english, _x) = demo.exports.incidents(as_user(demo, "U0ERIK"), "v47 Kårsby IP", now=NOW)
    header, row = rows_of(english.content)
    assert header[5:9] == ["Category", "Description", "Persistence", "Reported by"]
    assert row[5] == "Reckless driving"


def test_the_period_may_come_last_and_defaults_to_this_year(demo, anna, logged):
    (csv_file, _x) = demo.exports.incidents(anna, "Fittja centrum förra veckan", now=NOW)
    assert [r[0] for r in rows_of(csv_file.content)[1:]] == [str(logged["w47"])]  # NOW is in w48
    (whole_year, _x) = demo.exports.incidents(anna, "", now=NOW)
    expected = [logged[k] for k in ("march", "w46", "w47", "w47_karsby")]  # by time; no deleted
    assert [int(r[0]) for r in rows_of(whole_year.content)[1:]] == expected


def test_a_misspelt_place_is_answered_with_suggestions(demo, anna, logged):
    with pytest.raises(UnknownName) as raised:
        demo.exports.incidents(anna, "v47 Fitja", now=NOW)
    assert "Fittja centrum" in raised.value.suggestions


def test_only_members_export_and_every_export_is_audited(demo, anna, lena, logged):
    demo.exports.incidents(lena, "v47", now=NOW)  # readers (Brå) may take the data along
    with pytest.raises(NoGroupHere):
        demo.exports.incidents(Actor("T0EST", "U0X", "C0NONE"), "", now=NOW)
    with demo.db.unit_of_work(read_only=True) as uow:
        events = (
            session_of(uow)
            .exec(select(AuditEvent).where(AuditEvent.action == "export.created"))
            .all()
        )
    assert [(e.actor, e.after["kind"], e.after["rows"]) for e in events] == [
        ("U0BRA", "händelser", 2)
    ]


def test_csv_quotes_what_needs_quoting():
    content = to_csv(Table("t", ["a", "b"], [["x;y", 'sa "hej"'], [None, 3]]))
    assert content.decode("utf-8-sig") == 'a;b\r\n"x;y";"sa ""hej"""\r\n;3\r\n'


def test_the_annual_lagesbild_counts_per_place_and_month(demo, anna, erik, logged):
    demo.actions.create(
        anna, ActionDraft("Belysning vid entrén", "U0ERIK", date(2026, 12, 1)), now=NOW
    )
    group_id = anna.group.id
    with demo.db.unit_of_work() as uow:
        for week, level in ((45, "oroligt"), (46, "allvarligt"), (47, "oroligt")):
            content = {"places": [{"place": "Fittja centrum", "joint_level": level}]}
            session_of(uow).add(
                PictureSnapshot(
                    group_id=group_id,
                    iso_year=2026,
                    iso_week=week,
                    version=1,
                    content=content,
                    created_by="U0ANNA",
                    created_at=NOW,
                )
            )
        # week 47 was corrected: the later version counts
        session_of(uow).add(
            PictureSnapshot(
                group_id=group_id,
                iso_year=2026,
                iso_week=47,
                version=2,
                content={"places": [{"place": "Fittja centrum", "joint_level": "allvarligt"}]},
                created_by="U0ANNA",
                created_at=NOW + timedelta(hours=1),
            )
        )
    pdf, xlsx = demo.exports.yearly_picture(anna, "2026", now=NOW)
    assert pdf.filename == "lagesbild-2026.pdf" and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert all(len(name) <= 31 for name in book.sheetnames)  # short on purpose
    places = [[c.value for c in row] for row in book["Per plats och månad"].iter_rows()]
    assert places[0] == [
        "Plats",
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
        "Totalt",
    ]
    assert places[1] == ["Fittja centrum", 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3]
    assert places[2] == ["Kårsby IP", *[0] * 10, 1, 0, 1]
    assert places[3] == ["Totalt", 0, 0, 1, *[0] * 7, 3, 0, 4]
    levels = [[c.value for c in row] for row in book["Nivåer under året"].iter_rows()]
    # the highest level and the last week it was agreed, in words (week 47's later version)
    assert levels[1] == ["Fittja centrum", 2, 1, 0, "allvarligt, senast v. 47"]
    actions = [[c.value for c in row] for row in book["Åtgärder"].iter_rows()]
    assert actions[1][1:7] == [
        "Belysning vid entrén",
        None,  # no place
        "Erik Johansson",  # by name: a file cannot mention anyone
        "Polisen lokalpolisområde Botkyrka",  # the owner's organisation
        datetime(2026, 12, 1),  # a date cell
        "öppen",
    ]
    with pytest.raises(InvalidInput):
        demo.exports.yearly_picture(anna, "2030", now=NOW)


def test_a_restricted_incident_is_exported_without_its_text_to_other_organisations(
    demo, anna, erik
):
    assert anna.member.organisation.id != erik.member.organisation.id
    secret = "Tips om överlämning bakom hallen"
    draft = parse_quick(f"Kårsby IP; narkotikaförsäljning; {secret}; 2026-11-18 20:00; begränsad")
    assert draft.restricted
    demo.incidents.log(erik, draft, now=NOW)
    theirs, _x = demo.exports.incidents(anna, "v47", now=NOW)
    ours, _x = demo.exports.incidents(erik, "v47", now=NOW)
    [their_row] = rows_of(theirs.content)[1:]
    [our_row] = rows_of(ours.content)[1:]
    assert their_row[4] == "Kårsby IP" and secret not in theirs.content.decode("utf-8-sig")
    assert their_row[6].startswith("(begränsad")  # counted, and said why the text is missing
    assert our_row[6] == secret


def test_the_annual_lagesbild_lists_the_activities_of_the_year(demo, anna):
    from bot.activities.service import FollowUp
    from tests.bot.test_activities import MONDAY, draft

    before = demo.exports.yearly_picture(anna, "2026", now=NOW)[1]
    empty = load_workbook(io.BytesIO(before.content))["Aktiviteter"]
    assert [[c.value for c in row] for row in empty.iter_rows()][1:] == []  # a header only
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)  # Sat 12 Dec 11:00
    demo.activities.create(anna, draft(demo, anna, day=date(2027, 1, 16)), now=MONDAY)  # 2027
    later = datetime(2026, 12, 13, 9, 0, tzinfo=UTC)
    demo.activities.follow_up(anna, market.id, FollowUp({"vuxna": 320}, "räknat", 0, ""), now=later)
    _pdf, xlsx = demo.exports.yearly_picture(anna, "2026", now=later)
    sheet = load_workbook(io.BytesIO(xlsx.content))["Aktiviteter"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Nr", "Aktivitet", "Platser"]
    assert rows[1:] == [
        [
            market.id,
            "Julmarknad i Fittja centrum",
            "Fittja centrum",
            datetime(2026, 12, 12, 11, 0),  # a date cell, in Stockholm's time
            "genomförd",
            320,
            "räknat",
            "nej",  # planned without a dated record behind it
            None,  # no effect written
        ]
    ]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Händelser per kategori och månad", "Händelser per kategori och"),  # 32: cut at a word
        ("Kort namn", "Kort namn"),
        ("Nivåer: v. 1/2", "Nivåer v. 12"),  # characters Excel refuses are left out
        ("x" * 40, "x" * 31),  # one long word: cut at the limit
    ],
)
def test_a_sheet_name_fits_excel_and_is_cut_at_a_word(title, name):
    assert sheet_name(title) == name and len(name) <= 31
