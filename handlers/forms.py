"""Forms: the modal and its inputs as Block Kit, and reading a submitted modal's state back.

The builders use slack_sdk's models, whose ``to_dict()`` validates Slack's limits; the readers are
pure functions over Slack's view payload.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Literal, overload

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.errors import InvalidInput
from bot.i18n import N_, Translator
from bot.rules import MAX_TEXT
from handlers.text import clip

OPTION_TEXT = 75  # Slack's limit on an option's text, and on its description
MENU_OPTIONS = 100  # a static select holds at most 100 options; past that, a menu searches
CHECKBOXES = 10  # a group of checkboxes holds at most 10

# -- building ----------------------------------------------------------------------------------


def modal(
    tr: Translator,
    callback: str,
    title: str,
    blocks: Sequence[Block],
    meta: dict[str, Any] | None = None,
    *,
    submit: str | None = None,
) -> dict[str, Any]:
    """A modal with Save (or ``submit``) and Cancel; ``meta`` travels as JSON in its
    private_metadata."""
    view = View(
        type="modal",
        callback_id=callback,
        title=title,
        blocks=list(blocks),
        submit=submit or tr.gettext("Save"),
        close=tr.gettext("Cancel"),
        private_metadata=json.dumps(meta) if meta is not None else None,
    )
    return view.to_dict()


def text_input(
    block_id: str,
    label: str,
    *,
    action_id: str | None = None,
    optional: bool = False,
    multiline: bool = False,
    max_length: int = 200,
    initial: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    """A plain-text input; its action id is the block's unless told."""
    element = PlainTextInputElement(
        action_id=action_id or block_id,
        multiline=multiline or None,
        max_length=max_length,
        initial_value=initial or None,
    )
    return InputBlock(
        block_id=block_id, label=label, element=element, optional=optional or None, hint=hint
    )


def free_text_input(
    block_id: str,
    label: str,
    *,
    action_id: str | None = None,
    optional: bool = False,
    initial: str | None = None,
) -> InputBlock:
    """Free text (descriptions, notes, observations): several lines, as long as the rules allow."""
    return text_input(
        block_id,
        label,
        action_id=action_id,
        optional=optional,
        multiline=True,
        max_length=MAX_TEXT,
        initial=initial,
    )


def number_input(
    block_id: str,
    label: str,
    *,
    action_id: str | None = None,
    optional: bool = False,
    initial: float | None = None,
    decimal: bool = False,
    minimum: int | None = None,
) -> InputBlock:
    """A number input (whole numbers unless ``decimal``); its action id is the block's unless
    told."""
    element = NumberInputElement(
        action_id=action_id or block_id,
        is_decimal_allowed=decimal,
        initial_value=None if initial is None else str(initial),
        min_value=minimum,
    )
    return InputBlock(block_id=block_id, label=label, element=element, optional=optional or None)


def select_input(
    block_id: str,
    label: str,
    options: Sequence[Option],
    *,
    action_id: str | None = None,
    optional: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
) -> InputBlock:
    """A static select; ``initial`` is the value of the option chosen at first (none if no
    option has it). Its action id is the block's unless told."""
    element = StaticSelectElement(
        action_id=action_id or block_id,
        options=list(options),
        initial_option=next((o for o in options if o.value == initial), None),
        placeholder=placeholder,
    )
    return InputBlock(block_id=block_id, label=label, element=element, optional=optional or None)


def user_input(
    block_id: str,
    label: str,
    *,
    action_id: str | None = None,
    optional: bool = False,
    initial: str | None = None,
) -> InputBlock:
    """A person of the workspace; ``initial`` is a user id. Its action id is the block's unless
    told."""
    element = UserSelectElement(action_id=action_id or block_id, initial_user=initial)
    return InputBlock(block_id=block_id, label=label, element=element, optional=optional or None)


def date_input(
    block_id: str,
    label: str,
    *,
    action_id: str | None = None,
    optional: bool = False,
    initial: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    """A date picker; ``initial`` as YYYY-MM-DD. Its action id is the block's unless told."""
    element = DatePickerElement(action_id=action_id or block_id, initial_date=initial)
    return InputBlock(
        block_id=block_id, label=label, element=element, optional=optional or None, hint=hint
    )


def named_option(value: str, name: str) -> Option:
    """An option that shows a name of any length: the text holds 75 characters, so what does
    not fit goes on in the description below it (two long names that begin alike still look
    different). The value stays short — an id — whatever the name."""
    if len(name) <= OPTION_TEXT:
        return Option(value=value, label=name)
    rest = clip("…" + name[OPTION_TEXT - 1 :], OPTION_TEXT)
    return Option(value=value, label=clip(name, OPTION_TEXT), description=rest)


# -- reading -----------------------------------------------------------------------------------


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


def picked_date(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """A date picker's value, 'YYYY-MM-DD' (None when nothing was picked)."""
    return state(view, block_id, action_id).get("selected_date") or None


def picked_time(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """A time picker's value, 'HH:MM' (None when nothing was picked)."""
    return state(view, block_id, action_id).get("selected_time") or None


def chosen(view: dict[str, Any], block_id: str, action_id: str) -> list[str]:
    """The values of a multi-select's or checkboxes' chosen options, in their order."""
    options = state(view, block_id, action_id).get("selected_options") or []
    return [str(o.get("value", "")) for o in options if o.get("value")]


def number(view: dict[str, Any], block_id: str, action_id: str) -> float:
    """A number input's value; InvalidInput under that field when it is not a number."""
    raw = text(view, block_id, action_id).replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(N_("Write a number."), field=block_id) from None


_WHOLE = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")


@overload
def whole_number(
    view: dict[str, Any],
    block_id: str,
    action_id: str,
    *,
    negative: bool = ...,
    required: Literal[True],
) -> int: ...


@overload
def whole_number(
    view: dict[str, Any],
    block_id: str,
    action_id: str,
    *,
    negative: bool = ...,
    required: Literal[False] = ...,
) -> int | None: ...


def whole_number(
    view: dict[str, Any],
    block_id: str,
    action_id: str,
    *,
    negative: bool = False,
    required: bool = False,
) -> int | None:
    """A whole number typed into an input, spaces allowed ('1 200'); None when it is empty.

    InvalidInput under that field when it is not a whole number (from 0 up unless ``negative``),
    or is empty and ``required``.
    """
    raw = text(view, block_id, action_id).replace(" ", "")
    if not raw and not required:
        return None
    if not (_SIGNED if negative else _WHOLE).fullmatch(raw):
        message = N_("Write a whole number.") if negative else N_("Write a whole number from 0 up.")
        raise InvalidInput(message, field=block_id)
    return int(raw)
