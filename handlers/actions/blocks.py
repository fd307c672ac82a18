"""Block Kit for the action plan: cards with their buttons, lists, reminders, modals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ExternalDataMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from bot.actions.notifications import (
    ActionAssigned,
    ActionEscalated,
    ActionHandedOver,
    ActionReminder,
    Undeliverable,
)
from bot.actions.results import ActionItem, Note
from bot.i18n import Translator
from bot.workdays import working_day_on_or_after
from handlers import blockkit as kit
from handlers.blockkit import Json
from handlers.forms import date_input, free_text_input, modal, select_input, text_input, user_input
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.rendering import rendered, renderers
from handlers.text import clip, escape, format_day_short, slack_reason

Message = dict[str, Any]
# a divider and up to 3 blocks an action, a header and a "more" line: within Slack's 50 blocks
LIST_LIMIT = 12


def status_label(tr: Translator, status: str) -> str:
    labels = {
        "öppen": tr.gettext("open"),
        "pågår": tr.gettext("in progress"),
        "klar": tr.gettext("done"),
        "avbruten": tr.gettext("cancelled"),
    }
    return labels.get(status, status)


def _day(tr: Translator, day: date) -> str:
    return format_date(day, "EEE d MMM", locale="en_GB" if tr.language == "en" else "sv_SE")


def summary(tr: Translator, action: ActionItem, today: date) -> str:
    """mrkdwn: what, who, when, where — the title and places are escaped (people typed them).
    A finished action says only that it is done, not when it was due."""
    due = tr.gettext("due {day}", day=_day(tr, action.due_date)) if action.is_open else ""
    if action.overdue(today):
        due = tr.ngettext(
            ":red_circle: {n} day overdue (due {day})",
            ":red_circle: {n} days overdue (due {day})",
            action.days_overdue(today),
            day=_day(tr, action.due_date),
        )
    parts = [
        f"*#{action.id} {escape(action.title)}*",
        f"<@{action.owner_user_id}> ({escape(action.organisation)})",
        due,
        status_label(tr, action.status),
    ]
    parts = [p for p in parts if p]
    if action.places:
        parts.append(escape(", ".join(action.places)))
    return " · ".join(parts)


def _buttons(tr: Translator, action: ActionItem) -> Json:
    value = str(action.id)
    postpone = kit.overflow(
        action_id=A.POSTPONE_ACTION,
        options=[
            kit.option(f"{value}:1", tr.gettext("Postpone 1 day")),
            kit.option(f"{value}:7", tr.gettext("Postpone 1 week")),
            kit.option(f"{value}:date", tr.gettext("New date…")),
            kit.option(f"{value}:owner", tr.gettext("Give to someone else…")),
        ],
    )
    return kit.actions(
        block_id=f"{B.ACTION_BUTTONS}_{value}",
        elements=[
            kit.button(tr.gettext("Done"), action_id=A.ACTION_DONE, value=value, style="primary"),
            kit.button(tr.gettext("In progress"), action_id=A.ACTION_IN_PROGRESS, value=value),
            kit.button(tr.gettext("Add a note"), action_id=A.ACTION_NOTE, value=value),
            postpone,
        ],
    )


_HANDOVER = re.compile(r"([UW][A-Z0-9]+) → ([UW][A-Z0-9]+)")


def _note_text(note: Note) -> str:
    """A note as mrkdwn: a hand-over ("U1 → U2", as the service records it) names the two
    people, as Slack shows mentions; anything else is the text as typed, escaped."""
    if note.kind == "reassign" and (handover := _HANDOVER.fullmatch(note.text)):
        return f"<@{handover[1]}> → <@{handover[2]}>"
    return escape(note.text)


def card_blocks(
    tr: Translator, action: ActionItem, today: date, *, notes: bool = False
) -> list[Json]:
    """An action as blocks (plain dicts: reminders are sent in bulk, see handlers/blockkit.py)."""
    blocks = [kit.section(clip(summary(tr, action, today)))]
    if action.description:
        blocks.append(kit.context(clip(escape(action.description), 2000)))
    if notes and action.notes:
        lines = [
            f"{format_day_short(n.created_at.date(), tr.language)} <@{n.author_user_id}>: "
            f"{_note_text(n)}"
            for n in action.notes[-5:]
        ]
        blocks.append(kit.context(clip("\n".join(lines), 2000)))
    if action.is_open:
        blocks.append(_buttons(tr, action))
    return blocks


def _message(text: str, blocks: list[Json]) -> Message:
    return {"text": text, "blocks": blocks}


def build_card(tr: Translator, action: ActionItem, today: date) -> Message:
    return _message(
        f"#{action.id} {escape(action.title)}", card_blocks(tr, action, today, notes=True)
    )


def build_list(tr: Translator, title: str, actions: Sequence[ActionItem], today: date) -> Message:
    title = title[:1].upper() + title[1:]  # "mina öppna åtgärder" heads a message
    if not actions:
        text = tr.gettext("{what}: none right now.", what=title)
        return _message(text, [kit.section(text)])
    blocks = [kit.header(clip(f"{title} ({len(actions)})", 150))]
    for action in actions[:LIST_LIMIT]:
        blocks += [kit.divider(), *card_blocks(tr, action, today)]
    if len(actions) > LIST_LIMIT:
        more = tr.gettext(
            "{n} more — narrow the list, e.g. `/est åtgärd plats Fittja centrum`.",
            n=len(actions) - LIST_LIMIT,
        )
        blocks.append(kit.context(more))
    return _message(title, blocks)


def build_reminder(tr: Translator, note: ActionReminder) -> Message:
    heads = {
        "before": tr.gettext("Reminder: this action is due in two working days."),
        "due": tr.gettext("Reminder: this action is due today."),
        "overdue": tr.gettext("This action is overdue. Is it done, or does it need a new date?"),
    }
    head = heads.get(note.stage, heads["due"])
    blocks = [kit.section(head), *card_blocks(tr, note.action, note.today)]
    return _message(f"{head} #{note.action.id} {escape(note.action.title)}", blocks)


def build_assigned(tr: Translator, note: ActionAssigned, today: date) -> Message:
    if note.previous_owner:
        head = tr.gettext(
            "<@{by}> handed you an action (from <@{previous}>):",
            by=note.by,
            previous=note.previous_owner,
        )
    else:
        head = tr.gettext(
            "<@{by}> gave you an action in *{group}*:", by=note.by, group=escape(note.group.name)
        )
    blocks = [kit.section(head), *card_blocks(tr, note.action, today)]
    return _message(f"{head} #{note.action.id} {escape(note.action.title)}", blocks)


def build_handed_over(tr: Translator, note: ActionHandedOver) -> Message:
    text = tr.gettext(
        "<@{by}> handed action #{id} “{title}” to <@{owner}>. You no longer own it.",
        by=note.by,
        id=note.action.id,
        title=escape(note.action.title),
        owner=note.action.owner_user_id,
    )
    return _message(text, [kit.section(text)])


def build_escalated(tr: Translator, note: ActionEscalated) -> Message:
    text = tr.ngettext(
        ":warning: Action #{id} “{title}” (<@{owner}>, {org}) is {n} day overdue.",
        ":warning: Action #{id} “{title}” (<@{owner}>, {org}) is {n} days overdue.",
        note.days_overdue,
        id=note.action.id,
        title=escape(note.action.title),
        owner=note.action.owner_user_id,
        org=escape(note.action.organisation),
    )
    return _message(text, [kit.section(text)])


def build_undeliverable(tr: Translator, note: Undeliverable) -> Message:
    what = (
        tr.gettext(
            "a reminder about action #{id} “{title}”",
            id=note.action.id,
            title=escape(note.action.title),
        )
        if note.action
        else tr.gettext("a message")
    )
    text = tr.gettext(
        "I could not send {what} to <@{user}> ({reason}). They may have left the "
        "workspace: give the action to someone else with `/est åtgärd {id}`.",
        what=what,
        user=note.recipient,
        reason=slack_reason(tr, note.reason),
        id=note.action.id if note.action else "",
    )
    return _message(text, [kit.section(text)])


def build_action_modal(
    tr: Translator,
    *,
    channel: str,
    owner: str,
    today: date,
    places: Sequence[tuple[int, str]] = (),
    incident_ids: Sequence[int] = (),
    week: tuple[int, int] | None = None,
    decision: str | None = None,
    title: str = "",
    analysis: int | None = None,
) -> dict[str, Any]:
    horizons = [
        Option(value="kort", label=tr.gettext("short term")),
        Option(value="lång", label=tr.gettext("long term")),
    ]
    chosen = [Option(value=str(i), label=clip(n, 75)) for i, n in places]
    blocks: list[Block] = [
        text_input(B.TITLE, tr.gettext("What is to be done"), action_id=A.TITLE, initial=title),
        user_input(B.OWNER, tr.gettext("Owner"), action_id=A.OWNER, initial=owner),
        date_input(
            B.DUE,
            tr.gettext("Due date"),
            action_id=A.DUE,
            initial=working_day_on_or_after(today + timedelta(days=7)).isoformat(),
        ),
        select_input(
            B.HORIZON, tr.gettext("Horizon"), horizons, action_id=A.HORIZON, initial="kort"
        ),
        InputBlock(
            block_id=B.PLACES,
            label=tr.gettext("Places"),
            optional=True,
            element=ExternalDataMultiSelectElement(
                action_id=A.PLACE,
                min_query_length=0,
                initial_options=chosen or None,
                placeholder=tr.gettext("Type a place"),
            ),
        ),
        free_text_input(
            B.DESCRIPTION,
            tr.gettext("Description (no names)"),
            action_id=A.DESCRIPTION,
            optional=True,
        ),
    ]
    meta: dict[str, Any] = {
        "c": channel,
        "incidents": list(incident_ids),
        "week": list(week) if week else None,
        "decision": decision,
    }
    if analysis is not None:
        meta["analysis"] = analysis
    if incident_ids:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=tr.gettext(
                            "Linked to incident {ids}.",
                            ids=", ".join(f"#{i}" for i in incident_ids),
                        )
                    )
                ]
            )
        )
    return modal(tr, Callback.ACTION_NEW, tr.gettext("New action"), blocks, meta)


def _heading(action: ActionItem) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=f"*#{action.id} {escape(action.title)}*"))


def build_postpone_modal(tr: Translator, action: ActionItem, channel: str) -> dict[str, Any]:
    blocks: list[Block] = [
        _heading(action),
        date_input(
            B.DUE,
            tr.gettext("New due date"),
            action_id=A.DUE,
            initial=(action.due_date + timedelta(days=7)).isoformat(),
        ),
        text_input(B.REASON, tr.gettext("Why?"), action_id=A.REASON, max_length=500),
    ]
    meta = {"c": channel, "id": action.id}
    return modal(tr, Callback.ACTION_POSTPONE, tr.gettext("Postpone"), blocks, meta)


def build_reassign_modal(tr: Translator, action: ActionItem, channel: str) -> dict[str, Any]:
    blocks: list[Block] = [
        _heading(action),
        user_input(B.OWNER, tr.gettext("New owner"), action_id=A.OWNER),
    ]
    meta = {"c": channel, "id": action.id}
    return modal(tr, Callback.ACTION_REASSIGN, tr.gettext("New owner"), blocks, meta)


def build_note_modal(tr: Translator, action: ActionItem, channel: str) -> dict[str, Any]:
    blocks: list[Block] = [
        _heading(action),
        free_text_input(B.NOTE, tr.gettext("Note (no names)"), action_id=A.NOTE),
    ]
    meta = {"c": channel, "id": action.id}
    return modal(tr, Callback.ACTION_NOTE, tr.gettext("Add a note"), blocks, meta)


# which builder renders which of the action plan's notifications
RENDERERS = renderers(
    rendered(ActionAssigned, lambda tr, note: build_assigned(tr, note, note.today)),
    rendered(ActionHandedOver, build_handed_over),
    rendered(ActionReminder, build_reminder),
    rendered(ActionEscalated, build_escalated),
    rendered(Undeliverable, build_undeliverable),
)
