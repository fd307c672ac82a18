"""What can be pressed on the console's screen: each button, each choice of an overflow menu and
each select or picker the bot posted gets the next number, which `:N` presses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handlers.local.mrkdwn import as_str, text_of
from handlers.local.render import Numberer

PICKED = (  # elements that open a choice when pressed, as selects and pickers do in Slack
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "radio_buttons",
    "checkboxes",
)


@dataclass(frozen=True)
class Target:
    """One pressable thing, with where it was shown: a message in a channel, or a view."""

    block_id: str
    element: dict[str, Any]
    option: dict[str, Any] | None  # the overflow menu's choice
    channel: str
    message: dict[str, Any] | None = None
    view: dict[str, Any] | None = None
    where: str = ""  # where the console showed it: "#C0EST", "bara för dig", "DM till @U…"

    @property
    def kind(self) -> str:
        return as_str(self.element.get("type"))

    @property
    def label(self) -> str:
        """What the element says of itself, for a prompt: its placeholder or its text."""
        return text_of(self.element.get("placeholder")) or text_of(self.element.get("text"))


@dataclass
class Targets:
    shown: list[Target] = field(default_factory=list)

    def get(self, number: int) -> Target | None:
        return self.shown[number - 1] if 0 < number <= len(self.shown) else None

    def numberer(
        self,
        channel: str,
        *,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        where: str = "",
    ) -> Numberer:
        """Numbers for what a message (or a view) shows, as the renderer meets it."""

        def number(
            block: dict[str, Any], element: dict[str, Any], option: dict[str, Any] | None
        ) -> int | None:
            kind = as_str(element.get("type"))
            pressable = (kind == "button" and not element.get("url")) or kind in PICKED
            if kind == "overflow":
                pressable = option is not None
            if not pressable or not as_str(element.get("action_id")):
                return None
            block_id = as_str(block.get("block_id"))
            shown = Target(block_id, element, option, channel, message, view, where)
            self.shown.append(shown)
            return len(self.shown)

        return number
