"""Block Kit for help and errors."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.commandhelp import HELP, PERIOD_WORDS, SHORTCUT, Form, closest_form, own_words, usage
from bot.commands import ENGLISH, SUBCOMMANDS, Sub, fold
from bot.i18n import Translator
from handlers.replies import Message
from handlers.text import escape


def entities(text: str) -> str:
    """``&``, ``<`` and ``>`` as mrkdwn needs them, so `<plats>` shows and is not a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def help_line(tr: Translator, sub: Sub) -> str:
    """`/est <word> <arguments>` — what it does, from the sub-command's row in the grammar."""
    command = SUBCOMMANDS[sub]
    return f"• {entities(command.usage(sub))} — {tr.render(command.about)}"


def build_help(
    tr: Translator, available: Iterable[Sub], *, group_name: str | None, only: bool = False
) -> Message:
    """The help: what works now, then what is coming (``only``: just what is available, e.g.
    a reporter's few sub-commands)."""
    ready = [s for s in Sub if s in set(available)]
    lines = [help_line(tr, s) for s in ready]
    coming = [] if only else [s for s in Sub if s not in ready]
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
    blocks += [
        SectionBlock(text=MarkdownTextObject(text=_shortcut_and_periods(tr))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=tr.gettext(
                        "`/est <command> hjälp` shows how to write a command, with examples."
                    )
                )
            ]
        ),
    ]
    return {"text": tr.gettext("EST-bot help"), "blocks": [b.to_dict() for b in blocks]}


def _shortcut_and_periods(tr: Translator) -> str:
    shortcut = tr.gettext(
        "*From a message:* choose ⋯ on the message → *{shortcut}* to log it as an incident.",
        shortcut=SHORTCUT,
    )
    periods = tr.gettext(
        "*Periods* (`händelser`, `export händelser`): {words}.",
        words=", ".join(f"`{w}`" for w in PERIOD_WORDS),
    )
    return f"{shortcut}\n{periods}"


def form_line(tr: Translator, sub: Sub, form: Form) -> str:
    return f"• {entities(usage(sub, form))} — {entities(tr.render(form.about))}"


def build_sub_help(tr: Translator, sub: Sub) -> Message:
    """One sub-command's help: what it does, every way to write it, two examples."""
    taught = HELP[sub]
    forms = "\n".join(form_line(tr, sub, f) for f in taught.forms)
    examples = "\n".join(f"`/est {e}`" for e in taught.examples)
    english = tr.gettext(
        "English words work too: `/est {english}`. Everything: `/est hjälp`.",
        english=ENGLISH[sub],
    )
    blocks = [
        HeaderBlock(text=f"/est {sub.value}"),
        SectionBlock(text=MarkdownTextObject(text=tr.render(SUBCOMMANDS[sub].about))),
        SectionBlock(text=MarkdownTextObject(text=tr.gettext("*How to write it*") + "\n" + forms)),
        SectionBlock(text=MarkdownTextObject(text=tr.gettext("*Examples*") + "\n" + examples)),
        ContextBlock(elements=[MarkdownTextObject(text=english)]),
    ]
    text = tr.gettext("Help for /est {sub}", sub=sub.value)
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def option_hint(tr: Translator, sub: Sub, form: Form) -> str:
    """'Menade du `/est aktivitet kalender [ny]`?' — the sub-command's own form, first."""
    return tr.gettext(
        "Did you mean {usage}? (`/est {sub} hjälp` shows everything it takes.)",
        usage=entities(usage(sub, form)),
        sub=sub.value,
    )


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


def hint_for(tr: Translator, sub: Sub, args: str, *, unknown_name: bool) -> str | None:
    """What to say before an error about what followed the sub-command: the form its first word
    nearly is; or, when one word was not known as a name, the words the sub-command takes."""
    if (form := closest_form(sub, args)) is not None:
        return option_hint(tr, sub, form)
    words = own_words(sub)
    typed = args.strip()
    if not unknown_name or not words or " " in typed or fold(typed) in map(fold, words):
        return None
    return tr.gettext(
        "“{word}” is none of the words `/est {sub}` takes ({words}); "
        "`/est {sub} hjälp` shows them all.",
        word=escape(typed),
        sub=sub.value,
        words=", ".join(f"`{w}`" for w in words),
    )
