"""`/est lägesbild …` and `/est rapport …` read into what to do, without a database or Slack."""

from __future__ import annotations

from handlers.weekly.forms import (
    CorrectPicture,
    PlaceHistory,
    ShowPicture,
    picture_command,
    report_places,
)


def test_a_week_or_none_is_that_picture():
    assert picture_command("") == ShowPicture("")
    assert picture_command(" v46 ") == ShowPicture("v46")
    assert picture_command("förra veckan") == ShowPicture("förra veckan")
    assert picture_command("plats") == ShowPicture("plats")  # a place needs its name
    assert picture_command("ändra") == ShowPicture("ändra")  # and a correction its week


def test_place_history():
    assert picture_command("plats Fittja centrum") == PlaceHistory("Fittja centrum")
    assert picture_command("Place  Alby") == PlaceHistory("Alby")


def test_a_correction_has_a_week_and_a_reason():
    assert picture_command("ändra v46 fel siffror från polisen") == CorrectPicture(
        "v46", "fel siffror från polisen"
    )
    assert picture_command("andra v46") == CorrectPicture("v46", "")
    assert picture_command("correct 2026-W46 typo") == CorrectPicture("2026-W46", "typo")


def test_report_places_are_the_names_between_commas():
    assert report_places("") == []
    assert report_places("Fittja centrum, Tumba station") == ["Fittja centrum", " Tumba station"]
    assert report_places("Alby,, ,Hallunda") == ["Alby", "Hallunda"]
