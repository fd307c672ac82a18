"""What the clock sends about activities: the announcement in the channel, and to the owner
the reminder, the follow-up form and the before/after counts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.activities.notifications import (
    ActivityAnnounced,
    ActivityEffect,
    ActivityFollowUpDue,
    ActivityReminder,
)
from bot.i18n import Translator
from handlers.activities.blocks import Message, details, effect_line, message, summary
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.rendering import rendered, renderers
from handlers.text import clip, escape


def build_announced(tr: Translator, note: ActivityAnnounced) -> Message:
    tz = ZoneInfo(note.group.timezone)
    head = (
        tr.gettext(":calendar: Activity moved:")
        if note.moved
        else tr.gettext(":calendar: New activity planned:")
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"{head}\n{summary(tr, note.activity, tz)}")),
        *(
            [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines))))]
            if (lines := details(tr, note.activity, tz))
            else []
        ),
    ]
    return message(f"{head} #{note.activity.id} {escape(note.activity.title)}", blocks)


def build_reminder(tr: Translator, note: ActivityReminder) -> Message:
    tz = ZoneInfo(note.group.timezone)
    head = tr.gettext("Reminder: your activity is tomorrow.")
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=head)),
        SectionBlock(text=MarkdownTextObject(text=clip(summary(tr, note.activity, tz)))),
    ]
    return message(f"{head} #{note.activity.id} {escape(note.activity.title)}", blocks)


def build_follow_up_due(tr: Translator, note: ActivityFollowUpDue) -> Message:
    tz = ZoneInfo(note.group.timezone)
    head = tr.gettext(
        "How did it go? Fill in the follow-up: attendance by group and how it was counted, "
        "incidents during the activity and the effect you saw."
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=head)),
        SectionBlock(text=MarkdownTextObject(text=clip(summary(tr, note.activity, tz)))),
        ActionsBlock(
            block_id=f"{B.ACTIVITY_BUTTONS}_{note.activity.id}",
            elements=[
                ButtonElement(
                    text=tr.gettext("Fill in the follow-up"),
                    action_id=A.OPEN_ACTIVITY_FOLLOW_UP,
                    value=f"{note.activity.id}:{note.group.channel_id}",
                    style="primary",
                )
            ],
        ),
    ]
    return message(f"{head} #{note.activity.id} {escape(note.activity.title)}", blocks)


def build_effect(tr: Translator, note: ActivityEffect) -> Message:
    tz = ZoneInfo(note.group.timezone)
    head = effect_line(tr, note.effect)
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=clip(summary(tr, note.activity, tz)))),
        SectionBlock(text=MarkdownTextObject(text=head)),
    ]
    return message(f"#{note.activity.id}: {head}", blocks)


# which builder renders which of the activities' notifications
RENDERERS = renderers(
    rendered(ActivityAnnounced, build_announced),
    rendered(ActivityReminder, build_reminder),
    rendered(ActivityFollowUpDue, build_follow_up_due),
    rendered(ActivityEffect, build_effect),
)
