"""The generic replies every feature gives: a short text, an error with its id, and a refusal
that hands the person's text back."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.i18n import Translator

Message = dict[str, Any]


def build_text(text: str) -> Message:
    """A short mrkdwn answer. ``text`` must already be escaped where it holds user input."""
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def build_error(tr: Translator, error_id: str, *, database_down: bool = False) -> Message:
    if database_down:
        return build_text(
            tr.gettext(
                "The database is not answering just now (error id `{id}`), so nothing was "
                "saved. Try again in a minute.",
                id=error_id,
            )
        )
    return build_text(
        tr.gettext(
            "Something went wrong on our side (error id `{id}`). Nothing was "
            "saved. Try again, and tell your admin the id if it happens "
            "again.",
            id=error_id,
        )
    )


def build_form_error(tr: Translator, error_id: str, *, database_down: bool = False) -> str:
    """Shown under a field of a form that stays open (plain text: Slack shows it as typed)."""
    if database_down:
        return tr.gettext(
            "The database is not answering just now, so nothing was saved. What you wrote is "
            "still here: send the form again in a minute. (Error id {id})",
            id=error_id,
        )
    return tr.gettext(
        "Something went wrong on our side, so nothing was saved. What you wrote is still "
        "here: send the form again, and tell your admin the id if it happens again. "
        "(Error id {id})",
        id=error_id,
    )


def build_error_view(tr: Translator, text: str) -> dict[str, Any]:
    """A modal pushed over a form that has no field to show the error under: closing it goes
    back to the form as it was."""
    return {
        "type": "modal",
        "title": PlainTextObject(text=tr.gettext("Not saved")).to_dict(),
        "close": PlainTextObject(text=tr.gettext("Back to the form")).to_dict(),
        "blocks": [SectionBlock(text=PlainTextObject(text=text, emoji=False)).to_dict()],
    }


PLAIN_TEXT_LIMIT = 3000


def build_refused(tr: Translator, message: str, typed: str) -> Message:
    """A refusal that hands the person's whole text back, so nothing they typed is lost.

    The text goes in plain_text sections (shown exactly as typed, never formatted or linked),
    split across as many sections as it needs.
    """
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=message[:PLAIN_TEXT_LIMIT]))]
    if typed:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=tr.gettext("Your text:"))]))
        for start in range(0, len(typed), PLAIN_TEXT_LIMIT):
            chunk = typed[start : start + PLAIN_TEXT_LIMIT]
            blocks.append(SectionBlock(text=PlainTextObject(text=chunk, emoji=False)))
    return {"text": message, "blocks": [b.to_dict() for b in blocks]}
