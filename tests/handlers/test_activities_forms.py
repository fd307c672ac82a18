"""`/est aktivitet …` read into what to do, without a database or Slack."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.errors import InvalidInput
from bot.i18n import translator
from handlers.activities.forms import (
    Allocate,
    Calendar,
    CancelActivity,
    Form,
    Item,
    Mine,
    MoveItem,
    NewActivity,
    OpenForm,
    Reschedule,
    ShowActivity,
    Upcoming,
    activity_command,
)


def refusal(args: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        activity_command(args)
    return translator("sv").render(refused.value.message)


def test_new_show_and_mine():
    assert activity_command("ny") == NewActivity()
    assert activity_command(" New ") == NewActivity()
    assert activity_command("17") == ShowActivity(17)
    assert activity_command("#17") == ShowActivity(17)
    assert activity_command("Mina") == Mine()
    assert activity_command("mine") == Mine()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("uppföljning 17", OpenForm(Form.FOLLOW_UP, 17)),
        ("Följ upp #4", OpenForm(Form.FOLLOW_UP, 4)),
        ("followup 4", OpenForm(Form.FOLLOW_UP, 4)),
        ("follow-up 4", OpenForm(Form.FOLLOW_UP, 4)),
        ("kostnad 17", OpenForm(Form.COST, 17)),
        ("cost 2", OpenForm(Form.COST, 2)),
        ("motivera 17", OpenForm(Form.MOTIVATE, 17)),
        ("motivate 3", OpenForm(Form.MOTIVATE, 3)),
        ("dokument 17", OpenForm(Form.DOCUMENT, 17)),
        ("Document #9", OpenForm(Form.DOCUMENT, 9)),
    ],
)
def test_a_number_after_a_form_word_opens_that_form(args: str, expected: OpenForm):
    assert activity_command(args) == expected


def test_cancel_keeps_the_reason_as_written():
    assert activity_command("ställ in 17 regn och storm") == CancelActivity(17, "regn och storm")
    assert activity_command("stall in #17") == CancelActivity(17, "")
    assert activity_command("cancel 5 rain\nand wind") == CancelActivity(5, "rain\nand wind")
    assert activity_command("inställd 8 sjuk") == CancelActivity(8, "sjuk")


def test_reschedule_reads_the_day_and_the_times():
    assert activity_command("flytta 17 2026-12-13 11:00-16:00 regn") == Reschedule(
        17, date(2026, 12, 13), time(11, 0), time(16, 0), "regn"
    )
    assert activity_command("move #3 2027-01-02 9.30 – 12.15") == Reschedule(
        3, date(2027, 1, 2), time(9, 30), time(12, 15), ""
    )


def test_reschedule_refuses_a_day_or_time_that_does_not_exist():
    expected = "Skriv till exempel `/est aktivitet flytta 17 2026-12-13 11:00-16:00 regn`."
    assert refusal("flytta 17 2026-02-30 11:00-16:00 regn") == expected
    assert refusal("flytta 17 2026-12-13 25:00-26:00 regn") == expected


def test_move_a_cost_or_a_document_to_another_activity():
    assert activity_command("flytta kostnad 5 till 18 fel aktivitet") == MoveItem(
        Item.COST, 5, 18, "fel aktivitet"
    )
    assert activity_command("move document #3 to activity #18 wrong one") == MoveItem(
        Item.DOCUMENT, 3, 18, "wrong one"
    )
    assert activity_command("flytta dokument 3 till aktivitet 18") == MoveItem(
        Item.DOCUMENT, 3, 18, ""
    )


def test_allocation_splits_source_amount_and_reference():
    assert activity_command("anslag 2026 statsbidrag 1 200 000 S2026/123") == Allocate(
        2026, "statsbidrag", "1 200 000", "S2026/123"
    )
    assert activity_command("Anslag 2027 egen budget 50 000 kr") == Allocate(
        2027, "egen budget", "50 000 kr", ""
    )
    assert activity_command("allocation 2026 lovbidrag 12.500,50kr") == Allocate(
        2026, "lovbidrag", "12.500,50kr", ""
    )


@pytest.mark.parametrize("args", ["anslag 2026 statsbidrag", "anslag tjugo statsbidrag 100"])
def test_allocation_refuses_without_year_source_and_amount(args: str):
    assert refusal(args) == (
        "Skriv till exempel `/est aktivitet anslag 2026 statsbidrag 1 200 000 S2026/123`."
    )


def test_calendar():
    assert activity_command("kalender") == Calendar(renew=False)
    assert activity_command("Kalender ny") == Calendar(renew=True)
    assert activity_command("calendar new") == Calendar(renew=True)


def test_anything_else_is_the_coming_activities_at_a_place():
    assert activity_command("") == Upcoming("")
    assert activity_command("plats Fittja centrum") == Upcoming("Fittja centrum")
    assert activity_command("place Alby") == Upcoming("Alby")
    assert activity_command("plats") == Upcoming("plats")
    assert activity_command("Fittja centrum") == Upcoming("Fittja centrum")
    assert activity_command("uppföljning") == Upcoming("uppföljning")
    assert activity_command("flytta 17 imorgon") == Upcoming("flytta 17 imorgon")
