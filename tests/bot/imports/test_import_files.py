"""Importing incidents from CSV and XLSX files, on SQLite and PostgreSQL: what is read, what is
refused and why, and that the same file twice adds nothing."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import col, select

from bot.errors import InvalidInput
from bot.i18n import translator
from bot.incidents.imports import reading
from bot.incidents.imports.report import render
from bot.incidents.imports.service import ImportRequest
from storage.models import AuditEvent, Category, Incident, IncidentVersion, Organisation, Place
from tests.conftest import NOW, session_of

GROUP = "EST Botkyrka"
SV = translator("sv")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(services, path: Path, *, dry_run: bool = False, **kw):
    request = ImportRequest(path, **kw)
    return services.imports.import_file(GROUP, request, dry_run=dry_run, now=NOW)


def stored(services) -> list[tuple[str, str, datetime, str, str, str | None]]:
    with services.db.unit_of_work(read_only=True) as uow:
        s = session_of(uow)
        rows = s.exec(
            select(Incident, Place, Category, Organisation)
            .join(Place, col(Place.id) == Incident.place_id)
            .join(Category, col(Category.id) == Incident.category_id)
            .join(Organisation, col(Organisation.id) == Incident.organisation_id)
            .order_by(col(Incident.id))
        ).all()
        return [
            (p.name, c.key, i.occurred_at, i.description, o.name, i.import_source)
            for i, p, c, o in rows
        ]


CSV = (
    "Plats;Brottstyp;Datum;Klockslag;Händelse;Organisation;Ärendenr\n"
    "Fittja C;narkotikaförsäljning;2026-11-03;21:30;Försäljning vid entrén;Botkyrkabyggen;K-1\n"
    ";;;;;;\n"
    "Karsby IP;Lustgas;2026-07-15;23:05;Patroner på läktaren;Botkyrka kommun;K-2\n"
)


def test_a_csv_file_is_imported_with_places_times_and_categories_understood(demo, tmp_path):
    path = write(tmp_path, "bovärdar.csv", "\ufeff" + CSV)
    report = run(demo, path, source="Botkyrkabyggen störningsrapporter")
    assert (report.read, report.imported, report.duplicates, report.empty) == (2, 2, 0, 1)
    assert report.refused == ()
    assert report.ignored == ("Ärendenr",)  # never stored
    # 21:30 in Stockholm in November (UTC+1) is 20:30 UTC; 23:05 in July (UTC+2) is 21:05 UTC
    assert stored(demo) == [
        ("Fittja centrum", "narkotikaforsaljning", datetime(2026, 11, 3, 20, 30, tzinfo=UTC),
         "Försäljning vid entrén", "Botkyrkabyggen", "Botkyrkabyggen störningsrapporter"),
        ("Kårsby IP", "lustgas", datetime(2026, 7, 15, 21, 5, tzinfo=UTC),
         "Patroner på läktaren", "Botkyrka kommun", "Botkyrkabyggen störningsrapporter"),
    ]  # fmt: skip
    lines = render(report, SV)
    source = "källa ”Botkyrkabyggen störningsrapporter”."
    assert lines[0] == f"”bovärdar.csv” (CSV, UTF-8 (BOM), semikolon), {source}"


def test_the_same_file_twice_adds_nothing_and_each_incident_has_its_first_version(demo, tmp_path):
    path = write(tmp_path, "a.csv", CSV)
    run(demo, path)
    again = run(demo, path, source="another label")
    assert (again.read, again.imported, again.duplicates) == (2, 0, 2)
    assert len(stored(demo)) == 2
    with demo.db.unit_of_work(read_only=True) as uow:
        versions = session_of(uow).exec(select(IncidentVersion)).all()
        events = (
            session_of(uow)
            .exec(select(AuditEvent).where(AuditEvent.action == "incident.imported"))
            .all()
        )
    assert [(v.version, v.content["description"]) for v in versions] == [
        (1, "Försäljning vid entrén"),
        (1, "Patroner på läktaren"),
    ]
    assert len(events) == 1 and events[0].after["rows"] == 2  # the rerun wrote no event
    assert demo.audit.verify().ok


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "cp1252"), ("\t", "utf-8"), (";", "cp1252")]
)
def test_delimiters_and_windows_1252_with_english_headers(demo, tmp_path, delimiter, encoding):
    rows = [
        ["Place", "Category", "Time", "Description"],
        ["Albys hjärta", "skadegörelse", "2026-10-01 08:15", "Fönster krossat, åter"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)  # quotes the cell with a comma
    text = buffer.getvalue()
    path = write(tmp_path, "police.csv", text, encoding)
    report = run(demo, path, organisation="Polisen lokalpolisområde Botkyrka")
    assert report.imported == 1
    assert report.delimiter == delimiter
    assert report.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8")
    assert stored(demo)[0][3] == "Fönster krossat, åter"  # the å read right either way


def test_broken_encoding_is_refused_and_nothing_is_stored(demo, tmp_path):
    good = (
        "Plats;Kategori;Tid;Händelse\nFittja centrum;narkotikaförsäljning;2026-11-03 21:30;x\n"
    ).encode()
    broken = good + "Albys hjärta;brand;2026-11-04 21:30;y\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(broken)
    with pytest.raises(InvalidInput) as caught:
        run(demo, path)
    assert "rad 3" in SV.render(caught.value.message)
    assert stored(demo) == []


def test_rows_refused_by_number_with_the_reason_and_suggestions(demo, tmp_path):
    text = (
        "plats;kategori;tid;beskrivning\n"
        "Fittja centrum;narkotikaförsäljning;2026-11-03 21:30;"
        "Ring 070-123 45 67 om det händer igen\n"
        "Fittja bibliotek;narkotikaförsäljning;2026-11-03 21:30;x\n"
        "Fittja centrum;kaffe;2026-11-03 21:30;y\n"
        "Fittja centrum;narkotikaförsäljning;2026-12-24 21:30;i framtiden\n"
        "Fittja centrum;narkotikaförsäljning;;ingen tid\n"
        "Fittja centrum;narkotikaförsäljning;2026-11-03 21:30;den här går bra\n"
    )
    report = run(demo, write(tmp_path, "r.csv", text), organisation="Botkyrkabyggen")
    assert report.imported == 1
    reasons = {r.row: (r.kind, SV.render(r.reason)) for r in report.refused}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert reasons[2][0] == "personal" and "telefonnummer" in reasons[2][1]
    assert reasons[3][0] == "place"
    text, rows, suggestions = report.unknown("place")[0]
    assert (text, rows) == ("Fittja bibliotek", 1)
    assert suggestions and all(s.startswith(("Fittja", "Hallunda bibliotek")) for s in suggestions)
    assert reasons[4][0] == "category"
    assert reasons[5][0] == "time" and "24 december" in reasons[5][1]
    assert reasons[6] == ("time", "ingen tid angiven")
    assert [r[3] for r in stored(demo)] == ["den här går bra"]
    assert not any("070" in r[3] for r in stored(demo))


def test_a_dry_run_reports_and_stores_nothing(demo, tmp_path):
    report = run(demo, write(tmp_path, "a.csv", CSV), dry_run=True)
    assert (report.imported, report.dry_run) == (2, True)
    assert stored(demo) == []
    assert render(report, SV)[0].startswith("Provkörning (inget sparades): ")


def test_columns_named_with_map_and_missing_columns_explained(demo, tmp_path):
    text = "Adress;Brottskod;När\nFittja torg;klotter;2026-11-01 12:00\n"
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(InvalidInput) as caught:
        run(demo, path, organisation="Botkyrkabyggen")
    message = SV.render(caught.value.message)
    assert "kategori, tid" in message and "”Brottskod”" in message
    report = run(demo, path, organisation="Botkyrkabyggen", columns="Brottskod=kategori,När=tid")
    assert report.imported == 1
    assert stored(demo)[0][:2] == ("Fittja torg", "klotter")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(demo, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"plats;kategori;tid\n")
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InvalidInput) as caught:
        run(demo, path)
    assert "50,0 MB; högst 30 MB" in SV.render(caught.value.message)


def test_too_many_rows_stores_nothing(demo, tmp_path, monkeypatch):
    monkeypatch.setattr("bot.incidents.imports.service.MAX_ROWS", 2)
    text = CSV + "Fittja torg;klotter;2026-11-01;12:00;z;Botkyrkabyggen;K-3\n"
    with pytest.raises(InvalidInput) as caught:
        run(demo, write(tmp_path, "many.csv", text))
    assert "fler än 2 rader" in SV.render(caught.value.message)
    assert stored(demo) == []


def _with_cached_values(path: Path, cached: dict[str, str]) -> None:
    """openpyxl writes formulas without the value Excel saves beside them; add it, as Excel
    would (`<c r="C2"><f>…</f><v>…</v></c>`)."""
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    xml = files["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        xml = re.sub(
            rf'(<c r="{ref}"[^>]*?)( t="[a-z]+")?>(<f>[^<]*</f>)<v\s*/?>(</v>)?',
            rf'\1 t="str">\3<v>{value}</v>',
            xml,
        )
    files["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_xlsx_with_merged_cells_formulas_and_real_dates(demo, tmp_path):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Plats", "Kategori", "Tid", "Beskrivning", "Organisation"])
    sheet.append(
        ["Hallunda centrum", "lustgas", datetime(2026, 11, 2, 22, 0), "a", "Botkyrkabyggen"]
    )
    sheet.append([None, "lustgas", datetime(2026, 11, 3, 22, 0), "b", "Botkyrkabyggen"])
    sheet.append([None, "brand", datetime(2026, 11, 4, 22, 0), '="c"&"d"', "Botkyrkabyggen"])
    sheet.append(
        ["Tumba station", "klotter", datetime(2026, 11, 5, 9, 0), "=1+1", "Botkyrkabyggen"]
    )
    sheet.append([None, None, None, None, None])
    sheet.merge_cells("A2:A4")  # one place for three rows, as people lay out a sheet
    path = tmp_path / "polisen.xlsx"
    book.save(path)
    _with_cached_values(path, {"D4": "cd"})  # D5's formula has no saved value
    report = run(demo, path)
    assert report.kind == "xlsx" and report.merged == ("A2:A4",)
    assert (report.read, report.imported, report.empty) == (4, 3, 1)
    assert [(r.row, r.kind) for r in report.refused] == [(5, "cell")]
    assert "formel" in SV.render(report.refused[0].reason)
    assert [(r[0], r[2], r[3]) for r in stored(demo)] == [
        ("Hallunda centrum", datetime(2026, 11, 2, 21, 0, tzinfo=UTC), "a"),
        ("Hallunda centrum", datetime(2026, 11, 3, 21, 0, tzinfo=UTC), "b"),
        ("Hallunda centrum", datetime(2026, 11, 4, 21, 0, tzinfo=UTC), "cd"),
    ]


def test_the_delimiter_is_the_one_the_header_has_most_of():
    assert reading.sniff_delimiter("plats;kategori;tid, klockslag") == ";"
    assert reading.sniff_delimiter("place,category,time") == ","
    assert reading.sniff_delimiter("place\tcategory\ttime;x") == "\t"
    assert reading.sniff_delimiter("plats") == ";"


def test_without_an_organisation_column_the_reporter_must_be_named(demo, tmp_path):
    path = write(tmp_path, "o.csv", "plats;kategori;tid\nFittja torg;klotter;2026-11-01 12:00\n")
    with pytest.raises(InvalidInput) as caught:
        run(demo, path)
    assert "--organisation, en av ”Botkyrka kommun”" in SV.render(caught.value.message)
    assert stored(demo) == []
    assert run(demo, path, organisation="botkyrkabyggen").imported == 1  # case aside


def test_rows_another_import_stored_meanwhile_are_not_stored_twice(demo, tmp_path, monkeypatch):
    path = write(tmp_path, "a.csv", CSV)
    run(demo, write(tmp_path, "first.csv", CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n"))
    # as if the first import committed between this one's reading and its writing: the check
    # made while reading finds nothing; the one after the refused write is the real one
    from storage.imports import ImportRepository

    real, calls = ImportRepository.known, []

    def first_blind(self, group_id, fingerprints):
        calls.append(len(fingerprints))
        return set() if len(calls) == 1 else real(self, group_id, fingerprints)

    monkeypatch.setattr(ImportRepository, "known", first_blind)
    report = run(demo, path)
    assert calls == [2, 2]
    assert (report.imported, report.duplicates) == (1, 1)
    assert [r[3] for r in stored(demo)] == ["Försäljning vid entrén", "Patroner på läktaren"]


def test_xlsx_without_formulas_is_read_by_calamine_alone(demo, tmp_path, monkeypatch):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Plats", "Kategori", "Datum", "Klockslag", "Organisation"])
    sheet.append(["Tumba station", "klotter", datetime(2026, 11, 5), "09:30", "Botkyrkabyggen"])
    path = tmp_path / "plain.xlsx"
    book.save(path)
    import openpyxl

    opened: list[bool] = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        opened.append(kwargs.get("data_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    report = run(demo, path)
    assert opened == []  # no formula to look for: openpyxl is not opened at all
    assert report.imported == 1
    # 5 November 09:30 in Stockholm (UTC+1) is 08:30 UTC; the date cell and the clock text
    assert stored(demo)[0][:3] == (
        "Tumba station",
        "klotter",
        datetime(2026, 11, 5, 8, 30, tzinfo=UTC),
    )


def test_an_imported_incidents_first_version_reads_as_one_logged_in_slack(demo, tmp_path):
    from bot.incidents.service import version_of

    run(demo, write(tmp_path, "a.csv", CSV))
    with demo.db.unit_of_work(read_only=True) as uow:
        s = session_of(uow)
        for incident in s.exec(select(Incident)).all():
            [stored_version] = s.exec(
                select(IncidentVersion).where(IncidentVersion.incident_id == incident.id)
            ).all()
            expected = version_of(incident, "cli:import", NOW)
            assert stored_version.content == expected.content
            assert (stored_version.changed_by, stored_version.version) == ("cli:import", 1)


def test_calamine_reads_a_sheet_as_openpyxl_would(tmp_path):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B2"] = "Plats"  # the header one row down and one column in
    sheet["C2"] = "Ärendenr"
    sheet["B3"] = "Tumba station"
    sheet["C3"] = 4711  # a whole number: 4711, not 4711.0
    sheet["D3"] = 2.5
    sheet["B4"] = "Fittja centrum"
    sheet["B5"] = "x"
    sheet.merge_cells("B5:C6")  # the value in all four cells it covers
    path = tmp_path / "plain.xlsx"
    book.save(path)
    read = reading.open_sheet(path)
    rows = list(read.rows)
    assert read.merged == ["B5:C6"]
    assert rows == [
        (1, [None, None, None, None]),
        (2, [None, "Plats", "Ärendenr", None]),
        (3, [None, "Tumba station", 4711, 2.5]),
        (4, [None, "Fittja centrum", None, None]),
        (5, [None, "x", "x", None]),
        (6, [None, "x", "x", None]),
    ]
    assert type(rows[2][1][2]) is int


def test_a_file_that_is_no_workbook_gets_a_plain_answer(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")
    with pytest.raises(InvalidInput) as caught:
        reading.open_sheet(path)
    assert "ingen läsbar XLSX-arbetsbok" in SV.render(caught.value.message)
    with zipfile.ZipFile(path, "w") as archive:  # a zip, but its sheet is no sheet
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>")
    with pytest.raises(InvalidInput) as caught:
        reading.open_sheet(path)
    assert "ingen läsbar XLSX-arbetsbok" in SV.render(caught.value.message)
