"""Does Slack accept this payload? The checks the fake Slack runs on what the bot sends.

``check_message`` takes what ``chat.postMessage``, ``chat.postEphemeral``, ``chat.update`` and a
response_url receive; ``check_view`` what ``views.open/push/update/publish`` receive. Each answers
a :class:`Refusal` (Slack's error code and messages in Slack's words, each with the JSON pointer
of the offending field) or None. The limits come from ``handlers.local.slack_limits``; slack_sdk's
models check every block and view as well (:func:`_sdk_errors`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from handlers.local.blockcheck import Check
from handlers.local.slack_limits import LIMITS

Json = dict[str, Any]


@dataclass(frozen=True)
class Refusal:
    """Slack's answer to a payload it refuses: ``error`` is Slack's code, ``messages`` say why."""

    error: str
    messages: tuple[str, ...]

    def answer(self) -> Json:
        """The JSON Slack answers (HTTP 200) for a Web API call it refuses."""
        answer: Json = {"ok": False, "error": self.error}
        if self.error == "invalid_blocks":
            answer["errors"] = list(self.messages)
        answer["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in self.messages]}
        return answer


def check_message(payload: Json) -> Refusal | None:
    """A message as chat.* or a response_url receives it (``blocks`` parsed or as JSON text)."""
    if payload.get("delete_original") in (True, "true"):
        return None
    blocks, text = parsed_json(payload.get("blocks")), payload.get("text")
    check = Check("", _sdk_errors)
    if blocks is not None:
        check.blocks(blocks, "/blocks", "message")
    if check.errors:
        return Refusal("invalid_blocks", tuple(check.errors))
    if text and len(str(text)) > LIMITS["message.text"].most:
        return Refusal("msg_too_long", (f"text is longer than {LIMITS['message.text'].most}",))
    if not text and not payload.get("attachments"):
        why = "blocks without a text fallback" if blocks else "no text"
        return Refusal("no_text", (f"{why} [json-pointer:/text]",))
    return None


def check_view(view: Any) -> Refusal | None:
    """A view as views.* receive it (parsed or as JSON text)."""
    view = parsed_json(view)
    if not isinstance(view, dict):
        return Refusal("invalid_arguments", ("must provide an object [json-pointer:/view]",))
    if len(json.dumps(view).encode()) > LIMITS["view.bytes"].most:
        return Refusal("view_too_large", ("the view is larger than 250 kB",))
    check = Check("/view", _sdk_errors)
    check.view(view)
    for message in sdk_view_errors(view):
        check.fail(f"slack_sdk: {message}", "")
    return Refusal("invalid_arguments", tuple(check.errors)) if check.errors else None


def ack_refusal(body: Json) -> Refusal | None:
    """An acknowledgement as Slack reads it: the options of a menu that searches,
    ``response_action`` with a view to update or push, errors per block, or a message (an empty
    body says nothing and is fine)."""
    if "options" in body or "option_groups" in body:  # the answer to a menu's typeahead
        if not body.get("options") and not body.get("option_groups"):
            return None  # nothing found: the menu says so
        check = Check("", _sdk_errors)
        check.options(body, "", "static_select")
        return Refusal("invalid_options", tuple(check.errors)) if check.errors else None
    action = body.get("response_action")
    if action in ("update", "push"):
        return check_view(body.get("view"))
    if action == "errors":
        errors = body.get("errors")
        if isinstance(errors, dict) and errors and all(isinstance(v, str) for v in errors.values()):
            return None
        why = "errors must map block ids to text [json-pointer:/errors]"
        return Refusal("invalid_arguments", (why,))
    if action not in (None, "clear"):
        return Refusal(
            "invalid_arguments", ("unknown response_action [json-pointer:/response_action]",)
        )
    if action == "clear":
        return None
    return check_message(body) if body.get("text") or body.get("blocks") else None


def parsed_json(value: Any) -> Any:
    """A JSON-string argument (``blocks``, ``view``, ``files``) as an object; else as it is."""
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _sdk_errors(block: Json) -> list[str]:
    """What slack_sdk's models refuse in one block (its to_dict() runs every validator)."""
    try:
        parsed = Block.parse(block)
        if parsed is not None:
            parsed.to_dict()
    except SlackObjectFormationError as error:
        return [str(error)]
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        return [f"malformed ({error})"]
    return []


def sdk_view_errors(view: Json) -> list[str]:
    """What slack_sdk's View refuses in the view's own fields (blocks are checked one by one)."""
    fields = {k: v for k, v in view.items() if k != "blocks"}
    try:
        View(**fields, blocks=[{"type": "divider"}]).validate_json()
    except SlackObjectFormationError as error:
        return [str(error)]
    except (TypeError, ValueError) as error:
        return [f"malformed ({error})"]
    return []
