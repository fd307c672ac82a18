"""Which place, which category? The questions a quick incident gets when it is unsure, with
buttons that finish the same text."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.incidents.categories import CategoryChoice
from bot.places.service import UnknownPlace
from handlers.ids import Action
from handlers.ids import Block as B
from handlers.incidents.lines import BUTTON_VALUE_LIMIT, Message, message
from handlers.text import clip, escape


def build_place_choices(tr: Translator, error: UnknownPlace, quick_text: str) -> Message:
    """Which place? The nearest three as buttons; admins may add the typed one."""
    text = tr.render(error.message, quote=escape)
    if error.places:
        text += " " + tr.gettext("Did you mean one of these?")
    buttons: list[ButtonElement] = []
    for i, place in enumerate(error.places[:3]):
        value = json.dumps({"p": place.id, "t": quick_text}, ensure_ascii=False)
        if len(value) <= BUTTON_VALUE_LIMIT:
            buttons.append(
                ButtonElement(
                    text=clip(place.name, 75), value=value, action_id=f"{Action.PICK_PLACE}_{i}"
                )
            )
    form_value = quick_text if len(quick_text) <= BUTTON_VALUE_LIMIT else quick_text[:1900]
    buttons.append(
        ButtonElement(
            text=tr.gettext("Open the form"), value=form_value, action_id=Action.OPEN_INCIDENT_FORM
        )
    )
    if error.can_add:
        buttons.append(
            ButtonElement(
                text=tr.gettext("Add “{name}” as a place", name=clip(error.text, 40)),
                value=error.text[:150],
                action_id=Action.OPEN_ADD_PLACE,
            )
        )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=B.PLACE_CHOICES, elements=buttons),
    ]
    if len(quick_text) > BUTTON_VALUE_LIMIT:  # too long to carry in a button: give it back
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=clip(f"```{escape(quick_text)}```")))
        )
    return message(blocks, text)


def build_category_choices(
    tr: Translator, error: CategoryChoice, quick_text: str, place_id: int | None
) -> Message:
    """Which category? Its choices as buttons that save the same text with that category, the
    form, and the text itself, so nothing typed is lost."""
    text = tr.render(error.message, quote=escape)
    if error.choices and not error.ambiguous:
        text += " " + tr.gettext("Did you mean one of these?")
    buttons: list[ButtonElement] = []
    for i, category in enumerate(error.choices[:3]):
        chosen = {"k": category.id, "t": quick_text, "p": place_id}
        value = json.dumps(chosen, ensure_ascii=False)
        if len(value) <= BUTTON_VALUE_LIMIT:
            label = clip(category.label(tr.language), 75)
            buttons.append(
                ButtonElement(text=label, value=value, action_id=f"{Action.PICK_CATEGORY}_{i}")
            )
    buttons.append(
        ButtonElement(
            text=tr.gettext("Open the form"),
            value=quick_text[:1900],
            action_id=Action.OPEN_INCIDENT_FORM,
        )
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=B.CATEGORY_CHOICES, elements=buttons),
        ContextBlock(elements=[PlainTextObject(text=clip(quick_text, 2000), emoji=False)]),
    ]
    return message(blocks, text)
