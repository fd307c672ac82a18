"""What follows `/est inställningar`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_


@dataclass(frozen=True)
class ShowSettings:
    """The group's settings, with buttons for admins."""


@dataclass(frozen=True)
class Retention:
    """`gallring [N]`: how many months free text is kept; with N, change it (admins)."""

    months: int | None


@dataclass(frozen=True)
class Start:
    """`start [datum]`: the first day records may be dated; with a date, change it (admins)."""

    day: str


SettingsCommand = ShowSettings | Retention | Start


def settings_command(text: str) -> SettingsCommand:
    """`[gallring [N]]`, `[start [datum]]`; any other word shows the settings."""
    word, _, rest = text.partition(" ")
    if fold(word) in ("start", "startdatum"):
        return Start(rest.strip())
    if fold(word) not in ("gallring", "retention"):
        return ShowSettings()
    months = rest.strip()
    if months and not months.isdigit():
        raise InvalidInput(N_("Write the number of months, e.g. `gallring 24`."))
    return Retention(int(months) if months else None)


def organisation_ref(value: str | None) -> str | int:
    """An organisation chosen in a form: its id (the option's value); a form opened before the
    menus carried ids still sends the name, which the service finds as well."""
    chosen = (value or "").strip()
    return int(chosen) if chosen.isdecimal() else chosen


REPORTER_WORDS = frozenset({"rapportor", "reporter"})


def join_command(text: str) -> tuple[str, str]:
    """`/est gå med <organisation> [rapportör]` → (organisation, role): a last word
    "rapportör" (or "reporter") asks to join as a reporter, else as a member."""
    words = text.split()
    if len(words) > 1 and fold(words[-1]) in REPORTER_WORDS:
        return " ".join(words[:-1]), "rapportör"
    return text.strip(), "medlem"
