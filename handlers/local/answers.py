"""Turning what a person typed at the console's prompt into the state a modal submission carries.

The console shows a modal as numbered fields (``handlers.local.render``); ``state_entry`` reads one
answer and builds the ``view_submission`` value Slack would send for that element. A person is
chosen by name (or number, or Slack id), as in Slack's people picker; an external select by
number or by a word its suggestions are searched for, as in Slack's typeahead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from handlers.local.fields import MANY, PEOPLE, SUGGESTED, Field

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


Suggest = Callable[[str], Sequence[tuple[str, str]]]  # typed text -> (value, text) suggestions


def state_entry(field: Field, answer: str, *, suggest: Suggest | None = None) -> dict[str, Any]:
    """What a person typed for `field`, as the view_submission state value Slack would send.

    Options may be chosen by number (1-based), value or text; several are separated by commas.
    A person field with options (the people the console knows) takes a name, or part of one.
    An external select with ``suggest`` takes a number in its options or a word to search the
    suggestions for; without ``suggest`` its answer is passed on as typed. An empty answer keeps
    the field's initial value, like an untouched field in Slack, and is refused for a required
    field without one. Raises ValueError with a message for the person.
    """
    text = answer.strip() or _initial_answer(field)
    if not text and not field.optional:
        raise ValueError("Fältet måste fyllas i.")
    if field.kind not in _ANSWERS:
        raise ValueError("Det här fältet går inte att fylla i i konsolen.")
    key, convert, many = _ANSWERS[field.kind]
    if field.kind in SUGGESTED and suggest is not None:
        convert = _suggested(suggest)
    elif field.kind in PEOPLE and field.options:
        convert = _person
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
    parts = field.initial.split(",") if field.kind in MANY else [field.initial]
    return ",".join(str(values.index(v) + 1) if v in values else v for v in parts)


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


_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


def _person(field: Field, text: str) -> str:
    return person_id(field.options, text)


def person_id(people: Sequence[tuple[str, str]], text: str) -> str:
    """A person among `people` (Slack id, name) by number, Slack id, whole name or the start of
    their names ("erik", "sara a"); someone not listed may still be given by their Slack id.
    Raises ValueError saying who it could be."""
    typed = text.strip().lstrip("@")
    if typed.isdecimal() and 1 <= int(typed) <= len(people):
        return people[int(typed) - 1][0]
    ids = {value.upper(): value for value, _ in people}
    if typed.upper() in ids:
        return ids[typed.upper()]
    found = _named(people, typed)
    if len(found) == 1:
        return found[0][0]
    if found:
        names = ", ".join(name for _, name in found)
        raise ValueError(f"”{typed}” kan vara flera: {names}. Skriv mer av namnet.")
    if _SLACK_USER_ID.fullmatch(typed):
        return typed
    if not people:
        raise ValueError("Skriv personens Slack-id, till exempel U0ERIK.")
    raise ValueError(
        f"Ingen här heter ”{typed}”. Skriv ett namn ur listan eller ett nummer 1–{len(people)}."
    )


def _named(options: Sequence[tuple[str, str]], typed: str) -> list[tuple[str, str]]:
    """The options whose name is `typed`, else those where every typed word begins one of the
    option's words; case does not matter."""
    wanted = typed.casefold().split()
    if not wanted:
        return []
    exact = [o for o in options if _core(o[1]).casefold() == " ".join(wanted)]
    if exact:
        return exact
    return [o for o in options if all(any(w.startswith(t) for w in _words(o[1])) for t in wanted)]


def _words(text: str) -> list[str]:
    return re.findall(r"\w[\w-]*", text.casefold())


def _core(text: str) -> str:
    """An option's text without what follows its name: "Fittja centrum (Fittja)" -> the name."""
    return re.split(r" \(| · |, ", text, maxsplit=1)[0].strip()


def _suggested(suggest: Suggest) -> Callable[[Field, str], dict[str, Any]]:
    """An external select's answer: a number in the options shown, an option's text, or a word
    the bot's suggestions are searched for (as typing in Slack's typeahead does)."""

    def convert(field: Field, text: str) -> dict[str, Any]:
        if text.isdecimal() and 1 <= int(text) <= len(field.options):
            return _chosen(field.options[int(text) - 1])
        shown = _named(field.options, text)
        if len(shown) == 1:
            return _chosen(shown[0])
        found = list(suggest(text))
        exact = [o for o in found if _core(o[1]).casefold() == text.casefold()]
        picked = exact if len(exact) == 1 else found
        if len(picked) == 1:
            return _chosen(picked[0])
        if not picked:
            raise ValueError(f"Inget av förslagen passar ”{text}”.")
        names = "; ".join(label for _, label in picked[:8]) + ("; …" if len(picked) > 8 else "")
        raise ValueError(f"”{text}” passar flera: {names}. Skriv mer, eller numret i listan.")

    return convert


def _chosen(option: tuple[str, str]) -> dict[str, Any]:
    value, text = option
    return {"text": {"type": "plain_text", "text": text}, "value": value}


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
