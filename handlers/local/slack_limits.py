"""Slack's documented limits on what an app may send, in one table, each with its source.

The fake Slack (``handlers.local.localslack``) refuses a ``chat.*``, ``views.*`` or response_url
payload that breaks any of them, the way Slack does; ``handlers.local.validation`` walks the
payload. A limit changes here and nowhere else. Sources are Slack's own reference pages
(docs.slack.dev, formerly api.slack.com/reference); where the fake is stricter than Slack the row
says so.
"""

from __future__ import annotations

from dataclasses import dataclass

_REF = "https://docs.slack.dev/reference"
BLOCKS = f"{_REF}/block-kit/blocks"
ELEMENTS = f"{_REF}/block-kit/block-elements"
OBJECTS = f"{_REF}/block-kit/composition-objects"
VIEWS = f"{_REF}/views"
POST_MESSAGE = f"{_REF}/methods/chat.postMessage"
VIEWS_OPEN = f"{_REF}/methods/views.open"
INTERACTION = "https://docs.slack.dev/interactivity/handling-user-interaction"


@dataclass(frozen=True)
class Limit:
    """At most ``most`` (characters or items), at least ``least``; where Slack says so."""

    most: int
    source: str
    least: int = 0


LIMITS: dict[str, Limit] = {
    # surfaces
    "message.blocks": Limit(50, BLOCKS),
    "modal.blocks": Limit(100, BLOCKS, least=1),
    "home.blocks": Limit(100, BLOCKS, least=1),
    "message.text": Limit(40_000, POST_MESSAGE),  # Slack truncates past it; the fake refuses
    "view.bytes": Limit(250_000, VIEWS_OPEN),  # view_too_large: "greater than 250kb"
    "response_url.uses": Limit(5, INTERACTION),  # "up to five times within 30 minutes"
    "view.title": Limit(24, VIEWS, least=1),
    "view.submit": Limit(24, VIEWS, least=1),
    "view.close": Limit(24, VIEWS, least=1),
    "view.private_metadata": Limit(3000, VIEWS),
    "view.callback_id": Limit(255, VIEWS),
    "view.external_id": Limit(255, VIEWS),
    # blocks
    "block_id": Limit(255, BLOCKS),
    "section.text": Limit(3000, f"{BLOCKS}/section-block", least=1),
    "section.fields": Limit(10, f"{BLOCKS}/section-block", least=1),
    "section.field": Limit(2000, f"{BLOCKS}/section-block", least=1),
    "header.text": Limit(150, f"{BLOCKS}/header-block", least=1),
    "context.elements": Limit(10, f"{BLOCKS}/context-block", least=1),
    "actions.elements": Limit(25, f"{BLOCKS}/actions-block", least=1),
    "input.label": Limit(2000, f"{BLOCKS}/input-block", least=1),
    "input.hint": Limit(2000, f"{BLOCKS}/input-block", least=1),
    "image.image_url": Limit(3000, f"{BLOCKS}/image-block", least=1),
    "image.alt_text": Limit(2000, f"{BLOCKS}/image-block", least=1),
    "image.title": Limit(2000, f"{BLOCKS}/image-block", least=1),
    "markdown.text": Limit(12_000, f"{BLOCKS}/markdown-block", least=1),
    # elements
    "action_id": Limit(255, ELEMENTS),
    "button.text": Limit(75, f"{ELEMENTS}/button-element", least=1),
    "button.value": Limit(2000, f"{ELEMENTS}/button-element"),
    "button.url": Limit(3000, f"{ELEMENTS}/button-element"),
    "placeholder": Limit(150, ELEMENTS, least=1),
    "static_select.options": Limit(100, f"{ELEMENTS}/select-menu-element", least=1),
    "static_select.option_groups": Limit(100, f"{ELEMENTS}/select-menu-element", least=1),
    "checkboxes.options": Limit(10, f"{ELEMENTS}/checkboxes-element", least=1),
    "radio_buttons.options": Limit(10, f"{ELEMENTS}/radio-button-group-element", least=1),
    "overflow.options": Limit(5, f"{ELEMENTS}/overflow-menu-element", least=1),
    "plain_text_input.max_length": Limit(3000, f"{ELEMENTS}/plain-text-input-element", least=1),
    "plain_text_input.initial_value": Limit(3000, f"{ELEMENTS}/plain-text-input-element"),
    # composition objects
    "text": Limit(3000, f"{OBJECTS}/text-object", least=1),
    "option.text": Limit(75, f"{OBJECTS}/option-object", least=1),
    "option.value": Limit(150, f"{OBJECTS}/option-object", least=1),
    "option.description": Limit(75, f"{OBJECTS}/option-object", least=1),
    "option.url": Limit(3000, f"{OBJECTS}/option-object"),
    "option_group.label": Limit(75, f"{OBJECTS}/option-group-object", least=1),
    "option_group.options": Limit(100, f"{OBJECTS}/option-group-object", least=1),
    "confirm.title": Limit(100, f"{OBJECTS}/confirmation-dialog-object", least=1),
    "confirm.text": Limit(300, f"{OBJECTS}/confirmation-dialog-object", least=1),
    "confirm.confirm": Limit(30, f"{OBJECTS}/confirmation-dialog-object", least=1),
    "confirm.deny": Limit(30, f"{OBJECTS}/confirmation-dialog-object", least=1),
}

# Rules that are not a number, checked by handlers.local.validation, with their sources:
RULES: dict[str, str] = {
    "unique block_id": f"{BLOCKS}: block_id 'should be unique for each message or view'",
    "unique action_id": f"{ELEMENTS}: action_id 'should be unique among all other action_ids in "
    "the containing block'",
    "initial_option among options": f"{ELEMENTS}/select-menu-element: initial_option 'must "
    "exactly match one of the options'; the same for initial_options of checkboxes",
    "initial_value within max_length": f"{ELEMENTS}/plain-text-input-element: max_length is "
    "'the maximum length of input that the user can provide'; Slack refuses a longer initial",
    "submit with inputs": f"{VIEWS}: submit is 'required when an input block is within the "
    "blocks array'",
    "no submit/close on home": f"{VIEWS}: submit and close are for modals only",
    "plain_text only": f"{OBJECTS}/text-object: header, button, option (in selects and overflow), "
    "labels, placeholders and view titles take plain_text",
    "text with blocks": f"{POST_MESSAGE}: text is 'used as a fallback string to display in "
    "notifications'; Slack accepts blocks without it (and warns), the fake refuses (no_text)",
    "date and time formats": f"{ELEMENTS}/date-picker-element: initial_date YYYY-MM-DD; "
    "time-picker-element: initial_time HH:mm",
    "response_url used up": f"{INTERACTION}: a response_url takes five posts; the fake answers "
    "a sixth with HTTP 404 and 'used_url' (its own wording)",
    "slack_sdk models": "slack_sdk.models Block/View.to_dict() validators run on every block and "
    "view as well; what they refuse is refused too",
}
