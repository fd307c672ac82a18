"""The walk over blocks, elements and composition objects that ``handlers.local.validation``
runs: each limit of ``handlers.local.slack_limits`` and each rule of its RULES, with Slack's
wording and the JSON pointer of the offending field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from handlers.local.slack_limits import LIMITS

Json = dict[str, Any]
_PLAIN_KEYS = {"type", "text", "emoji"}
_MRKDWN_KEYS = {"type", "text", "verbatim"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_INPUTS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")
_SELECTS = ("static_select", "multi_static_select")
_CHOICES = ("checkboxes", "radio_buttons")
_PASSIVE = (  # elements with nothing the bot could get wrong beyond action_id and placeholder
    *("users_select", "multi_users_select", "conversations_select"),
    *("multi_conversations_select", "channels_select", "multi_channels_select"),
    *("external_select", "multi_external_select", "datetimepicker", "rich_text_input"),
    *("file_input", "workflow_button"),
)


class Check:
    """One walk over a payload, collecting Slack-style messages: 'why [json-pointer:/path]'."""

    def __init__(self, root: str, sdk: Callable[[Json], list[str]]) -> None:
        self.root = root
        self.sdk = sdk  # what slack_sdk's models refuse in one block
        self.errors: list[str] = []

    def fail(self, why: str, at: str) -> None:
        self.errors.append(f"{why} [json-pointer:{self.root}{at}]")

    # --- sizes ----------------------------------------------------------------------------

    def length(self, name: str, value: Any, at: str) -> None:
        limit = LIMITS[name]
        if not isinstance(value, str):
            self.fail("must be a string", at)
        elif len(value) > limit.most:
            self.fail(f"must be less than {limit.most + 1} characters", at)
        elif len(value) < limit.least:
            self.fail(f"must be at least {limit.least} characters", at)

    def items(self, name: str, value: Any, at: str) -> list[Any]:
        limit = LIMITS[name]
        if not isinstance(value, list):
            self.fail("must provide an array", at)
            return []
        if len(value) > limit.most:
            self.fail(f"must be less than {limit.most + 1} items", at)
        elif len(value) < limit.least:
            self.fail(f"must provide at least {limit.least} items", at)
        return value

    def text(self, obj: Any, at: str, name: str = "text", *, plain: bool = False) -> None:
        if not isinstance(obj, dict):
            self.fail("must provide an object", at)
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn") or (plain and kind != "plain_text"):
            self.fail('must be "plain_text"' if plain else "must be a text object", f"{at}/type")
        extra = set(obj) - (_PLAIN_KEYS if kind == "plain_text" else _MRKDWN_KEYS)
        if extra:
            self.fail(f"unknown field(s) {sorted(extra)}", at)
        self.length(name, obj.get("text"), f"{at}/text")

    # --- surfaces -------------------------------------------------------------------------

    def view(self, view: Json) -> None:
        kind = view.get("type")
        if kind not in ("modal", "home"):
            self.fail('must be "modal" or "home"', "/type")
        blocks = view.get("blocks")
        self.blocks(blocks, "/blocks", "modal" if kind == "modal" else "home")
        for field in ("private_metadata", "callback_id", "external_id"):
            if view.get(field):
                self.length(f"view.{field}", view[field], f"/{field}")
        if kind == "home":
            for field in ("submit", "close"):
                if field in view:
                    self.fail("a Home tab has no submit or close", f"/{field}")
            return
        self.text(view.get("title"), "/title", "view.title", plain=True)
        for field in ("submit", "close"):
            if field in view:
                self.text(view[field], f"/{field}", f"view.{field}", plain=True)
        inputs = isinstance(blocks, list) and any(b.get("type") == "input" for b in blocks)
        if inputs and "submit" not in view:
            self.fail("submit is required when the view has input blocks", "/submit")

    def blocks(self, blocks: Any, at: str, surface: str) -> None:
        seen: dict[str, int] = {}
        for index, block in enumerate(self.items(f"{surface}.blocks", blocks, at)):
            where = f"{at}/{index}"
            if not isinstance(block, dict):
                self.fail("must provide an object", where)
                continue
            block_id = block.get("block_id")
            if block_id is not None:
                self.length("block_id", block_id, f"{where}/block_id")
                if block_id in seen:
                    self.fail(f"block_id duplicates the one of block {seen[block_id]}", where)
                seen.setdefault(block_id, index)
            check = _BLOCKS.get(str(block.get("type")))
            if check is None:
                self.fail(f"unknown block type {block.get('type')!r}", f"{where}/type")
                continue
            check(self, block, where)
            for message in self.sdk(block):
                self.fail(f"slack_sdk: {message}", where)

    # --- blocks ---------------------------------------------------------------------------

    def section(self, block: Json, at: str) -> None:
        if "text" not in block and "fields" not in block:
            self.fail("must provide text or fields", at)
        if "text" in block:
            self.text(block["text"], f"{at}/text", "section.text")
        if "fields" in block:
            fields = self.items("section.fields", block["fields"], f"{at}/fields")
            for i, field in enumerate(fields):
                self.text(field, f"{at}/fields/{i}", "section.field")
        if "accessory" in block:
            self.element(block["accessory"], f"{at}/accessory")

    def header(self, block: Json, at: str) -> None:
        self.text(block.get("text"), f"{at}/text", "header.text", plain=True)

    def context(self, block: Json, at: str) -> None:
        elements = self.items("context.elements", block.get("elements"), f"{at}/elements")
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") == "image":
                self.image(element, f"{at}/elements/{i}")
            else:
                self.text(element, f"{at}/elements/{i}")

    def actions(self, block: Json, at: str) -> None:
        ids: set[str] = set()
        elements = self.items("actions.elements", block.get("elements"), f"{at}/elements")
        for i, element in enumerate(elements):
            self.element(element, f"{at}/elements/{i}")
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id in ids:
                self.fail("action_id must be unique in its block", f"{at}/elements/{i}/action_id")
            if action_id is not None:
                ids.add(action_id)

    def input(self, block: Json, at: str) -> None:
        self.text(block.get("label"), f"{at}/label", "input.label", plain=True)
        if "hint" in block:
            self.text(block["hint"], f"{at}/hint", "input.hint", plain=True)
        self.element(block.get("element"), f"{at}/element")

    def image(self, block: Json, at: str) -> None:
        if "slack_file" not in block:
            self.length("image.image_url", block.get("image_url"), f"{at}/image_url")
        self.length("image.alt_text", block.get("alt_text"), f"{at}/alt_text")
        if "title" in block:
            self.text(block["title"], f"{at}/title", "image.title", plain=True)

    def markdown(self, block: Json, at: str) -> None:
        self.length("markdown.text", block.get("text"), f"{at}/text")

    def nothing(self, block: Json, at: str) -> None:
        """divider, rich_text, file, video: nothing the bot builds can break their limits."""

    # --- elements -------------------------------------------------------------------------

    def element(self, element: Any, at: str) -> None:
        if not isinstance(element, dict):
            self.fail("must provide an object", at)
            return
        kind = str(element.get("type"))
        if "action_id" in element:
            self.length("action_id", element["action_id"], f"{at}/action_id")
        if "placeholder" in element:
            self.text(element["placeholder"], f"{at}/placeholder", "placeholder", plain=True)
        if "confirm" in element:
            self.confirm(element["confirm"], f"{at}/confirm")
        if kind == "button":
            self.button(element, at)
        elif kind in (*_SELECTS, *_CHOICES, "overflow"):
            self.options(element, at, kind)
        elif kind in _INPUTS:
            self.text_input(element, at)
        elif kind == "datepicker" and "initial_date" in element:
            if not _DATE.fullmatch(str(element["initial_date"])):
                self.fail("must be YYYY-MM-DD", f"{at}/initial_date")
        elif kind == "timepicker" and "initial_time" in element:
            if not _TIME.fullmatch(str(element["initial_time"])):
                self.fail("must be HH:mm", f"{at}/initial_time")
        elif kind == "image":
            self.image(element, at)
        elif kind not in (*_PASSIVE, "datepicker", "timepicker"):
            self.fail(f"unknown element type {kind!r}", f"{at}/type")

    def button(self, element: Json, at: str) -> None:
        self.text(element.get("text"), f"{at}/text", "button.text", plain=True)
        for field in ("value", "url"):
            if field in element:
                self.length(f"button.{field}", element[field], f"{at}/{field}")
        if element.get("style") not in (None, "primary", "danger"):
            self.fail('must be "primary" or "danger"', f"{at}/style")

    def options(self, element: Json, at: str, kind: str) -> None:
        plain = kind not in _CHOICES
        limit = "static_select.options" if kind in _SELECTS else f"{kind}.options"
        groups = element.get("option_groups")
        if kind in _SELECTS and groups is not None:
            if "options" in element:
                self.fail("options and option_groups cannot both be given", at)
            options = []
            for g, group in enumerate(
                self.items("static_select.option_groups", groups, f"{at}/option_groups")
            ):
                where = f"{at}/option_groups/{g}"
                self.text(group.get("label"), f"{where}/label", "option_group.label", plain=True)
                listed = self.items(
                    "option_group.options", group.get("options"), where + "/options"
                )
                for i, option in enumerate(listed):
                    self.option(option, f"{where}/options/{i}", plain=True)
                options += listed
        else:
            options = self.items(limit, element.get("options"), f"{at}/options")
            for i, option in enumerate(options):
                self.option(option, f"{at}/options/{i}", plain=plain, url=kind == "overflow")
        self.initial(element, at, options)

    def initial(self, element: Json, at: str, options: list[Any]) -> None:
        chosen = [element["initial_option"]] if "initial_option" in element else []
        chosen += element.get("initial_options") or []
        for option in chosen:
            if option not in options:
                field = "initial_option" if "initial_option" in element else "initial_options"
                self.fail("must exactly match one of the options", f"{at}/{field}")

    def option(self, option: Any, at: str, *, plain: bool, url: bool = False) -> None:
        if not isinstance(option, dict):
            self.fail("must provide an object", at)
            return
        self.text(option.get("text"), f"{at}/text", "option.text", plain=plain)
        self.length("option.value", option.get("value"), f"{at}/value")
        if "description" in option:
            self.text(option["description"], f"{at}/description", "option.description")
        if "url" in option:
            if url:
                self.length("option.url", option["url"], f"{at}/url")
            else:
                self.fail("url is only allowed in overflow menus", f"{at}/url")

    def text_input(self, element: Json, at: str) -> None:
        most = LIMITS["plain_text_input.max_length"].most
        max_length = element.get("max_length", most)
        if not isinstance(max_length, int) or not 1 <= max_length <= most:
            self.fail(f"must be between 1 and {most}", f"{at}/max_length")
            max_length = most
        initial = element.get("initial_value")
        if initial is None:
            return
        self.length("plain_text_input.initial_value", initial, f"{at}/initial_value")
        if isinstance(initial, str) and len(initial) > max_length:
            self.fail(f"must be no longer than max_length ({max_length})", f"{at}/initial_value")
        if element.get("type") == "number_input":
            try:
                float(initial)
            except ValueError:
                self.fail("must be a number", f"{at}/initial_value")

    def confirm(self, confirm: Any, at: str) -> None:
        if not isinstance(confirm, dict):
            self.fail("must provide an object", at)
            return
        for field in ("title", "text", "confirm", "deny"):
            self.text(confirm.get(field), f"{at}/{field}", f"confirm.{field}", plain=True)


_BLOCKS: dict[str, Callable[[Check, Json, str], None]] = {
    "section": Check.section,
    "header": Check.header,
    "context": Check.context,
    "actions": Check.actions,
    "input": Check.input,
    "image": Check.image,
    "markdown": Check.markdown,
    **dict.fromkeys(("divider", "rich_text", "file", "video"), Check.nothing),
}
