"""`/est inställningar …` read into what to do, without a database or Slack."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.i18n import translator
from handlers.groups.forms import Retention, ShowSettings, settings_command


def test_settings_or_retention():
    assert settings_command("") == ShowSettings()
    assert settings_command("medlemmar") == ShowSettings()
    assert settings_command("gallring") == Retention(None)
    assert settings_command("Gallring 24") == Retention(24)
    assert settings_command("retention  36 ") == Retention(36)


@pytest.mark.parametrize("text", ["gallring tjugo", "gallring 24 månader", "gallring -3"])
def test_retention_wants_a_whole_number_of_months(text: str):
    with pytest.raises(InvalidInput) as refused:
        settings_command(text)
    assert translator("sv").render(refused.value.message) == (
        "Skriv antalet månader, t.ex. `gallring 24`."
    )
