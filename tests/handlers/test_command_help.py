"""Help that teaches: every sub-command's own help, with its forms and two real examples, and
the sub-command's own words suggested first when one is nearly typed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

import handlers.commands.router
import handlers.errors
from bot.commandhelp import HELP, PERIOD_WORDS, SHORTCUT, closest_form
from bot.commands import SUBCOMMANDS, Sub, parse
from bot.demo.activities import load_demo_activities
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from handlers.local import slack_requests as sr
from handlers.local.render import render_message
from tests.handlers.conftest import SECRET, Edge

EXAMPLES = [(sub, example) for sub, taught in HELP.items() for example in taught.examples]
NEWCOMER = "U0NEWBIE"  # not yet in the group: the one who asks to join


def ask(edge: Edge, text: str, *, user: str = "U0ANNA") -> dict[str, Any]:
    req = sr.slash_command(
        text,
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id=user,
        response_url=edge.slack.response_url(),
    )
    status, body = edge.post(req)
    assert status == 200
    return json.loads(body) if body.startswith("{") else {}


def said(edge: Edge, answer: dict[str, Any]) -> str:
    """Everything the person was shown: the acknowledgement and what followed it."""
    shown = [render_message(answer)] if answer else []
    shown += [render_message(body) for _url, body in edge.slack.response_urls]
    return "\n".join(shown)


def test_every_sub_command_has_forms_and_two_examples_of_itself():
    assert set(HELP) == set(Sub) == set(SUBCOMMANDS)
    for sub, taught in HELP.items():
        assert taught.forms, sub
        assert len(set(taught.examples)) == 2, sub
        for example in taught.examples:
            assert parse(example).sub is sub, example


@pytest.mark.parametrize("word", ["hjälp", "help", "HJÄLP"])
def test_a_sub_commands_help_word_shows_its_own_help(edge: Edge, word: str):
    load_demo(edge.services.db, edge.services.groups, now=datetime.now(UTC))
    answer = ask(edge, f"aktivitet {word}")
    text = said(edge, answer)
    assert "plats" not in answer["text"] and "inte säker" not in text
    assert answer["text"] == "Hjälp för /est aktivitet"
    text = text.replace("`", "")  # the console shows code as typed
    for line in [
        "/est aktivitet",
        "Så skriver du",
        "• /est aktivitet flytta kostnad K till N <skäl> — en kostnad (eller dokument D) under "
        "fel aktivitet flyttas, med skälet",
        "• /est aktivitet anslag ÅR KÄLLA BELOPP [diarienummer] — anslagna pengar för ett år "
        "från en finansieringskälla (administratörer)",
        "• /est aktivitet motivera N — koppla de poster i lägesbilden som motiverade den",
        "• /est aktivitet kalender [ny] — kalenderflödets adress; ny ger en ny (administratörer)",
        "Exempel\n/est aktivitet mina\n/est aktivitet plats Fittja centrum",
        "Engelska ord fungerar också: /est activity.",
    ]:
        assert line in text, line


def test_help_then_a_sub_command_is_that_sub_commands_help(edge: Edge):
    answer = ask(edge, "hjälp plats")
    text = said(edge, answer).replace("`", "")
    assert answer["text"] == "Hjälp för /est plats"
    assert "• /est plats slå ihop <från>; <till> — slå ihop två platser" in text
    assert "• /est plats ny <namn>; <stadsdel>; <typ>; alias A, B" in text


def test_the_help_lists_every_sub_command_the_message_shortcut_and_the_period_words(edge: Edge):
    text = said(edge, ask(edge, "hjälp")).replace("`", "")
    for sub in Sub:
        assert f"• /est {sub.value}" in text, sub
    assert f"välj ⋯ på meddelandet → {SHORTCUT} för att logga det som en händelse" in text
    assert "Perioder (händelser, export händelser): i dag, i går, denna vecka, förra veckan" in text
    assert all(word in text for word in PERIOD_WORDS)
    assert "/est <kommando> hjälp visar hur du skriver ett kommando, med exempel." in text


def test_every_sub_commands_help_is_one_message_slack_takes(edge: Edge):
    for sub in Sub:
        answer = ask(edge, f"{sub.value} hjälp")  # the fake refuses what Slack would
        helped = "EST-bot" if sub is Sub.HELP else f"/est {sub.value}"  # the help's help: itself
        assert answer["text"] == f"Hjälp för {helped}"
        assert len(answer["blocks"]) <= 50
        assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in answer["blocks"])


@pytest.mark.parametrize(("sub", "example"), EXAMPLES, ids=[e for _s, e in EXAMPLES])
def test_every_example_in_the_help_is_answered_without_an_error(
    edge: Edge, sub: Sub, example: str, monkeypatch: pytest.MonkeyPatch
):
    now = datetime.now(UTC)  # the edge's bot runs on the real clock: the demo starts from it
    load_demo(edge.services.db, edge.services.groups, now=now)
    load_demo_activities(edge.services, now=now)
    errors: list[object] = []
    shown_error = handlers.commands.router.error_message
    unexpected = handlers.errors.logged

    def as_error(tr: object, error: Exception) -> Any:
        errors.append(error)
        return shown_error(tr, error)  # type: ignore[arg-type]

    def as_unexpected(error: Exception, body: dict[str, Any]) -> str:
        errors.append(error)
        return unexpected(error, body)

    monkeypatch.setattr(handlers.commands.router, "error_message", as_error)
    monkeypatch.setattr(handlers.errors, "logged", as_unexpected)
    answer = ask(edge, example, user=NEWCOMER if sub is Sub.JOIN else "U0ANNA")
    assert errors == []
    calls = [c.method for c in edge.slack.calls]
    assert answer or edge.slack.response_urls or calls  # something was answered or opened


def test_a_word_nearly_one_of_the_sub_commands_own_is_suggested_before_anything_else(edge: Edge):
    load_demo(edge.services.db, edge.services.groups, now=datetime.now(UTC))
    text = said(edge, ask(edge, "aktivitet kalendr")).replace("`", "")
    first, _, rest = text.partition("\n")
    assert first == (
        "Menade du /est aktivitet kalender [ny]? (/est aktivitet hjälp visar allt som kan följa.)"
    )
    assert "kalendr" in rest  # the error itself follows
    again = said(edge, ask(edge, "åtgärd forsenad")).replace("`", "")
    assert again.startswith("Menade du /est åtgärd försenade?")


def test_a_word_a_sub_command_does_not_take_is_answered_with_the_words_it_does(edge: Edge):
    load_demo(edge.services.db, edge.services.groups, now=datetime.now(UTC))
    text = said(edge, ask(edge, "aktivitet blaha")).replace("`", "")
    first, _, rest = text.partition("\n")
    assert first == (
        "”blaha” är inget av orden som /est aktivitet tar (ny, mina, plats, uppföljning, kostnad,"
        " dokument, motivera, ställ in, flytta, anslag, kalender); /est aktivitet hjälp visar alla."
    )
    assert "”blaha”" in rest  # then the place it was read as
    place = said(edge, ask(edge, "aktivitet Qwerty torget")).replace("`", "")
    assert place.startswith("Jag är inte säker på vilken plats")  # two words: a place, not a verb


def test_the_closest_form_is_only_a_near_miss_of_a_word_to_type():
    assert closest_form(Sub.PLACE, "arkiver Fittja torg") == HELP[Sub.PLACE].forms[-1]
    moved = closest_form(Sub.ACTIVITY, "flyta 17 2026-12-13 11:00-16:00")
    assert moved is not None and moved.text == "flytta N 2026-12-13 11:00-16:00 <skäl>"
    assert closest_form(Sub.ACTIVITY, "kalender") is None  # typed right: the mistake is elsewhere
    assert closest_form(Sub.ACTIVITY, "Fittja centrum") is None  # a place, not a word of its own
    assert closest_form(Sub.ACTIVITY, "17") is None
    assert closest_form(Sub.LANGUAGE, "") is None
