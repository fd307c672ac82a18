"""Block Kit for the place register."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.places.service import RegisteredPlace
from handlers.forms import modal, text_input
from handlers.ids import Action, Callback
from handlers.ids import Block as B
from handlers.replies import build_text
from handlers.text import escape, paragraphs

Message = dict[str, Any]


def build_register(tr: Translator, places: Sequence[RegisteredPlace], *, is_admin: bool) -> Message:
    """Places by district, with their aliases."""
    title = tr.ngettext("{n} place", "{n} places", len(places))
    blocks: list[Block] = [HeaderBlock(text=title)]
    by_district = groupby(
        sorted(places, key=lambda p: (p.district, p.name)), key=lambda p: p.district
    )
    for district, members in by_district:
        lines = [
            f"• {escape(p.name)}" + (f" _({escape(', '.join(p.aliases))})_" if p.aliases else "")
            for p in members
        ]
        texts = paragraphs([f"*{escape(district)}*", *lines])  # a long district goes on
        blocks += [SectionBlock(text=MarkdownTextObject(text=t)) for t in texts]
    if is_admin:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=tr.gettext("New place"), action_id=Action.OPEN_ADD_PLACE, value=""
                    )
                ]
            )
        )
    return {"text": title, "blocks": [b.to_dict() for b in blocks[:50]]}


def build_add_place_modal(tr: Translator, *, name: str = "", channel: str) -> dict[str, Any]:
    blocks: list[Block] = [
        text_input(
            B.NAME, tr.gettext("Name"), action_id=Action.NAME, initial=name, hint="Fittja centrum"
        ),
        text_input(B.DISTRICT, tr.gettext("District"), action_id=Action.DISTRICT, hint="Fittja"),
        text_input(
            B.KIND,
            tr.gettext("Kind of place"),
            action_id=Action.KIND,
            hint="centrum, torg, park, skola…",
        ),
        text_input(
            B.ALIASES,
            tr.gettext("Other names, separated by commas"),
            action_id=Action.ALIASES,
            hint="Fittja C",
            optional=True,
        ),
        text_input(
            B.COORDINATES,
            tr.gettext("Coordinates for the map: latitude, longitude (WGS84)"),
            action_id=Action.COORDINATES,
            hint="59.2475, 17.8610",
            optional=True,
        ),
    ]
    return modal(tr, Callback.ADD_PLACE, tr.gettext("New place"), blocks, {"c": channel})


# -- answers to `/est plats …` (the names were typed by people) ------------------------------


def added(tr: Translator, done: RegisteredPlace) -> Message:
    return build_text(
        tr.gettext(
            "Added *{name}* ({district}).", name=escape(done.name), district=escape(done.district)
        )
    )


def renamed(tr: Translator, old: str, done: RegisteredPlace) -> Message:
    return build_text(
        tr.gettext(
            "*{old}* is now called *{new}*; the old name still finds it.",
            old=escape(old),
            new=escape(done.name),
        )
    )


def aliased(tr: Translator, done: RegisteredPlace) -> Message:
    return build_text(
        tr.gettext(
            "*{name}* is also found as: {aliases}.",
            name=escape(done.name),
            aliases=escape(", ".join(done.aliases)),
        )
    )


def located(tr: Translator, done: RegisteredPlace) -> Message:
    return build_text(
        tr.gettext(
            "*{name}* is on the map at {lat}, {lon}.",
            name=escape(done.name),
            lat=f"{done.latitude:.5f}",
            lon=f"{done.longitude:.5f}",
        )
    )


def archived(tr: Translator, done: RegisteredPlace) -> Message:
    return build_text(
        tr.gettext("*{name}* is archived; its incidents are kept.", name=escape(done.name))
    )


def merged(tr: Translator, source: RegisteredPlace, target: RegisteredPlace, moved: int) -> Message:
    return build_text(
        tr.ngettext(
            "*{source}* is merged into *{target}*: {n} incident moved.",
            "*{source}* is merged into *{target}*: {n} incidents moved.",
            moved,
            source=escape(source.name),
            target=escape(target.name),
        )
    )
