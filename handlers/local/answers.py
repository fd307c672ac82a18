"""Turning what a person typed at the console's prompt into the state a modal submission carries.

The console shows a modal as numbered fields (``handlers.local.render``); ``state_entry`` reads one
answer and builds the ``view_submission`` value Slack would send for that element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from handlers.local.render import Field

# --- answers to modal fields ----------------------------------------------------------------

_T = TypeVar("_T")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2})[:.](\d{2})")
_TEXT_CHECKS = {
    "number_input": (re.compile(r"-?\d+(?:[.,]\d+)?"), "Skriv ett tal, till exempel 12 eller 3,5."),
    "email_text_input": (re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "Skriv en giltig e-postadress."),
    "url_text_input": (re.compile(r"https?://\S+"), "Skriv en webbadress som börjar med https://."),
}


def state_entry(field: Field, answer: str) -> dict[str, Any]:
    """What a person typed for `field`, as the view_submission state value Slack would send.

    Options may be chosen by number (1-based), value or text; several are separated by commas.
    An empty answer keeps the field's initial value, like an untouched field in Slack, and is
    refused for a required field without one. Raises ValueError with a message for the person.
    """
    text = answer.strip() or _initial_answer(field)
    if not text and not field.optional:
        raise ValueError("Fältet måste fyllas i.")
    if field.kind not in _ANSWERS:
        raise ValueError(f"Fält av typen {field.kind or 'okänd'} kan inte fyllas i här.")
    key, convert, many = _ANSWERS[field.kind]
    if not many:
        return {"type": field.kind, key: convert(field, text) if text else None}
    values = [convert(field, part.strip()) for part in text.split(",") if part.strip()]
    unique = {json.dumps(value, sort_keys=True): value for value in values}
    return {"type": field.kind, key: list(unique.values())}


def _initial_answer(field: Field) -> str:
    """The initial value as an answer; options by number, since values may look like numbers."""
    if field.initial is None or not field.options:
        return field.initial or ""
    values = [value for value, _ in field.options]
    parts = field.initial.split(",") if field.kind in _MANY_OPTIONS else [field.initial]
    return ",".join(str(values.index(v) + 1) if v in values else v for v in parts)


_MANY_OPTIONS = ("multi_static_select", "checkboxes")


def _text_value(field: Field, text: str) -> str:
    pattern, message = _TEXT_CHECKS.get(field.kind, (None, ""))
    if pattern and not pattern.fullmatch(text):
        raise ValueError(message)
    return text.replace(",", ".") if field.kind == "number_input" else text


def _pick(field: Field, answer: str) -> dict[str, Any]:
    if not field.options:
        raise ValueError("Det finns inga alternativ att välja.")
    index = _option_index(field.options, answer)
    if index is None:
        raise ValueError(f"Välj ett av alternativen 1–{len(field.options)}.")
    value, text = field.options[index]
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def _option_index(options: tuple[tuple[str, str], ...], answer: str) -> int | None:
    if answer.isdecimal() and 1 <= int(answer) <= len(options):
        return int(answer) - 1
    values = [value for value, _ in options]
    texts = [text.casefold() for _, text in options]
    if answer in values:
        return values.index(answer)
    return texts.index(answer.casefold()) if answer.casefold() in texts else None


def _typed_option(field: Field, text: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": text}


def _ref(field: Field, text: str) -> str:
    return text.lstrip("@#")


def _parse(pattern: re.Pattern[str], text: str, build: Callable[..., _T], message: str) -> _T:
    if match := pattern.fullmatch(text):
        with suppress(ValueError):
            return build(*(int(group) for group in match.groups()))
    raise ValueError(message)


def _date(field: Field, text: str) -> str:
    return _parse(_DATE, text, date, "Skriv datumet som ÅÅÅÅ-MM-DD.").isoformat()


def _time(field: Field, text: str) -> str:
    return _parse(_TIME, text, time, "Skriv tiden som TT:MM.").strftime("%H:%M")


def _date_time(field: Field, text: str) -> int:
    message = "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM (UTC)."
    moment = _parse(_DATE_TIME, text, datetime, message)
    return int(moment.replace(tzinfo=UTC).timestamp())


def _rich_value(field: Field, text: str) -> dict[str, Any]:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"type": "rich_text", "elements": [section]}


_ANSWERS: dict[str, tuple[str, Callable[[Field, str], Any], bool]] = {
    "plain_text_input": ("value", _text_value, False),
    "number_input": ("value", _text_value, False),
    "email_text_input": ("value", _text_value, False),
    "url_text_input": ("value", _text_value, False),
    "static_select": ("selected_option", _pick, False),
    "radio_buttons": ("selected_option", _pick, False),
    "multi_static_select": ("selected_options", _pick, True),
    "checkboxes": ("selected_options", _pick, True),
    "external_select": ("selected_option", _typed_option, False),
    "multi_external_select": ("selected_options", _typed_option, True),
    "users_select": ("selected_user", _ref, False),
    "multi_users_select": ("selected_users", _ref, True),
    "conversations_select": ("selected_conversation", _ref, False),
    "multi_conversations_select": ("selected_conversations", _ref, True),
    "channels_select": ("selected_channel", _ref, False),
    "multi_channels_select": ("selected_channels", _ref, True),
    "datepicker": ("selected_date", _date, False),
    "timepicker": ("selected_time", _time, False),
    "datetimepicker": ("selected_date_time", _date_time, False),
    "rich_text_input": ("rich_text_value", _rich_value, False),
}
