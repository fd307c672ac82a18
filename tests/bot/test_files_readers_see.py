"""Every file the bot hands people, opened as its reader opens it: no Slack user id, no event
name of the bot's, no column name of its database, wherever a person would read it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.actions.service import ActionDraft
from bot.demo.activities import load_demo_activities
from bot.exports.formats import ExportFile
from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from tests.bot.test_activities import MONDAY, draft
from tests.bot.test_analysis import draft as analysis_draft
from tests.bot.test_evidence import cost

SLACK_ID = re.compile(r"\b[UW](?=[A-Z0-9]*\d)[A-Z0-9]{5,}\b")
EVENT_NAME = re.compile(
    r"\b(activity|cost|document|incident|grant|allocation|export|member|group|action|place)"
    r"\.[a-z_]+\b"
)
DEVELOPER_WORDS = re.compile(
    r"activity_\w+|\w+_ore\b|\w+_id\b|\bNone\b|\bTrue\b|\bFalse\b|servertid|server time|#\d"
)
EXPORTED = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)


def text_of(file: ExportFile) -> str:
    """What a reader sees: the PDF's text, every XLSX cell, the CSV's fields."""
    if file.filename.endswith(".pdf"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(file.content)).pages)
    if file.filename.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(file.content))
        cells = [
            *book.sheetnames,
            *(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v),
        ]
        return "\n".join(cells)
    assert file.filename.endswith(".csv")
    rows = csv.reader(io.StringIO(file.content.decode("utf-8-sig")), delimiter=";")
    return "\n".join(";".join(r) for r in rows)


def everything(demo, anna) -> list[ExportFile]:
    """A year's work: incidents, an action, the demo's activities and one with every kind of
    cost, moved and all; then every export there is."""
    load_demo_activities(demo, now=MONDAY)
    demo.incidents.log(
        anna,
        parse_quick("Fittja centrum; narkotikaförsäljning; Försäljning; 2026-11-15 21:30"),
        now=MONDAY,
    )
    demo.actions.create(
        anna, ActionDraft("Belysning vid entrén", "U0ERIK", date(2026, 12, 1)), now=MONDAY
    )
    analysis = demo.analyses.create(anna, analysis_draft(), now=MONDAY)  # the annual lägesbild's
    demo.reports.save(
        anna,
        [EntryDraft(analysis.place_id, "oroligt", "sämre", "Försäljning vid entrén")],
        now=MONDAY,
    )
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    other = demo.activities.create(anna, draft(demo, anna, title="Luciatåg"), now=MONDAY)
    moved = demo.costs.add(anna, other.id, cost(invoice_number=""), now=MONDAY)
    demo.costs.move(anna, moved.id, market.id, "Fel aktivitet", now=MONDAY)
    files = [
        *demo.exports.incidents(anna, "i år", now=MONDAY + timedelta(days=1)),
        *demo.exports.yearly_picture(anna, "2026", now=EXPORTED - timedelta(days=30)),
        *demo.exports.grant(anna, "2026", now=EXPORTED),
        *demo.exports.grant(anna, "2025", now=EXPORTED),
    ]
    report = demo.evidence.grant_report(anna, 2025, now=EXPORTED)
    for activity_id in [a.id for a in report.activities] + [market.id, other.id]:
        files += demo.exports.activity(anna, str(activity_id), now=EXPORTED)
    return files


def test_no_file_carries_a_slack_id_an_event_name_or_a_developer_word(demo, anna):
    files = everything(demo, anna)
    kinds = {f.filename.rsplit(".", 1)[1] for f in files}
    assert kinds == {"csv", "xlsx", "pdf"} and len(files) >= 20
    for file in files:
        seen = text_of(file)
        assert seen.strip(), file.filename
        assert SLACK_ID.findall(seen) == [], file.filename
        assert EVENT_NAME.findall(seen) == [], file.filename
        assert DEVELOPER_WORDS.findall(seen) == [], file.filename


def test_the_people_in_the_files_are_named(demo, anna):
    files = {f.filename: text_of(f) for f in everything(demo, anna)}
    lagesbild = next(t for name, t in files.items() if name == "lagesbild-2026.xlsx")
    assert "Erik Johansson" in lagesbild  # the action's ansvarig
    annual = next(t for name, t in files.items() if name == "lagesbild-2026.pdf")
    assert "Orsaksanalys" in annual and "Anna Lindqvist" not in annual  # places, not people
    assert "Öppen narkotikaförsäljning vid tunnelbaneuppgången" in " ".join(annual.split())
    packs = "\n".join(t for name, t in files.items() if name.startswith("aktivitet-"))
    assert "Anna Lindqvist" in packs and "Omar Hassan" in packs and "Sara Ahmed" in packs
