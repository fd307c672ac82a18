"""Block Kit for help and errors."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.commands import ENGLISH, SUBCOMMANDS, Sub
from bot.i18n import Translator
from handlers.replies import Message
from handlers.text import escape


def help_line(tr: Translator, sub: Sub) -> str:
    """`/est <word> <arguments>` — what it does, from the sub-command's row in the grammar."""
    command = SUBCOMMANDS[sub]
    return f"• {command.usage(sub)} — {tr.render(command.about)}"


def build_help(tr: Translator, available: Iterable[Sub], *, group_name: str | None) -> Message:
    """The help: what works now, then what is coming."""
    ready = [s for s in Sub if s in set(available)]
    lines = [help_line(tr, s) for s in ready]
    coming = [s for s in Sub if s not in ready]
    where = (
        tr.gettext("You are in *{group}*.", group=escape(group_name))
        if group_name
        else tr.gettext(
            "There is no EST group here yet: an admin starts one with "
            "`/est inställningar` in the group's channel."
        )
    )
    blocks = [
        HeaderBlock(text=tr.gettext("EST-bot — effective coordination for safety")),
        SectionBlock(text=MarkdownTextObject(text=where)),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
    ]
    if coming:
        later = ", ".join(f"`{s.value}`" for s in coming)
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=tr.gettext(
                            "Coming soon: {commands}. English words work too, e.g. `/est {help}`.",
                            commands=later,
                            help=ENGLISH[Sub.HELP],
                        )
                    )
                ]
            )
        )
    return {"text": tr.gettext("EST-bot help"), "blocks": [b.to_dict() for b in blocks]}


def build_unknown(tr: Translator, word: str, suggestion: Sub | None, help_: Message) -> Message:
    """'Menade du …?' above the help."""
    if suggestion is not None:
        text = tr.gettext(
            "I don't know “{word}”. Did you mean `/est {suggestion}`?",
            word=escape(word),
            suggestion=suggestion.value,
        )
    else:
        text = tr.gettext("I don't know “{word}”. This is what I can do:", word=escape(word))
    first = SectionBlock(text=MarkdownTextObject(text=text)).to_dict()
    return {"text": text, "blocks": [first, *help_["blocks"]]}
