"""Block Kit for reporters: the new link (shown once), the list, and the monthly feedback."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.reporters.links import CreatedLink, LinkView
from bot.reporters.notifications import ChannelFeedback, Feedback, ReporterFeedback
from handlers.ids import Action
from handlers.ids import Block as B
from handlers.rendering import Message, rendered, renderers
from handlers.text import clip, escape, format_day_only
from handlers.web.pages import feedback_lines, place_done

LINK_PATH = "/rapportera/"


def _message(text: str, blocks: Sequence[Block]) -> Message:
    return {"text": clip(text, 3000), "blocks": [b.to_dict() for b in blocks]}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def build_link_created(tr: Translator, created: CreatedLink, base_url: str) -> Message:
    """The link, once: only its hash is kept, so it cannot be shown again."""
    path = f"{LINK_PATH}{created.token}"
    url = f"<{base_url.rstrip('/')}{path}>" if base_url else f"`{path}`"
    text = tr.gettext(
        "A reporting link for *{name}* ({org}): {url}\nSend it to them yourself; it is shown "
        "only now. Whoever has it can report as them; revoke it with `/est rapportör "
        "återkalla {id}`.",
        name=escape(created.link.name),
        org=escape(created.link.organisation),
        url=url,
        id=created.link.id,
    )
    return _message(text, [_section(text)])


def build_links(tr: Translator, links: Sequence[LinkView], tz: ZoneInfo) -> Message:
    if not links:
        text = tr.gettext(
            "No reporting links yet. An admin makes one with `/est rapportör länk <namn> "
            "[organisation]`."
        )
        return _message(text, [_section(text)])
    lines = [tr.gettext("*Reporting links* (the links themselves are not kept):")]
    for link in links:
        lines.append(
            tr.gettext(
                "{id}. {name}, {org}, since {day}",
                id=link.id,
                name=escape(link.name),
                org=escape(link.organisation),
                day=format_day_only(link.created_at, tz, tr.language),
            )
            + ("" if link.feedback else " " + tr.gettext("(no monthly feedback)"))
        )
    text = "\n".join(lines)
    return _message(text, [_section(text)])


def build_revoked(tr: Translator, link: LinkView) -> Message:
    text = tr.gettext(
        "The reporting link of *{name}* is revoked: it stops working at once.",
        name=escape(link.name),
    )
    return _message(text, [_section(text)])


def build_feedback_switched(tr: Translator, on: bool) -> Message:
    text = (
        tr.gettext("You will get the monthly feedback again.")
        if on
        else tr.gettext(
            "You will no longer get the monthly feedback. `/est rapportör återkoppling på` "
            "starts it again."
        )
    )
    return _message(text, [_section(text)])


def _feedback_text(tr: Translator, feedback: Feedback) -> str:
    return "\n".join(escape(line) for line in feedback_lines(tr, feedback))


def build_reporter_feedback(tr: Translator, note: ReporterFeedback) -> Message:
    """The DM: the month's reports, what the group did at those places, thanks; and a button
    to stop it."""
    text = _feedback_text(tr, note.feedback)
    if note.organisation:
        text = tr.gettext("*{org}* in the EST group:", org=escape(note.organisation)) + "\n" + text
    button = ButtonElement(
        text=tr.gettext("Stop the monthly feedback"),
        action_id=Action.FEEDBACK_OFF,
        value=note.group.channel_id,
    )
    return _message(text, [_section(text), ActionsBlock(block_id=B.FEEDBACK, elements=[button])])


def build_channel_feedback(tr: Translator, note: ChannelFeedback) -> Message:
    """The channel: the month per reporting organisation."""
    lines = [tr.gettext("*What the reports of {month} led to*", month=tr.render(note.month_label))]
    for org, feedback in note.organisations:
        places = ", ".join(f"{escape(p.name)} ({p.count})" for p in feedback.places)
        lines.append(
            tr.ngettext(
                "*{org}*: {n} incident, at {places}.",
                "*{org}*: {n} incidents, at {places}.",
                feedback.total,
                org=escape(org),
                places=places,
            )
        )
        for place in feedback.places:
            done = place_done(tr, place.actions, place.activities, place.level_change)
            if done:
                lines.append(f"    {escape(place.name)}: {escape(done)}")
    lines.append(tr.gettext("Thank you to everyone who reported."))
    text = "\n".join(lines)
    return _message(text, [_section(text)])


RENDERERS = renderers(
    rendered(ReporterFeedback, build_reporter_feedback),
    rendered(ChannelFeedback, build_channel_feedback),
)
