"""`/est händelse …` and `/est kategori …` read into what to do, without a database or Slack."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.i18n import translator
from handlers.incidents.forms import (
    AddCategory,
    DeleteIncident,
    EditIncident,
    ListCategories,
    NewIncident,
    QuickIncident,
    RenameCategory,
    RestoreCategory,
    RetireCategory,
    category_command,
    incident_command,
)


def test_incident_form_edit_delete_or_quick_text():
    assert incident_command("") == NewIncident()
    assert incident_command("ändra 12") == EditIncident(12)
    assert incident_command("Rätta #12") == EditIncident(12)
    assert incident_command("edit 3") == EditIncident(3)
    assert incident_command("ta bort 12 dubblett") == DeleteIncident(12, "dubblett")
    assert incident_command("radera #4") == DeleteIncident(4, "")
    assert incident_command("delete 4 twice\nby mistake") == DeleteIncident(4, "twice\nby mistake")


@pytest.mark.parametrize(
    "text",
    [
        "Fittja centrum; narkotikaförsäljning; Öppen försäljning vid tunnelbanan; igår 21:30",
        "ändra 12 igen",  # more than a number: the quick syntax, as typed
        "ta bort",
        "Ändra",
    ],
)
def test_anything_else_is_the_quick_syntax(text: str):
    assert incident_command(text) == QuickIncident(text)


def test_categories():
    assert category_command("") == ListCategories()
    assert category_command("nyheter") == ListCategories()
    assert category_command("ny Klotter på väggar") == AddCategory("Klotter på väggar")
    assert category_command("New  Graffiti ") == AddCategory("Graffiti")
    assert category_command("byt namn Klotter; Skadegörelse") == RenameCategory(
        "Klotter", " Skadegörelse"
    )
    assert category_command("rename a;b") == RenameCategory("a", "b")
    assert category_command("ta bort narkotika") == RetireCategory("narkotika")
    assert category_command("retire #7") == RetireCategory("#7")
    assert category_command("återställ narkotika") == RestoreCategory("narkotika")
    assert category_command("aterstall narkotika") == RestoreCategory("narkotika")
    assert category_command("Restore brand") == RestoreCategory("brand")


def test_rename_without_a_semicolon_is_refused():
    with pytest.raises(InvalidInput) as refused:
        category_command("byt namn Klotter Skadegörelse")
    assert translator("sv").render(refused.value.message) == (
        "Skriv `/est kategori byt namn <gammalt>; <nytt>`."
    )
