"""Reading a submitted modal's state: pure functions over Slack's view payload."""

from __future__ import annotations

from typing import Any

from bot.errors import InvalidInput
from bot.i18n import N_


def state(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    values: dict[str, Any] = view.get("state", {}).get("values", {})
    entry: dict[str, Any] = values.get(block_id, {}).get(action_id, {})
    return entry


def text(view: dict[str, Any], block_id: str, action_id: str) -> str:
    """A plain-text input's value ('' when empty)."""
    return str(state(view, block_id, action_id).get("value") or "").strip()


def selected(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """The value of a static/external select or radio buttons, or a users_select's user."""
    entry = state(view, block_id, action_id)
    if entry.get("selected_user"):
        return str(entry["selected_user"])
    option = entry.get("selected_option") or {}
    value = option.get("value")
    return str(value) if value is not None else None


def number(view: dict[str, Any], block_id: str, action_id: str) -> float:
    """A number input's value; InvalidInput under that field when it is not a number."""
    raw = text(view, block_id, action_id).replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(N_("Write a number."), field=block_id) from None
