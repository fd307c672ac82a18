"""Every `/est` sub-command a feature routes is in the help, with its usage and what it does."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from slack_sdk import WebClient

from bot.commands import SUBCOMMANDS, Sub
from bot.i18n import translator
from bot.services import Services
from handlers.bolt import build_app
from handlers.commands.blocks import build_help, help_line
from handlers.commands.router import Router

PLACE_LINE = (
    "• `/est plats [ny A; stadsdel; typ | byt namn A; B | alias A; B | slå ihop A; B"
    " | arkivera A]` — platsregistret"
)


def routed(services: Services) -> Router:
    """The router as `serve` builds it: every feature's listeners registered on it."""
    router = Router()
    client = WebClient(token="xoxb-unit", base_url="http://127.0.0.1:9/api/")
    build_app(
        services=services,
        client=client,
        signing_secret="help-secret",
        default_language="sv",
        router=router,
    )
    return router


def unhelped(subs: Iterable[Sub]) -> list[Sub]:
    """The sub-commands the help could not show: no row in the grammar, or an empty one."""
    missing = []
    for sub in subs:
        command = SUBCOMMANDS.get(sub)
        if command is None or not command.english or not command.about.msgid:
            missing.append(sub)
    return missing


def test_every_routed_sub_command_has_help_text_and_a_usage_line(services: Services):
    router = routed(services)
    assert {Sub.HELP, Sub.INCIDENT, Sub.PLACE, Sub.EXPORT, Sub.LANGUAGE} <= set(router.routes)
    assert unhelped(router.routes) == []
    assert unhelped(Sub) == []  # the ones still to come have theirs too
    for sub in router.routes:
        usage = SUBCOMMANDS[sub].usage(sub)
        assert usage.startswith(f"`/est {sub.value}") and usage.endswith("`")


def test_a_routed_sub_command_without_a_row_is_found(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delitem(SUBCOMMANDS, Sub.PLACE)
    assert unhelped([Sub.HELP, Sub.PLACE, Sub.EXPORT]) == [Sub.PLACE]


def test_the_help_lists_what_is_routed_in_swedish(services: Services):
    router = routed(services)
    help_ = build_help(translator("sv"), router.routes, group_name="EST Botkyrka")
    lines = help_["blocks"][2]["text"]["text"].split("\n")
    assert lines == [help_line(translator("sv"), s) for s in Sub if s in router.routes]
    for line in [
        "• `/est hjälp` — den här hjälpen",
        "• `/est möte` — veckomötet: dagordning, beslut, avslut",
        "• `/est aktivitet [ny | N | mina | plats X | uppföljning N | kostnad N | motivera N"
        " | dokument N | ställ in N | flytta N | anslag ÅR | kalender]` — aktiviteter på platser",
        PLACE_LINE,
        "• `/est export händelser [period] [plats] | lägesbild 2026 | aktivitet N | bidrag ÅR`"
        " — filer: CSV, XLSX, PDF",
        "• `/est gå med &lt;organisation&gt;` — be om att få gå med i gruppen för din organisation",
        "• `/est språk sv|en` — välj ditt språk: sv eller en",
    ]:
        assert line in lines
    assert lines[0] == "• `/est hjälp` — den här hjälpen"
    assert lines.index("• `/est möte` — veckomötet: dagordning, beslut, avslut") < lines.index(
        PLACE_LINE
    )  # in the order of Sub


def test_what_is_not_routed_is_coming_soon():
    help_ = build_help(translator("sv"), [Sub.HELP, Sub.PLACE], group_name=None)
    shown = help_["blocks"][2]["text"]["text"]
    assert shown == ("• `/est hjälp` — den här hjälpen\n" + PLACE_LINE)
    coming = help_["blocks"][3]["elements"][0]["text"]
    assert coming.startswith("Kommer snart: `händelse`, `händelser`, `rapport`, ")
    assert coming.endswith(", `språk`. Engelska ord fungerar också, t.ex. `/est help`.")


def test_help_line_in_english():
    assert help_line(translator("en"), Sub.LANGUAGE) == (
        "• `/est språk sv|en` — choose your language: sv or en"
    )


def test_the_analysis_line_says_that_the_period_analysis_is_posted_in_the_channel():
    usage = "• `/est analys [ny [plats] | N | period [kvartal | tertial] [2026-Q3 | 2026-T2]]`"
    assert help_line(translator("sv"), Sub.ANALYSIS) == (
        f"{usage} — orsaksanalyser av problem på platser; `period` postar periodanalysen i kanalen"
    )
    assert help_line(translator("en"), Sub.ANALYSIS) == (
        f"{usage} — cause analyses (orsaksanalys) of problems at places; `period` posts the "
        "period analysis in the channel"
    )
