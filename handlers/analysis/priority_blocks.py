"""Block Kit for the priorities of an EST period: the lines at the top of a lägesbild and a
summary (and of a meeting's agenda, with the proposals waiting for it), and the form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, Option

from bot.analysis.periods import named_period, period_name, period_words
from bot.analysis.priorities import MAX_ITEMS, MAX_MOTIVATION, PriorityStart
from bot.analysis.priority_views import Priorities, PriorityItem
from bot.i18n import Translator
from handlers import blockkit as kit
from handlers.forms import MENU_OPTIONS, modal, named_option, select_input, text_input
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.text import clip, escape

Json = dict[str, Any]


def item_text(tr: Translator, item: PriorityItem) -> str:
    """'*Fittja centrum*, narkotika: why' — the place and/or problem, and the motivation."""
    subject = ", ".join(
        s
        for s in (
            f"*{escape(item.place)}*" if item.place else "",
            escape(item.category(tr.language)),
        )
        if s
    )
    return f"• {subject}: {escape(item.motivation)}"


def priorities_text(tr: Translator, p: Priorities) -> str:
    """The heading ("Prioriteringar kvartal 4 2026 (1 okt. – 31 dec.)") and the items."""
    period = period_words(tr, named_period(p.period))
    if p.decided:
        head = (
            tr.gettext(
                ":dart: *Priorities {period}*, decided at the meeting of w. {week}",
                period=period,
                week=p.meeting_week[1],
            )
            if p.meeting_week
            else tr.gettext(":dart: *Priorities {period}*, decided", period=period)
        )
    else:
        head = tr.gettext(
            ":bulb: *Proposed priorities {period}* from <@{user}>, for the meeting to decide",
            period=period,
            user=p.created_by,
        )
    return clip("\n".join([head, *(item_text(tr, i) for i in p.items)]))


def build_priority_head(
    tr: Translator,
    decided: Sequence[Priorities],
    proposals: Sequence[Priorities] = (),
) -> list[Json]:
    """One section per period's priorities; proposals (on an agenda) with the button that
    opens the form to decide them. Empty when there are none."""
    blocks = [kit.section(priorities_text(tr, p)) for p in decided]
    for p in proposals[:3]:
        blocks.append(kit.section(priorities_text(tr, p)))
    if proposals:
        blocks.append(
            kit.actions(
                block_id=B.PRIORITIES,
                elements=[
                    kit.button(
                        tr.gettext("Set priorities"),
                        action_id=A.OPEN_PRIORITIES,
                        value=proposals[0].based_on,
                    )
                ],
            )
        )
    return blocks


def as_blocks(blocks: Sequence[Json]) -> list[Block]:
    """The same blocks as slack_sdk models, for the builders that use those."""
    return [b for b in (Block.parse(d) for d in blocks) if b is not None]


def _row(
    tr: Translator,
    n: int,
    places: list[Option],
    categories: list[Option],
    item: PriorityItem | None,
) -> list[Block]:
    label = tr.gettext("Priority {n}", n=n + 1)
    return [
        select_input(
            f"{B.PRIORITY_PLACE}_{n}",
            label + " · " + tr.gettext("place"),
            places,
            action_id=A.PRIORITY_PLACE,
            optional=True,
            initial=str(item.place_id) if item and item.place_id else None,
        ),
        select_input(
            f"{B.PRIORITY_CATEGORY}_{n}",
            label + " · " + tr.gettext("problem"),
            categories,
            action_id=A.PRIORITY_CATEGORY,
            optional=True,
            initial=item.category_key if item and item.category_key else None,
        ),
        text_input(
            f"{B.PRIORITY_MOTIVATION}_{n}",
            label + " · " + tr.gettext("motivation"),
            action_id=A.PRIORITY_MOTIVATION,
            optional=True,
            multiline=True,
            max_length=MAX_MOTIVATION,
            initial=item.motivation if item else None,
        ),
    ]


def _mode_line(tr: Translator, start: PriorityStart) -> str:
    if not start.decides:
        return tr.gettext(
            "You propose: the proposal is shown on the next meeting's agenda, where the group "
            "decides. An administrator, or any member while a meeting is open, decides."
        )
    if start.meeting is not None:
        return tr.gettext(
            "Decided at the meeting of w. {week}, {year}.",
            week=start.meeting[2],
            year=start.meeting[1],
        )
    return tr.gettext("You decide them as an administrator.")


def build_priority_modal(tr: Translator, start: PriorityStart, *, channel: str) -> Json:
    """Up to five priorities: each a place and/or a problem, with a motivation."""
    head = tr.gettext(
        "Priorities for *{period}*, from the analysis of {based_on}.",
        period=period_words(tr, start.period),
        based_on=period_name(tr, start.based_on),
    )
    blocks: list[Block] = [
        ContextBlock(elements=[MarkdownTextObject(text=head)]),
        ContextBlock(elements=[MarkdownTextObject(text=_mode_line(tr, start))]),
    ]
    place_options = [named_option(str(pid), name) for pid, name in start.places][:MENU_OPTIONS]
    category_options = [named_option(c.key, c.label(tr.language)) for c in start.categories]
    current = list(start.current.items) if start.current else []
    for n in range(MAX_ITEMS):
        item = current[n] if n < len(current) else None
        blocks += _row(tr, n, place_options, category_options[:MENU_OPTIONS], item)
    if start.meetings:
        options = [
            Option(value=str(i), label=tr.gettext("w. {week}, {year}", week=w, year=y))
            for i, y, w in start.meetings
        ]
        blocks.append(
            select_input(
                B.PRIORITY_MEETING,
                tr.gettext("Decided at the meeting of (optional)"),
                options,
                action_id=A.PRIORITY_MEETING,
                optional=True,
                initial=str(start.meeting[0]) if start.meeting else None,
            )
        )
    meta = {"c": channel, "p": start.based_on.label}
    submit = tr.gettext("Save") if start.decides else tr.gettext("Propose")
    return modal(
        tr, Callback.PERIOD_PRIORITIES, tr.gettext("Priorities"), blocks, meta, submit=submit
    )
