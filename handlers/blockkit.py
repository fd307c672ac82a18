"""Block Kit for messages the clock sends in bulk, as plain dicts.

slack_sdk's Block objects validate every field each time they are turned into a dict; for a
reminder that was a fifth of the clock's CPU per message. These builders give the same payloads
(tests/handlers/test_blockkit.py compares them with slack_sdk's output, and validates them with
its models), so the hot paths can use them and everything else keeps the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Json = dict[str, Any]


def plain(text: str) -> Json:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> Json:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> Json:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Json:
    return {"type": "context", "elements": [mrkdwn(text)]}


def header(text: str) -> Json:
    return {"type": "header", "text": plain(text)}


def divider() -> Json:
    return {"type": "divider"}


def option(value: str, label: str) -> Json:
    return {"text": plain(label), "value": value}


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> Json:
    element = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    if style is not None:
        element["style"] = style
    return element


def overflow(*, action_id: str, options: Sequence[Json]) -> Json:
    return {"type": "overflow", "action_id": action_id, "options": list(options)}


def actions(*, block_id: str, elements: Sequence[Json]) -> Json:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}
