"""The input fields of a modal (and the selects of a message), as data for a prompt loop and as
text: label, what kind of answer it takes in words, its initial value and its choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handlers.local.mrkdwn import as_dict, as_list, as_str, dicts, rich_text, text_of


@dataclass(frozen=True)
class Field:
    """One input block of a modal, as a prompt loop needs it. ``options`` are (value, text);
    for a person field the console fills them with the people it knows, for an external select
    with the bot's suggestions."""

    block_id: str
    action_id: str
    label: str
    kind: str
    optional: bool
    multiline: bool
    initial: str | None
    options: tuple[tuple[str, str], ...]


# What a field takes, in the words of someone filling it in; never the element's type.
KIND_WORDS = {
    "plain_text_input": "text",
    "rich_text_input": "text",
    "number_input": "ett tal",
    "email_text_input": "e-postadress",
    "url_text_input": "webbadress",
    "static_select": "välj ett",
    "external_select": "välj ett",
    "radio_buttons": "välj ett",
    "multi_static_select": "välj ett eller flera",
    "multi_external_select": "välj ett eller flera",
    "checkboxes": "välj ett eller flera",
    "users_select": "en person: namn eller nummer",
    "multi_users_select": "personer: namn eller nummer",
    "conversations_select": "en kanal",
    "channels_select": "en kanal",
    "multi_conversations_select": "kanaler",
    "multi_channels_select": "kanaler",
    "datepicker": "datum ÅÅÅÅ-MM-DD",
    "timepicker": "tid TT:MM",
    "datetimepicker": "datum och tid ÅÅÅÅ-MM-DD TT:MM",
}
PEOPLE = ("users_select", "multi_users_select")
SUGGESTED = ("external_select", "multi_external_select")
MANY = ("multi_static_select", "multi_external_select", "checkboxes", *PEOPLE[1:])


def view_fields(view: dict[str, Any]) -> list[Field]:
    """The input blocks of a modal, in order, as data for a prompt loop."""
    blocks = dicts(as_dict(view).get("blocks"))
    return [input_field(block) for block in blocks if block.get("type") == "input"]


def prompt_labels(view: dict[str, Any]) -> dict[str, str]:
    """Labels to ask with, by block id: a label the form repeats (the report's "Nivå" for each
    place) says which heading it is under, "Nivå – Fittja centrum"."""
    blocks = dicts(as_dict(view).get("blocks"))
    inputs = [block for block in blocks if block.get("type") == "input"]
    labels = [text_of(block.get("label")) for block in inputs]
    named: dict[str, str] = {}
    heading = ""
    for block in blocks:
        if block.get("type") == "header":
            heading = text_of(block.get("text"))
        elif block.get("type") == "input":
            label = text_of(block.get("label"))
            repeated = labels.count(label) > 1 and heading
            named[as_str(block.get("block_id"))] = f"{label} – {heading}" if repeated else label
    return named


def input_field(block: dict[str, Any]) -> Field:
    return element_field(
        input_element(block),
        block_id=as_str(block.get("block_id")),
        label=text_of(block.get("label")),
        optional=block.get("optional") is True,
    )


def element_field(
    element: dict[str, Any], *, block_id: str, label: str, optional: bool = False
) -> Field:
    """An element as a field: an input block's, or a select pressed in a message. An external
    select's options are its initial ones until the console asks the bot for suggestions."""
    options = options_of(element)
    if as_str(element.get("type")) in SUGGESTED:
        chosen = [as_dict(element.get("initial_option")), *dicts(element.get("initial_options"))]
        options = tuple(option_pair(option) for option in chosen if option)
    return Field(
        block_id=block_id,
        action_id=as_str(element.get("action_id")),
        label=label,
        kind=as_str(element.get("type")),
        optional=optional,
        multiline=element.get("multiline") is True,
        initial=initial_value(element),
        options=options,
    )


def input_element(block: dict[str, Any]) -> dict[str, Any]:
    element = as_dict(block.get("element"))
    return element or next(iter(dicts(block.get("elements"))), {})


def field_text(block: dict[str, Any], field: Field, *, number: int | None) -> str:
    """A field as the form shows it: number, label and what it takes, its initial value (or
    placeholder), hint and numbered choices."""
    element = input_element(block)
    prefix = f"{number}. " if number is not None else ""
    words = [KIND_WORDS.get(field.kind, "kan inte fyllas i här")]
    words += ["valfritt"] if field.optional else []
    lines = [f"{prefix}{field.label} ({', '.join(words)})"]
    chosen = as_dict(element.get("initial_option"))  # external selects carry no option list
    shown = text_of(chosen.get("text")) or initial_text(field)
    placeholder = text_of(element.get("placeholder"))
    if shown:
        lines.append(f"   förval: {shown}")
    elif placeholder:
        lines.append(f"   {placeholder} …")
    if hint := text_of(block.get("hint")):
        lines.append(f"   tips: {hint}")
    lines += [f"   {i}) {text}" for i, (_, text) in enumerate(field.options, 1)]
    return "\n".join(lines)


def option_pair(option: dict[str, Any]) -> tuple[str, str]:
    text = text_of(option.get("text"))
    value = option.get("value")
    return (value if isinstance(value, str) else text, text)


def options_of(element: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    groups = [*dicts(element.get("option_groups")), {"options": element.get("options")}]
    return tuple(option_pair(option) for group in groups for option in dicts(group.get("options")))


_INITIAL_ONE = ("initial_value", "initial_user", "initial_conversation", "initial_channel")
_INITIAL_MANY = ("initial_users", "initial_conversations", "initial_channels")


def initial_value(element: dict[str, Any]) -> str | None:
    """The element's initial value as a person would type it (options by value)."""
    for key in (*_INITIAL_ONE, "initial_date", "initial_time"):
        if value := as_str(element.get(key)):
            return value
    if isinstance(element.get("initial_value"), dict):  # rich_text_input
        return rich_text(element["initial_value"], False) or None
    if option := as_dict(element.get("initial_option")):
        return option_pair(option)[0]
    many = [option_pair(option)[0] for option in dicts(element.get("initial_options"))]
    many += [v for key in _INITIAL_MANY for v in as_list(element.get(key)) if isinstance(v, str)]
    stamp = element.get("initial_date_time")
    if not many and isinstance(stamp, int) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M")
    return ",".join(many) or None


def initial_text(field: Field) -> str:
    """An initial value as shown to a person: option texts rather than values, and a person
    as a mention (``@U…``), which the console shows by name."""
    if field.initial is None:
        return ""
    texts = dict(field.options)
    parts = field.initial.split(",") if field.kind in MANY or texts else [field.initial]
    if field.kind in PEOPLE:
        return ", ".join(texts.get(value) or f"@{value}" for value in parts)
    return ", ".join(texts.get(value, value) for value in parts) if texts else field.initial
