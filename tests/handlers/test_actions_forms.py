"""`/est åtgärd …` read into what to do, without a database or Slack."""

from __future__ import annotations

import pytest

from bot.actions.service import ActionFilter
from bot.i18n import N_
from handlers.actions.forms import (
    ListActions,
    NewAction,
    SetStatus,
    ShowAction,
    action_command,
)


def test_new_and_show():
    assert action_command("ny") == NewAction()
    assert action_command("NEW") == NewAction()
    assert action_command("42") == ShowAction(42)
    assert action_command(" #42 ") == ShowAction(42)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("klar 42", SetStatus(42, "klar", "")),
        ("Klar #42 städat och klart", SetStatus(42, "klar", "städat och klart")),
        ("done 7 ok", SetStatus(7, "klar", "ok")),
        ("pågår 3", SetStatus(3, "pågår", "")),
        ("pagar 3", SetStatus(3, "pågår", "")),
        ("avbruten 9 inte\naktuell", SetStatus(9, "avbruten", "inte\naktuell")),
        ("cancel 9", SetStatus(9, "avbruten", "")),
        ("cancelled 9", SetStatus(9, "avbruten", "")),
    ],
)
def test_a_status_word_and_a_number_set_the_status(args: str, expected: SetStatus):
    assert action_command(args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", ListActions(ActionFilter(mine=True), N_("my open actions"))),
        ("alla", ListActions(ActionFilter(), N_("all open actions"))),
        ("All", ListActions(ActionFilter(), N_("all open actions"))),
        ("försenade", ListActions(ActionFilter(overdue=True), N_("overdue actions"))),
        ("sena", ListActions(ActionFilter(overdue=True), N_("overdue actions"))),
        (
            "plats Fittja centrum",
            ListActions(
                ActionFilter(place="Fittja centrum"),
                N_("open actions at {place}", place="Fittja centrum"),
            ),
        ),
        (
            "polis",
            ListActions(
                ActionFilter(organisation="polis"), N_("open actions of {org}", org="polis")
            ),
        ),
        (
            "klar",  # a status word without a number: an organisation's name, as before
            ListActions(ActionFilter(organisation="klar"), N_("open actions of {org}", org="klar")),
        ),
    ],
)
def test_anything_else_is_a_list(args: str, expected: ListActions):
    assert action_command(args) == expected
