"""`/est plats …` read into what to do, without a database or Slack."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.i18n import translator
from bot.places.service import PlaceForm
from handlers.places.forms import (
    AddAliases,
    AddPlace,
    ArchivePlace,
    MergePlaces,
    RenamePlace,
    ShowPlace,
    ShowRegister,
    place_command,
)

TWO_PARTS = (
    "Skilj de två delarna åt med semikolon, t.ex. `/est plats slå ihop Fittja C; Fittja centrum`."
)


def refusal(args: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        place_command(args)
    return translator("sv").render(refused.value.message)


def test_nothing_is_the_register():
    assert place_command("  ") == ShowRegister()


@pytest.mark.parametrize("args", ["Fittja centrum", "nya torget", "byt  namn A; B"])
def test_words_without_a_verb_name_the_place_whose_chain_is_shown(args: str):
    assert place_command(args) == ShowPlace(args.strip())


def test_new_place_with_aliases():
    assert place_command("ny Fittja centrum; Fittja; centrum; alias Fittja C, Fittja torget") == (
        AddPlace(PlaceForm("Fittja centrum", "Fittja", "centrum", ("Fittja C", "Fittja torget")))
    )
    assert place_command("NEW Torget; Alby; torg") == AddPlace(
        PlaceForm("Torget", "Alby", "torg", ())
    )


def test_new_place_needs_name_district_and_kind():
    assert refusal("ny Torget; Alby") == (
        "Skriv: namn; stadsdel; typ; alias A, B – t.ex. "
        "`Fittja centrum; Fittja; centrum; alias Fittja C`."
    )


def test_rename_alias_merge_and_archive():
    assert place_command("byt namn Fittja C ; Fittja centrum") == RenamePlace(
        "Fittja C", "Fittja centrum"
    )
    assert place_command("rename A;B") == RenamePlace("A", "B")
    assert place_command("alias Fittja centrum; Fittja C, torget") == AddAliases(
        "Fittja centrum", ("Fittja C", " torget")
    )
    assert place_command("slå ihop Fittja C; Fittja centrum") == MergePlaces(
        "Fittja C", "Fittja centrum"
    )
    assert place_command("sla ihop a; b") == MergePlaces("a", "b")
    assert place_command("Merge a; b") == MergePlaces("a", "b")
    assert place_command("arkivera Gamla torget") == ArchivePlace("Gamla torget")
    assert place_command("archive X") == ArchivePlace("X")


@pytest.mark.parametrize(
    "args", ["byt namn Fittja", "rename ; Fittja", "alias Fittja;", "slå ihop Fittja C"]
)
def test_two_parts_need_a_semicolon_and_both_sides(args: str):
    assert refusal(args) == TWO_PARTS
