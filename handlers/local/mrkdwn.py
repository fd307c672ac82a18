"""Slack's text as terminal text: mrkdwn, text objects, rich text, emoji; and small readers of
untrusted JSON. The ground that the renderer (`render.py`) and the form fields (`fields.py`) share.
"""

from __future__ import annotations

import json
import re
from typing import Any

from handlers.local.emoji import emojize

BOLD_ON, BOLD_OFF, DIM_ON, DIM_OFF = "\x1b[1m", "\x1b[22m", "\x1b[2m", "\x1b[22m"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Control sequences like <https://x|label>, and code spans, which mrkdwn leaves alone.
# A user's formatting character between word joiners (handlers.text.escape) is a literal too.
_PROTECTED = re.compile(r"\u2060[*_~`]\u2060|```.*?```|`[^`\n]+`|<([^<>\n]+)>", re.DOTALL)
_BOLD = re.compile(r"(?<![\w*])\*([^*\s](?:[^*\n]*[^*\s])?)\*(?![\w*])")
_ENTITIES = re.compile(r"&(amp|lt|gt);")
_PLACEHOLDER = 0xE000  # private-use code points stand in for protected spans


# --- mrkdwn ---------------------------------------------------------------------------------


def mrkdwn_to_text(text: str, *, color: bool = False) -> str:
    """Slack mrkdwn as terminal text: links, mentions, entities and emoji resolved, *bold*
    bolded."""
    spans: list[str] = []

    def protect(match: re.Match[str]) -> str:
        inner = match.group(1)
        spans.append(_control(inner) if inner is not None else _unescape(match.group(0)))
        return chr(_PLACEHOLDER + len(spans) - 1)

    masked = _PROTECTED.sub(protect, text)
    masked = _BOLD.sub(lambda m: bold(m.group(1), color), masked)
    plain = _unescape(emojize(masked))
    return re.sub("[\ue000-\uf8ff]", lambda m: _restore(m.group(0), spans), plain)


def _restore(char: str, spans: list[str]) -> str:
    index = ord(char) - _PLACEHOLDER
    return spans[index] if index < len(spans) else char


def _unescape(text: str) -> str:
    """Entities resolved, and the word joiners that keep a user's `*` from formatting dropped."""
    text = text.replace("\u2060", "")
    return _ENTITIES.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def bold(text: str, color: bool) -> str:
    return f"{BOLD_ON}{text}{BOLD_OFF}" if color else text


def dim(text: str, color: bool) -> str:
    return f"{DIM_ON}{text}{DIM_OFF}" if color else text


def visible_len(text: str) -> int:
    return len(ANSI.sub("", text))


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


# --- small readers of untrusted JSON --------------------------------------------------------


def as_dict(value: Any) -> dict[str, Any]:
    if hasattr(value, "to_dict") and callable(value.to_dict):  # slack_sdk model objects
        value = value.to_dict()
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    items = value if isinstance(value, list | tuple) else []
    return [d for d in (as_dict(item) for item in items) if d]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def text_of(obj: Any, *, color: bool = False) -> str:
    """A text object (plain_text or mrkdwn) as terminal text; tolerates a bare string. Emoji
    codes show as emoji, as Slack shows them (in plain text unless ``emoji`` is false)."""
    if isinstance(obj, str):
        return obj
    obj = as_dict(obj)
    raw = as_str(obj.get("text"))
    if obj.get("type") == "mrkdwn":
        return mrkdwn_to_text(raw, color=color)
    return raw if obj.get("emoji") is False else emojize(raw)


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


def rich_text(block: dict[str, Any], color: bool) -> str:
    return "\n".join(_rich_part(part, color) for part in dicts(block.get("elements")))


def _rich_part(part: dict[str, Any], color: bool) -> str:
    kind = part.get("type")
    if kind == "rich_text_list":
        indent = "  " * (part["indent"] if isinstance(part.get("indent"), int) else 0)
        ordered = part.get("style") == "ordered"
        items = [_rich_part(item, color) for item in dicts(part.get("elements"))]
        lines = (f"{indent}{f'{i}.' if ordered else '•'} {item}" for i, item in enumerate(items, 1))
        return "\n".join(lines)
    text = "".join(_rich_inline(item, color) for item in dicts(part.get("elements")))
    text = text.rstrip("\n")
    if kind == "rich_text_preformatted":
        return f"```\n{text}\n```"
    if kind == "rich_text_quote":
        return "\n".join("> " + line for line in text.split("\n"))
    return text


def _rich_inline(item: dict[str, Any], color: bool) -> str:
    kind = as_str(item.get("type"))
    style = as_dict(item.get("style"))
    if kind == "text":
        return _styled(as_str(item.get("text")), style, color)
    if kind == "link":
        url, label = as_str(item.get("url")), as_str(item.get("text"))
        return f"{label} ({url})" if label and label != url else url
    if kind == "emoji":
        name = as_str(item.get("name"))
        return emojize(f":{name}:")
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
    return bold(text, color) if style.get("bold") else text
