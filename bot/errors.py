"""Expected failures. Each carries a message for the user; the edge renders it in their language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, LazyText


class BotError(Exception):
    """A failure the user can act on. Listeners catch these and show ``message``."""

    def __init__(self, message: LazyText) -> None:
        super().__init__(message.msgid)
        self.message = message


class NotAMember(BotError):
    """The user is not an active member of the group (or there is no group here)."""


class NoGroupHere(BotError):
    def __init__(self) -> None:
        super().__init__(
            N_(
                "There is no EST group in this channel yet. An admin creates one with "
                "`/est inställningar` in the group's channel."
            )
        )


class Forbidden(BotError):
    """The member's role does not allow this."""


class NotFound(BotError):
    pass


class Conflict(BotError):
    pass


class InvalidInput(BotError):
    """Input the user can correct; ``field`` names the modal field when there is one."""

    def __init__(self, message: LazyText, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownName(InvalidInput):
    """A name that matched nothing; ``suggestions`` are the nearest existing names."""

    def __init__(
        self, message: LazyText, *, suggestions: Sequence[str], field: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.suggestions = tuple(suggestions)


class PersonalDataError(InvalidInput):
    """Text that holds personal data; nothing is saved and the text is handed back to the user."""

    def __init__(
        self, message: LazyText, *, text: str, found: Sequence[str], field: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.text = text
        self.found = tuple(found)
