"""What a user typed shows as typed inside the bot's own mrkdwn: no mention, no link, no
formatting (Slack has no backslash escape; handlers.text.escape puts word joiners around
`*`, `_`, `~` and backticks, so mrkdwn reads each inside a word and leaves it alone)."""

from __future__ import annotations

import json

import pytest

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from handlers.local import slack_requests as sr
from handlers.local.render import render_message
from handlers.text import escape, paragraphs, shorten, strip_controls
from tests.handlers.conftest import SECRET, Edge, _now

WJ = "\u2060"


def test_formatting_characters_stand_between_word_joiners() -> None:
    assert escape("*Inj11 *fet* `kod`*") == (
        f"{WJ}*{WJ}Inj11 {WJ}*{WJ}fet{WJ}*{WJ} {WJ}`{WJ}kod{WJ}`{WJ}{WJ}*{WJ}"
    )
    assert escape("_kursiv_ ~struken~ ```block```") == (
        f"{WJ}_{WJ}kursiv{WJ}_{WJ} {WJ}~{WJ}struken{WJ}~{WJ} "
        f"{WJ}`{WJ}{WJ}`{WJ}{WJ}`{WJ}block{WJ}`{WJ}{WJ}`{WJ}{WJ}`{WJ}"
    )


def test_mentions_links_and_quotes_stay_literal_and_pasted_links_whole() -> None:
    assert escape("<!channel> & <https://evil|Polisen>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil|Polisen&gt;"
    )
    assert escape("> citat\nrad > inte") == f"{WJ}&gt; citat\nrad &gt; inte"
    assert (
        escape("se https://x.se/a_b*c och _d_") == f"se https://x.se/a_b*c och {WJ}_{WJ}d{WJ}_{WJ}"
    )


def test_joiners_pasted_back_are_removed_from_what_people_send() -> None:
    assert strip_controls(f"Fittja{WJ} centrum {WJ}*{WJ}") == "Fittja centrum *"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Inj11 *fet* `kod`", f"Inj11 {WJ}*{WJ}fet{WJ}*{WJ} {WJ}`{WJ}kod{WJ}`{WJ}"),
        ("_Torget_ ~x~", f"{WJ}_{WJ}Torget{WJ}_{WJ} {WJ}~{WJ}x{WJ}~{WJ}"),
    ],
)
def test_a_place_named_with_formatting_is_confirmed_as_typed(
    edge: Edge, typed: str, shown: str
) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    req = sr.slash_command(
        f"plats ny {typed}; Fittja; torg",
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0ANNA",
    )

    status, body = edge.post(req)

    assert status == 200
    answer = json.loads(body)
    said = answer["blocks"][0]["text"]["text"]
    assert said.startswith(f"*{shown}* (Fittja)")  # the bot's bold wraps the name, whole
    assert render_message(answer).startswith(f"{typed} (Fittja)")  # the console shows it typed


def test_long_lists_go_on_in_further_sections_and_long_text_is_cut_after_a_word() -> None:
    assert paragraphs(["a" * 2000, "b" * 999, "c"]) == ["a" * 2000 + "\n" + "b" * 999, "c"]
    assert paragraphs(["x" * 3001]) == ["x" * 2999 + "…"]
    assert paragraphs([]) == []
    assert shorten("ett två tre", 8) == "ett två…"
    assert shorten("ettlångtord", 5) == "ettl…"
    assert shorten("kort", 5) == "kort"
