"""Slack message payloads, modals and Block Kit as plain terminal text, for the console mode.

Pure functions over the dicts the bot hands to `chat.postMessage`, `respond`, `ack` and
`views.open`. Rendering never raises on odd or partial payloads; `state_entry` turns what a
person typed at a prompt into the `view_submission` state value Slack would have sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_BOLD_ON, _BOLD_OFF, _DIM_ON, _DIM_OFF = "\x1b[1m", "\x1b[22m", "\x1b[2m", "\x1b[22m"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Control sequences like <https://x|label>, and code spans, which mrkdwn leaves alone.
# A user's formatting character between word joiners (handlers.text.escape) is a literal too.
_PROTECTED = re.compile(r"\u2060[*_~`]\u2060|```.*?```|`[^`\n]+`|<([^<>\n]+)>", re.DOTALL)
_BOLD = re.compile(r"(?<![\w*])\*([^*\s](?:[^*\n]*[^*\s])?)\*(?![\w*])")
_ENTITIES = re.compile(r"&(amp|lt|gt);")
_PLACEHOLDER = 0xE000  # private-use code points stand in for protected spans


@dataclass(frozen=True)
class Field:
    """One input block of a modal, as a prompt loop needs it."""

    block_id: str
    action_id: str
    label: str
    kind: str
    optional: bool
    multiline: bool
    initial: str | None
    options: tuple[tuple[str, str], ...]


# --- mrkdwn ---------------------------------------------------------------------------------


def mrkdwn_to_text(text: str, *, color: bool = False) -> str:
    """Slack mrkdwn as terminal text: links, mentions and entities resolved, *bold* bolded."""
    spans: list[str] = []

    def protect(match: re.Match[str]) -> str:
        inner = match.group(1)
        spans.append(_control(inner) if inner is not None else _unescape(match.group(0)))
        return chr(_PLACEHOLDER + len(spans) - 1)

    masked = _PROTECTED.sub(protect, text)
    masked = _BOLD.sub(lambda m: _bold(m.group(1), color), masked)
    plain = _unescape(masked)
    return re.sub("[\ue000-\uf8ff]", lambda m: _restore(m.group(0), spans), plain)


def _restore(char: str, spans: list[str]) -> str:
    index = ord(char) - _PLACEHOLDER
    return spans[index] if index < len(spans) else char


def _unescape(text: str) -> str:
    """Entities resolved, and the word joiners that keep a user's `*` from formatting dropped."""
    text = text.replace("\u2060", "")
    return _ENTITIES.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def _bold(text: str, color: bool) -> str:
    return f"{_BOLD_ON}{text}{_BOLD_OFF}" if color else text


def _control(inner: str) -> str:
    """One `<...>` sequence: a link, a user or channel mention, or a special command."""
    target, _, label = inner.partition("|")
    label = _unescape(label)
    if target.startswith("@"):
        return "@" + (label.removeprefix("@") or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        command, _, argument = target[1:].partition("^")
        if command in ("channel", "here", "everyone"):
            return "@" + command
        if command == "subteam":
            return label or "@" + argument
        return label or argument.partition("^")[0] or command
    url = _unescape(target)
    if not label or label == url or url == "mailto:" + label:
        return label or url
    return f"{label} ({url})"


# --- small helpers over untrusted JSON ------------------------------------------------------


def _as_dict(value: Any) -> dict[str, Any]:
    if hasattr(value, "to_dict") and callable(value.to_dict):  # slack_sdk model objects
        value = value.to_dict()
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    items = value if isinstance(value, list | tuple) else []
    return [d for d in (_as_dict(item) for item in items) if d]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _text(obj: Any, *, color: bool = False) -> str:
    """A text object (plain_text or mrkdwn) as terminal text; tolerates a bare string."""
    if isinstance(obj, str):
        return obj
    obj = _as_dict(obj)
    raw = _str(obj.get("text"))
    return mrkdwn_to_text(raw, color=color) if obj.get("type") == "mrkdwn" else raw


def _visible_len(text: str) -> int:
    return len(_ANSI.sub("", text))


def _dim(text: str, color: bool) -> str:
    return f"{_DIM_ON}{text}{_DIM_OFF}" if color else text


# --- blocks ---------------------------------------------------------------------------------


def render_blocks(blocks: list[dict[str, Any]], *, color: bool = False, width: int = 100) -> str:
    """Block Kit blocks as text, one block after another; unknown types show as `[type]`."""
    rendered = (_block(block, color=color, width=width) for block in _dicts(blocks))
    return "\n".join(part for part in rendered if part)


def _block(block: dict[str, Any], *, color: bool, width: int) -> str:
    kind = _str(block.get("type"))
    renderer = _BLOCKS.get(kind)
    return renderer(block, color, width) if renderer else f"[{kind or '?'}]"


def _header(text: str, color: bool) -> str:
    return f"{_bold(text, color)}\n{'=' * max(len(text), 3)}"


def _header_block(block: dict[str, Any], color: bool, width: int) -> str:
    text = _text(block.get("text"))
    return _header(text, color) if text else ""


def _section(block: dict[str, Any], color: bool, width: int) -> str:
    parts = [_text(block.get("text"), color=color)]
    fields = [_text(f, color=color) for f in _dicts(block.get("fields"))]
    parts.append(_columns(fields, width))
    accessory = _as_dict(block.get("accessory"))
    if accessory:
        parts.append("  " + _element(accessory, color))
    return "\n".join(part for part in parts if part)


def _columns(fields: list[str], width: int) -> str:
    """Fields two to a row, as Slack shows them, unless a line is too wide for half the width."""
    column = width // 2
    lines_of: list[list[str]] = [field.split("\n") for field in fields]
    if any(_visible_len(line) > column - 2 for lines in lines_of for line in lines):
        return "\n".join(fields)
    rows: list[str] = []
    rights = lines_of[1::2] + [[]] * (len(lines_of) % 2)
    for left, right in zip(lines_of[::2], rights, strict=True):
        for i in range(max(len(left), len(right))):
            cell = left[i] if i < len(left) else ""
            pad = " " * (column - _visible_len(cell))
            rows.append((cell + pad + (right[i] if i < len(right) else "")).rstrip())
    return "\n".join(rows)


def _divider(block: dict[str, Any], color: bool, width: int) -> str:
    return "─" * width


def _context(block: dict[str, Any], color: bool, width: int) -> str:
    text = "  ".join(filter(None, (_element(e, color) for e in _dicts(block.get("elements")))))
    return "  " + _dim(text, color) if text else ""


def _actions(block: dict[str, Any], color: bool, width: int) -> str:
    return "\n".join(_element(element, color) for element in _dicts(block.get("elements")))


def _image(block: dict[str, Any], color: bool, width: int) -> str:
    return f"[bild: {_str(block.get('alt_text'))}]"


def _input(block: dict[str, Any], color: bool, width: int) -> str:
    return _field_text(block, number=None)


def _markdown(block: dict[str, Any], color: bool, width: int) -> str:
    return _str(block.get("text"))


# --- elements -------------------------------------------------------------------------------


def _element(element: dict[str, Any], color: bool) -> str:
    """A block element as one line: text, image, button, select, picker or overflow menu."""
    kind = _str(element.get("type"))
    if kind in ("plain_text", "mrkdwn"):
        return _text(element, color=color)
    if kind == "image":
        return f"[bild: {_str(element.get('alt_text'))}]"
    action = f" (action: {_str(element.get('action_id'))})"
    if kind in ("button", "workflow_button"):
        url = _str(element.get("url"))
        return f"[{_text(element.get('text'))}]{action}" + (f" → {url}" if url else "")
    if kind == "overflow":
        return f"[⋯ {' | '.join(text for _, text in _options(element))}]{action}"
    if kind == "rich_text":
        return _rich_text(element, color, 0)
    if "select" in kind or kind in _PICKERS:
        label = "select" if "select" in kind else kind
        shown = _initial_text(_initial(element), _options(element))
        placeholder = _text(element.get("placeholder"))
        detail = f": {shown}" if shown else (f": {placeholder} …" if placeholder else " …")
        return f"[{label}{detail}]{action}"
    return f"[{kind or '?'}]"


_PICKERS = ("datepicker", "timepicker", "datetimepicker", "checkboxes", "radio_buttons")


# --- rich text ------------------------------------------------------------------------------

_RICH_REFS = {
    "user": ("user_id", "@"),
    "usergroup": ("usergroup_id", "@"),
    "channel": ("channel_id", "#"),
    "broadcast": ("range", "@"),
    "team": ("team_id", ""),
    "date": ("fallback", ""),
    "color": ("value", ""),
}


def _rich_text(block: dict[str, Any], color: bool, width: int) -> str:
    return "\n".join(_rich_part(part, color) for part in _dicts(block.get("elements")))


def _rich_part(part: dict[str, Any], color: bool) -> str:
    kind = part.get("type")
    if kind == "rich_text_list":
        indent = "  " * (part["indent"] if isinstance(part.get("indent"), int) else 0)
        ordered = part.get("style") == "ordered"
        items = [_rich_part(item, color) for item in _dicts(part.get("elements"))]
        lines = (f"{indent}{f'{i}.' if ordered else '•'} {item}" for i, item in enumerate(items, 1))
        return "\n".join(lines)
    text = "".join(_rich_inline(item, color) for item in _dicts(part.get("elements")))
    text = text.rstrip("\n")
    if kind == "rich_text_preformatted":
        return f"```\n{text}\n```"
    if kind == "rich_text_quote":
        return "\n".join("> " + line for line in text.split("\n"))
    return text


def _rich_inline(item: dict[str, Any], color: bool) -> str:
    kind = _str(item.get("type"))
    style = _as_dict(item.get("style"))
    if kind == "text":
        return _styled(_str(item.get("text")), style, color)
    if kind == "link":
        url, label = _str(item.get("url")), _str(item.get("text"))
        return f"{label} ({url})" if label and label != url else url
    if kind == "emoji":
        return f":{_str(item.get('name'))}:"
    key, prefix = _RICH_REFS.get(kind, ("", ""))
    value = item.get(key) if key else None
    return prefix + value if isinstance(value, str) else ""


def _styled(text: str, style: dict[str, Any], color: bool) -> str:
    if style.get("code"):
        text = f"`{text}`"
    if style.get("italic"):
        text = f"_{text}_"
    if style.get("strike"):
        text = f"~{text}~"
    return _bold(text, color) if style.get("bold") else text


_BLOCKS: dict[str, Callable[[dict[str, Any], bool, int], str]] = {
    "header": _header_block,
    "section": _section,
    "divider": _divider,
    "context": _context,
    "actions": _actions,
    "image": _image,
    "rich_text": _rich_text,
    "input": _input,
    "markdown": _markdown,
}


# --- messages and views ---------------------------------------------------------------------


def render_message(payload: dict[str, Any], *, color: bool = False) -> str:
    """A chat.postMessage/postEphemeral/respond/ack payload: blocks (else text), attachments."""
    payload = _as_dict(payload)
    blocks = _dicts(payload.get("blocks"))
    parts = [render_blocks(blocks, color=color) if blocks else _text(_mrkdwn(payload), color=color)]
    parts += [_attachment(attachment, color) for attachment in _dicts(payload.get("attachments"))]
    errors = _as_dict(payload.get("errors"))  # ack(response_action="errors", errors={...})
    parts += [f"⚠ {block_id}: {message}" for block_id, message in errors.items()]
    view = _as_dict(payload.get("view"))  # ack(response_action="update" | "push", view=...)
    parts.append(render_view(view, color=color) if view else "")
    return "\n".join(part for part in parts if part)


def _mrkdwn(payload: dict[str, Any]) -> dict[str, Any]:
    kind = "plain_text" if payload.get("mrkdwn") is False else "mrkdwn"
    return {"type": kind, "text": _str(payload.get("text"))}


def _attachment(attachment: dict[str, Any], color: bool) -> str:
    """A legacy attachment, each line behind a bar like Slack's colour stripe."""
    title, link = _str(attachment.get("title")), _str(attachment.get("title_link"))
    fields = [
        f"{_str(field.get('title'))}: {mrkdwn_to_text(_str(field.get('value')), color=color)}"
        for field in _dicts(attachment.get("fields"))
    ]
    parts = [
        mrkdwn_to_text(_str(attachment.get("pretext")), color=color),
        f"{title} ({link})" if title and link else title,
        mrkdwn_to_text(_str(attachment.get("text")), color=color),
        *fields,
        render_blocks(_dicts(attachment.get("blocks")), color=color),
        _dim(_str(attachment.get("footer")), color),
    ]
    text = "\n".join(part for part in parts if part) or _str(attachment.get("fallback"))
    return "\n".join("│ " + line for line in text.split("\n")) if text else ""


def render_view(view: dict[str, Any], *, color: bool = False) -> str:
    """A modal or home tab: title, blocks with input blocks as numbered fields, then buttons."""
    view = _as_dict(view)
    title = _text(view.get("title"))
    parts = [_header(title, color) if title else ""]
    number = 0
    for block in _dicts(view.get("blocks")):
        if block.get("type") == "input":
            number += 1
            parts.append(_field_text(block, number=number))
        else:
            parts.append(_block(block, color=color, width=100))
    buttons = (_text(view.get("submit")), _text(view.get("close")))
    parts.append(" ".join(f"[{label}]" for label in buttons if label))
    return "\n".join(part for part in parts if part)


def _field_text(block: dict[str, Any], *, number: int | None) -> str:
    field = _field(block)
    element = _input_element(block)
    prefix = f"{number}. " if number is not None else ""
    lines = [f"{prefix}{field.label} ({field.kind or '?'}{', valfritt' if field.optional else ''})"]
    chosen = _as_dict(element.get("initial_option"))  # external selects carry no option list
    shown = _text(chosen.get("text")) or _initial_text(field.initial, field.options)
    placeholder = _text(element.get("placeholder"))
    if shown:
        lines.append(f"   förval: {shown}")
    elif placeholder:
        lines.append(f"   {placeholder} …")
    if hint := _text(block.get("hint")):
        lines.append(f"   tips: {hint}")
    lines += [f"   {i}) {text}" for i, (_, text) in enumerate(field.options, 1)]
    return "\n".join(lines)


# --- modal fields ---------------------------------------------------------------------------


def view_fields(view: dict[str, Any]) -> list[Field]:
    """The input blocks of a modal, in order, as data for a prompt loop."""
    blocks = _dicts(_as_dict(view).get("blocks"))
    return [_field(block) for block in blocks if block.get("type") == "input"]


def _input_element(block: dict[str, Any]) -> dict[str, Any]:
    element = _as_dict(block.get("element"))
    return element or next(iter(_dicts(block.get("elements"))), {})


def _field(block: dict[str, Any]) -> Field:
    element = _input_element(block)
    return Field(
        block_id=_str(block.get("block_id")),
        action_id=_str(element.get("action_id")),
        label=_text(block.get("label")),
        kind=_str(element.get("type")),
        optional=block.get("optional") is True,
        multiline=element.get("multiline") is True,
        initial=_initial(element),
        options=_options(element),
    )


def _option(option: dict[str, Any]) -> tuple[str, str]:
    text = _text(option.get("text"))
    value = option.get("value")
    return (value if isinstance(value, str) else text, text)


def _options(element: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    groups = [*_dicts(element.get("option_groups")), {"options": element.get("options")}]
    return tuple(_option(option) for group in groups for option in _dicts(group.get("options")))


_INITIAL_ONE = ("initial_value", "initial_user", "initial_conversation", "initial_channel")
_INITIAL_MANY = ("initial_users", "initial_conversations", "initial_channels")


def _initial(element: dict[str, Any]) -> str | None:
    """The element's initial value as a person would type it (options by value)."""
    for key in (*_INITIAL_ONE, "initial_date", "initial_time"):
        if value := _str(element.get(key)):
            return value
    if isinstance(element.get("initial_value"), dict):  # rich_text_input
        return _rich_text(element["initial_value"], False, 0) or None
    if option := _as_dict(element.get("initial_option")):
        return _option(option)[0]
    many = [_option(option)[0] for option in _dicts(element.get("initial_options"))]
    many += [v for key in _INITIAL_MANY for v in _list(element.get(key)) if isinstance(v, str)]
    stamp = element.get("initial_date_time")
    if not many and isinstance(stamp, int) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M")
    return ",".join(many) or None


def _initial_text(initial: str | None, options: tuple[tuple[str, str], ...]) -> str:
    """An initial value as shown to a person: option texts rather than values."""
    if initial is None:
        return ""
    texts = dict(options)
    return ", ".join(texts.get(value, value) for value in initial.split(",")) if texts else initial
