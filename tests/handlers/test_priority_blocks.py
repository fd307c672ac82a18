"""The priorities as Block Kit (pure): the form within Slack's limits, prefilled from what was
decided, and the lines on top of a lägesbild with what people typed escaped."""

from __future__ import annotations

import json
from datetime import date

from slack_sdk.models.views import View

from bot.analysis.periods import EstPeriod
from bot.analysis.priorities import MAX_ITEMS, PriorityStart
from bot.analysis.priority_views import Priorities, PriorityItem
from bot.i18n import translator
from bot.incidents.categories import IncidentCategory
from handlers.analysis.forms import priority_draft_from
from handlers.analysis.priority_blocks import build_priority_head, build_priority_modal
from handlers.ids import Action, Block
from handlers.local import slack_requests as sr

SV = translator("sv")
Q3 = EstPeriod("kvartal", 2026, 3)


def priorities(status: str = "fastställd", motivation: str = "Flest händelser") -> Priorities:
    item = PriorityItem(7, "Fittja centrum", "", "", "", motivation)
    return Priorities(1, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026-Q3", status,
                      (item,), 2, "U0ERIK", (2026, 47))  # fmt: skip


def start(*, decides: bool, current: Priorities | None = None) -> PriorityStart:
    categories = (IncidentCategory(1, "lustgas", "lustgas", "laughing gas", (), True),)
    places = tuple((i, f"Plats {i}") for i in range(1, 150))  # more than a menu holds
    return PriorityStart(Q3, Q3.after(), decides, None, (), categories, current, places)


def test_the_form_fits_slack_and_says_whether_it_decides_or_proposes():
    proposing = build_priority_modal(SV, start(decides=False), channel="C1")
    View(**proposing).to_dict()  # slack_sdk validates the limits
    assert proposing["submit"]["text"] == "Föreslå" and len(proposing["blocks"]) <= 100
    assert "nästa mötes dagordning" in json.dumps(proposing["blocks"], ensure_ascii=False)
    places = next(
        b for b in proposing["blocks"] if b.get("block_id") == f"{Block.PRIORITY_PLACE}_0"
    )
    assert len(places["element"]["options"]) == 100
    deciding = build_priority_modal(SV, start(decides=True, current=priorities()), channel="C1")
    assert deciding["submit"]["text"] == "Spara"
    first = next(b for b in deciding["blocks"] if b.get("block_id") == f"{Block.PRIORITY_PLACE}_0")
    assert first["element"]["initial_option"]["value"] == "7"
    assert json.loads(deciding["private_metadata"]) == {"c": "C1", "p": "2026-Q3"}


def test_the_form_reads_back_its_rows_in_order():
    view = build_priority_modal(SV, start(decides=True), channel="C1")
    view["state"] = {
        "values": sr.state_values(
            sr.select_value(f"{Block.PRIORITY_PLACE}_1", Action.PRIORITY_PLACE, "12"),
            sr.text_value(f"{Block.PRIORITY_MOTIVATION}_1", Action.PRIORITY_MOTIVATION, "Varför"),
            sr.select_value(f"{Block.PRIORITY_CATEGORY}_3", Action.PRIORITY_CATEGORY, "lustgas"),
        )
    }
    draft = priority_draft_from(view)
    assert draft.based_on == "2026-Q3" and len(draft.items) == MAX_ITEMS
    assert draft.items[1] == (12, "", "Varför") and draft.items[3] == (None, "lustgas", "")
    assert draft.items[0] == (None, "", "")


def test_the_head_escapes_what_was_typed_and_offers_the_proposals_button():
    typed = priorities("förslag", "<!channel> se <https://x.se|här>")
    blocks = build_priority_head(SV, [priorities()], [typed])
    said = json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in said and "&lt;!channel&gt;" in said
    assert "Prioriteringar kvartal 4 2026 (1 okt. – 31 dec.)*, fastställda vid mötet v. 47" in said
    assert blocks[-1]["elements"][0]["action_id"] == Action.OPEN_PRIORITIES
    assert build_priority_head(SV, [], []) == []


def test_the_form_names_the_periods_in_words_not_iso_dates():
    head = build_priority_modal(SV, start(decides=True), channel="C1")["blocks"][0]
    assert head["elements"][0]["text"] == (
        "Prioriteringar för *kvartal 4 2026 (1 okt. – 31 dec.)*, "
        "utifrån analysen av kvartal 3 2026."
    )
    english = build_priority_modal(translator("en"), start(decides=True), channel="C1")
    assert english["blocks"][0]["elements"][0]["text"] == (
        "Priorities for *quarter 4 2026 (1 Oct – 31 Dec)*, from the analysis of quarter 3 2026."
    )
