"""`/est export …` read into which export, without a database or Slack."""

from __future__ import annotations

import pytest

from handlers.exports.forms import Export, ExportRequest, export_command, usages
from handlers.exports.listeners import EXPORTERS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("händelser", ExportRequest(Export.INCIDENTS, "")),
        (
            "händelser november Fittja centrum",
            ExportRequest(Export.INCIDENTS, "november Fittja centrum"),
        ),
        ("Incidents  v46 ", ExportRequest(Export.INCIDENTS, "v46")),
        ("lagesbild 2026", ExportRequest(Export.PICTURE, "2026")),
        ("picture 2026", ExportRequest(Export.PICTURE, "2026")),
        ("aktivitet 17", ExportRequest(Export.ACTIVITY, "17")),
        ("activity #17", ExportRequest(Export.ACTIVITY, "#17")),
        ("bidrag 2026", ExportRequest(Export.GRANT, "2026")),
        ("GRANT 2026", ExportRequest(Export.GRANT, "2026")),
        ("analys tertial 2026-T2", ExportRequest(Export.ANALYSIS, "tertial 2026-T2")),
    ],
)
def test_the_first_word_picks_the_export(text: str, expected: ExportRequest):
    assert export_command(text) == expected


@pytest.mark.parametrize("text", ["", "allt", "händelse 2026", "aktiviteter 17"])
def test_no_export_named(text: str):
    assert export_command(text) is None


def test_every_export_has_an_exporter_and_a_usage():
    assert set(EXPORTERS) == set(Export)
    assert usages() == (
        "• `/est export händelser [period] [plats]`\n"
        "• `/est export lägesbild 2026`\n"
        "• `/est export aktivitet 17`\n"
        "• `/est export bidrag 2026`\n"
        "• `/est export analys [kvartal | tertial] [2026-Q3]`"
    )
