"""Slack message payloads, modals and Block Kit as plain terminal text, for the console mode.

Pure functions over the dicts the bot hands to `chat.postMessage`, `respond`, `ack` and
`views.open`. Rendering never raises on odd or partial payloads. The screen reads as Slack
shows it: labels, names and emoji, never action ids, block ids or element types. What can be
pressed (a button, each choice of an overflow menu, a select or picker) gets a number when the
caller hands in ``number``; the console lets people press it with ``:N``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from handlers.local.fields import (
    Field,
    element_field,
    field_text,
    initial_text,
    input_field,
    option_pair,
    view_fields,
)
from handlers.local.mrkdwn import (
    as_dict,
    as_str,
    bold,
    dicts,
    dim,
    mrkdwn_to_text,
    rich_text,
    text_of,
    visible_len,
)

__all__ = [
    "Field",
    "Numberer",
    "mrkdwn_to_text",
    "render_blocks",
    "render_message",
    "render_view",
    "view_fields",
]

# (block, element, the overflow's option or None) -> the number to press it with, or None
Numberer = Callable[[dict[str, Any], dict[str, Any], dict[str, Any] | None], int | None]


@dataclass(frozen=True)
class _Style:
    color: bool
    width: int
    number: Numberer | None


# --- blocks ---------------------------------------------------------------------------------


def render_blocks(
    blocks: list[dict[str, Any]],
    *,
    color: bool = False,
    width: int = 100,
    number: Numberer | None = None,
) -> str:
    """Block Kit blocks as text, one block after another; unknown types show as `[type]`."""
    style = _Style(color, width, number)
    rendered = (_block(block, style) for block in dicts(blocks))
    return "\n".join(part for part in rendered if part)


def _block(block: dict[str, Any], style: _Style) -> str:
    kind = as_str(block.get("type"))
    renderer = _BLOCKS.get(kind)
    return renderer(block, style) if renderer else f"[{kind or '?'}]"


def _header(text: str, color: bool) -> str:
    return f"{bold(text, color)}\n{'=' * max(len(text), 3)}"


def _header_block(block: dict[str, Any], style: _Style) -> str:
    text = text_of(block.get("text"))
    return _header(text, style.color) if text else ""


def _section(block: dict[str, Any], style: _Style) -> str:
    parts = [text_of(block.get("text"), color=style.color)]
    fields = [text_of(f, color=style.color) for f in dicts(block.get("fields"))]
    parts.append(_columns(fields, style.width))
    accessory = as_dict(block.get("accessory"))
    if accessory:
        shown = _element(accessory, block, style)
        parts.append("\n".join("  " + line for line in shown.split("\n")))
    return "\n".join(part for part in parts if part)


def _columns(fields: list[str], width: int) -> str:
    """Fields two to a row, as Slack shows them, unless a line is too wide for half the width."""
    column = width // 2
    lines_of: list[list[str]] = [field.split("\n") for field in fields]
    if any(visible_len(line) > column - 2 for lines in lines_of for line in lines):
        return "\n".join(fields)
    rows: list[str] = []
    rights = lines_of[1::2] + [[]] * (len(lines_of) % 2)
    for left, right in zip(lines_of[::2], rights, strict=True):
        for i in range(max(len(left), len(right))):
            cell = left[i] if i < len(left) else ""
            pad = " " * (column - visible_len(cell))
            rows.append((cell + pad + (right[i] if i < len(right) else "")).rstrip())
    return "\n".join(rows)


def _divider(block: dict[str, Any], style: _Style) -> str:
    return "─" * style.width


def _context(block: dict[str, Any], style: _Style) -> str:
    elements = (_element(e, block, style) for e in dicts(block.get("elements")))
    text = "  ".join(filter(None, elements))
    return "\n".join("  " + dim(line, style.color) for line in text.split("\n")) if text else ""


def _actions(block: dict[str, Any], style: _Style) -> str:
    """A row of elements side by side, as in Slack, wrapped where the line would be too wide."""
    lines: list[str] = []
    for element in dicts(block.get("elements")):
        shown = _element(element, block, style)
        joined = f"{lines[-1]}  {shown}" if lines else shown
        if lines and "\n" not in joined and visible_len(joined) <= style.width:
            lines[-1] = joined
        else:
            lines.append(shown)
    return "\n".join(lines)


def _image(block: dict[str, Any], style: _Style) -> str:
    return f"[bild: {as_str(block.get('alt_text'))}]"


def _input(block: dict[str, Any], style: _Style) -> str:
    return field_text(block, input_field(block), number=None)


def _markdown(block: dict[str, Any], style: _Style) -> str:
    return as_str(block.get("text"))


def _rich_text_block(block: dict[str, Any], style: _Style) -> str:
    return rich_text(block, style.color)


# --- elements -------------------------------------------------------------------------------


def _element(element: dict[str, Any], block: dict[str, Any], style: _Style) -> str:
    """A block element: text, image, button, overflow menu, select or picker."""
    kind = as_str(element.get("type"))
    if kind in ("plain_text", "mrkdwn"):
        return text_of(element, color=style.color)
    if kind == "image":
        return f"[bild: {as_str(element.get('alt_text'))}]"
    if kind in ("button", "workflow_button"):
        url = as_str(element.get("url"))
        shown = f"[{text_of(element.get('text'))}]" + (f" → {url}" if url else "")
        return _numbered(shown, style, block, element, None)
    if kind == "overflow":
        return _overflow(element, block, style)
    if kind == "rich_text":
        return rich_text(element, style.color)
    if "select" in kind or kind in _PICKERS:
        return _numbered(_select(element), style, block, element, None)
    return f"[{kind or '?'}]"


_PICKERS = ("datepicker", "timepicker", "datetimepicker", "checkboxes", "radio_buttons")


def _numbered(
    shown: str,
    style: _Style,
    block: dict[str, Any],
    element: dict[str, Any],
    option: dict[str, Any] | None,
) -> str:
    number = style.number(block, element, option) if style.number else None
    return shown if number is None else f":{number} {shown}"


def _overflow(element: dict[str, Any], block: dict[str, Any], style: _Style) -> str:
    """The ⋯ menu with its choices; numbered, each choice is pressed on its own."""
    choices = [
        _numbered(option_pair(option)[1], style, block, element, option)
        for option in dicts(element.get("options"))
    ]
    line = f"[⋯ {' | '.join(choices)}]"
    if visible_len(line) <= style.width - 4:
        return line
    return "[⋯]\n" + "\n".join("  " + choice for choice in choices)


def _select(element: dict[str, Any]) -> str:
    """A select or picker as Slack shows it closed: what is chosen, else its placeholder."""
    field = element_field(element, block_id="", label="")
    shown = initial_text(field)
    placeholder = text_of(element.get("placeholder"))
    return f"[{shown or (placeholder + ' …' if placeholder else 'välj …')} ▾]"


_BLOCKS: dict[str, Callable[[dict[str, Any], _Style], str]] = {
    "header": _header_block,
    "section": _section,
    "divider": _divider,
    "context": _context,
    "actions": _actions,
    "image": _image,
    "rich_text": _rich_text_block,
    "input": _input,
    "markdown": _markdown,
}


# --- messages and views ---------------------------------------------------------------------


def render_message(
    payload: dict[str, Any], *, color: bool = False, number: Numberer | None = None
) -> str:
    """A chat.postMessage/postEphemeral/respond/ack payload: blocks (else text), attachments."""
    payload = as_dict(payload)
    blocks = dicts(payload.get("blocks"))
    shown = render_blocks(blocks, color=color, number=number) if blocks else ""
    parts = [shown or text_of(_mrkdwn(payload), color=color)]
    parts += [_attachment(attachment, color) for attachment in dicts(payload.get("attachments"))]
    errors = as_dict(payload.get("errors"))  # ack(response_action="errors", errors={...})
    parts += [f"⚠ {message}" for message in errors.values()]
    view = as_dict(payload.get("view"))  # ack(response_action="update" | "push", view=...)
    parts.append(render_view(view, color=color) if view else "")
    return "\n".join(part for part in parts if part)


def _mrkdwn(payload: dict[str, Any]) -> dict[str, Any]:
    kind = "plain_text" if payload.get("mrkdwn") is False else "mrkdwn"
    return {"type": kind, "text": as_str(payload.get("text"))}


def _attachment(attachment: dict[str, Any], color: bool) -> str:
    """A legacy attachment, each line behind a bar like Slack's colour stripe."""
    title, link = as_str(attachment.get("title")), as_str(attachment.get("title_link"))
    fields = [
        f"{as_str(field.get('title'))}: {mrkdwn_to_text(as_str(field.get('value')), color=color)}"
        for field in dicts(attachment.get("fields"))
    ]
    parts = [
        mrkdwn_to_text(as_str(attachment.get("pretext")), color=color),
        f"{title} ({link})" if title and link else title,
        mrkdwn_to_text(as_str(attachment.get("text")), color=color),
        *fields,
        render_blocks(dicts(attachment.get("blocks")), color=color),
        dim(as_str(attachment.get("footer")), color),
    ]
    text = "\n".join(part for part in parts if part) or as_str(attachment.get("fallback"))
    return "\n".join("│ " + line for line in text.split("\n")) if text else ""


def render_view(
    view: dict[str, Any],
    *,
    color: bool = False,
    fields: Sequence[Field] | None = None,
    number: Numberer | None = None,
) -> str:
    """A modal or home tab: title, blocks with input blocks as numbered fields, then buttons.
    ``fields`` (as ``view_fields`` gives them, perhaps with choices filled in) replace what the
    input blocks say of themselves, in order."""
    view = as_dict(view)
    title = text_of(view.get("title"))
    parts = [_header(title, color) if title else ""]
    style = _Style(color, 100, number)
    inputs = [block for block in dicts(view.get("blocks")) if block.get("type") == "input"]
    given = list(fields) if fields is not None and len(fields) == len(inputs) else None
    count = 0
    for block in dicts(view.get("blocks")):
        if block.get("type") == "input":
            field = given[count] if given is not None else input_field(block)
            count += 1
            parts.append(field_text(block, field, number=count))
        else:
            parts.append(_block(block, style))
    buttons = (text_of(view.get("submit")), text_of(view.get("close")))
    parts.append(" ".join(f"[{label}]" for label in buttons if label))
    return "\n".join(part for part in parts if part)
