"""Reading a submitted modal's state: pure functions over Slack's view payload."""

from __future__ import annotations

from typing import Any


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
