"""Block Kit for the place register."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.places import PlaceView
from handlers.ids import Action, Callback
from handlers.ids import Block as B
from handlers.text import clip, escape

Message = dict[str, Any]


def build_register(tr: Translator, places: Sequence[PlaceView], *, is_admin: bool) -> Message:
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
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=clip(f"*{escape(district)}*\n" + "\n".join(lines)))
            )
        )
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
    def field(
        block: str,
        action: str,
        label: str,
        initial: str = "",
        hint: str | None = None,
        optional: bool = False,
    ) -> InputBlock:
        element = PlainTextInputElement(
            action_id=action, initial_value=initial or None, max_length=200
        )
        return InputBlock(
            block_id=block, label=label, element=element, hint=hint, optional=optional
        )

    blocks: list[Block] = [
        field(B.NAME, Action.NAME, tr.gettext("Name"), name, "Fittja centrum"),
        field(B.DISTRICT, Action.DISTRICT, tr.gettext("District"), hint="Fittja"),
        field(B.KIND, Action.KIND, tr.gettext("Kind of place"), hint="centrum, torg, park, skola…"),
        field(
            B.ALIASES,
            Action.ALIASES,
            tr.gettext("Other names, separated by commas"),
            hint="Fittja C",
            optional=True,
        ),
    ]
    view = View(
        type="modal",
        callback_id=Callback.ADD_PLACE,
        title=tr.gettext("New place"),
        blocks=blocks,
        submit=tr.gettext("Save"),
        close=tr.gettext("Cancel"),
        private_metadata=json.dumps({"c": channel}),
    )
    return view.to_dict()
