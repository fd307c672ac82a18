"""Block Kit for help and errors."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.commands import ENGLISH, Sub
from bot.i18n import Translator
from handlers.replies import Message
from handlers.text import escape


def describe(tr: Translator, sub: Sub) -> str:
    texts = {
        Sub.HELP: tr.gettext("this help"),
        Sub.INCIDENT: tr.gettext("log an incident at a place"),
        Sub.INCIDENTS: tr.gettext("list incidents"),
        Sub.REPORT: tr.gettext("this week's situation report for your organisation"),
        Sub.PICTURE: tr.gettext("the compiled situation picture of a week"),
        Sub.MEETING: tr.gettext("the weekly meeting: agenda, decisions, close"),
        Sub.ACTION: tr.gettext("the action plan: new, list, done"),
        Sub.ACTIVITY: tr.gettext("activities at places"),
        Sub.PLACE: tr.gettext("the place register"),
        Sub.CATEGORY: tr.gettext("incident categories (admins change them)"),
        Sub.SUMMARY: tr.gettext("post the weekly summary now"),
        Sub.EXPORT: tr.gettext("files: CSV, XLSX, PDF"),
        Sub.SETTINGS: tr.gettext("create the group, organisations, members (admins)"),
        Sub.JOIN: tr.gettext("ask to join the group with your organisation"),
        Sub.LANGUAGE: tr.gettext("choose your language: sv or en"),
    }
    return texts[sub]


def _usage(sub: Sub) -> str:
    arguments = {
        Sub.JOIN: " <organisation>",
        Sub.LANGUAGE: " sv|en",
        Sub.INCIDENT: " [plats; kategori; beskrivning; när; begränsad]",
        Sub.SETTINGS: " [gallring N]",
        Sub.INCIDENTS: " [plats] [period]",
        Sub.PLACE: " [ny | byt namn | alias | slå ihop | arkivera]",
        Sub.CATEGORY: " [ny | byt namn | ta bort]",
        Sub.ACTION: " [ny | N | klar N | alla | försenade | plats X | polis]",
        Sub.PICTURE: " [v46 | plats X | ändra v46 <orsak>]",
        Sub.REPORT: " [fler platser, kommaseparerade]",
        Sub.SUMMARY: " [v46 | tid måndag 08:00]",
        Sub.ACTIVITY: " [ny | N | mina | plats X | uppföljning N | kostnad N | dokument N"
        " | ställ in N <skäl> | kalender]",
        Sub.EXPORT: " händelser [period] [plats] | lägesbild 2026 | aktivitet N | bidrag ÅR",
    }
    return f"`/est {sub.value}{arguments.get(sub, '')}`"


def build_help(tr: Translator, available: Iterable[Sub], *, group_name: str | None) -> Message:
    """The help: what works now, then what is coming."""
    ready = [s for s in Sub if s in set(available)]
    lines = [f"• {_usage(s)} — {describe(tr, s)}" for s in ready]
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
