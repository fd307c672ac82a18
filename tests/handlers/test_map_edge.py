"""The map as Slack reaches it: `/est lägesbild karta` uploads the week's lägesbild as a map
image into the channel; `/est plats koordinater` puts a place on the map (admins only)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from PIL import Image

from bot.demo.workspace import DEMO_CHANNEL
from bot.incidents.service import IncidentDraft
from tests.bot.conftest import as_user
from tests.conftest import NOW
from tests.handlers.conftest import Edge, demo_command

ANNA, ERIK = "U0ANNA", "U0ERIK"


def test_the_lagesbild_on_the_map_is_uploaded_to_the_channel(demo_edge: Edge):
    erik = as_user(demo_edge.services, ERIK)
    for _ in range(3):
        demo_edge.services.incidents.log(
            erik,
            IncidentDraft(
                "Fittja centrum",
                "narkotikaförsäljning",
                occurred_at=datetime(2026, 11, 19, 20, 0, tzinfo=UTC),
                allow_duplicate=True,
            ),
            now=NOW,
        )
    status, _body = demo_command(demo_edge, "lägesbild karta")
    assert status == 200
    [shared] = demo_edge.slack.files.values()
    assert shared.channel == DEMO_CHANNEL
    assert shared.name.startswith("lagesbild-2026-v") and shared.name.endswith("-karta.png")
    assert Image.open(BytesIO(shared.content)).size == (1080, 1080)
    assert shared.initial_comment is not None and "på kartan" in shared.initial_comment


def test_coordinates_quick_syntax_for_admins_only(demo_edge: Edge):
    _status, body = demo_command(demo_edge, "plats koordinater Fittja torg; 59,2481 17,8622", ANNA)
    assert "Fittja torg" in body and "59.24810, 17.86220" in body
    assert (
        demo_edge.services.places.resolve(as_user(demo_edge.services, ANNA), "Fittja torg").latitude
        == 59.2481
    )
    _status, body = demo_command(demo_edge, "plats koordinater Fittja torg; 48.85, 2.35", ANNA)
    assert "ligger inte i Sverige" in body
    _status, body = demo_command(demo_edge, "plats koordinater Fittja torg; 59.3, 17.9", ERIK)
    assert "administratör" in body
    assert (
        demo_edge.services.places.resolve(as_user(demo_edge.services, ANNA), "Fittja torg").latitude
        == 59.2481
    )


def test_the_period_analysis_on_the_map(demo_edge: Edge):
    erik = as_user(demo_edge.services, ERIK)
    demo_edge.services.incidents.log(
        erik,
        IncidentDraft("Albys hjärta", "brand", occurred_at=datetime(2026, 8, 5, 20, 0, tzinfo=UTC)),
        now=NOW,
    )
    status, _body = demo_command(demo_edge, "analys period kvartal 2026-Q3 karta")
    assert status == 200
    [shared] = demo_edge.slack.files.values()
    assert shared.name == "period-2026-Q3-karta.png"
    assert shared.initial_comment is not None and "på kartan" in shared.initial_comment
    assert Image.open(BytesIO(shared.content)).size == (1080, 1080)
