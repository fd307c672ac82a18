"""What follows `/est rapportör`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_


@dataclass(frozen=True)
class ListLinks:
    pass


@dataclass(frozen=True)
class NewLink:
    text: str  # "<namn> [organisation]"


@dataclass(frozen=True)
class Revoke:
    ref: str  # a name or a number


@dataclass(frozen=True)
class Feedback:
    on: bool


ReporterCommand = ListLinks | NewLink | Revoke | Feedback
USAGE = N_(
    "Write `/est rapportör länk <namn> [organisation]`, `/est rapportör återkalla <namn|N>` or "
    "`/est rapportör återkoppling av|på`."
)


def reporter_command(text: str) -> ReporterCommand:
    words = text.split(maxsplit=1)
    if not words:
        return ListLinks()
    word, rest = fold(words[0]), words[1].strip() if len(words) > 1 else ""
    if word in ("lank", "link") and rest:
        return NewLink(rest)
    if word in ("aterkalla", "revoke") and rest:
        return Revoke(rest)
    if word in ("aterkoppling", "feedback") and fold(rest) in ("av", "off", "pa", "on"):
        return Feedback(fold(rest) in ("pa", "on"))
    raise InvalidInput(USAGE)
