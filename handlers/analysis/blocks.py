"""Block Kit for cause analyses: the form, the card with its ties and buttons, the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, Option

from bot.analysis.patterns import HotTimes
from bot.analysis.results import AnalysisView
from bot.analysis.rules import LIMITS, Source
from bot.i18n import Translator
from bot.incidents.categories import IncidentCategory
from handlers.analysis.forms import TEXT_FIELDS
from handlers.forms import MENU_OPTIONS, modal, named_option, select_input, text_input
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.text import escape


def _labels(tr: Translator) -> dict[str, str]:
    return {
        "description": tr.gettext("The problem: what happens"),
        "days": tr.gettext("Which days"),
        "hours": tr.gettext("Which hours"),
        "season": tr.gettext("Which season"),
        "place_side": tr.gettext("The place: what about it makes this possible"),
        "target_side": tr.gettext("Who or what is affected"),
        "offender_side": tr.gettext("Who offends: groups and behaviour, never names"),
        "place_manager": tr.gettext("Platsansvarig: who manages the place"),
        "guardians": tr.gettext("Kapabla väktare: who could watch over it"),
        "handlers": tr.gettext("Handledare: who has influence over those who offend"),
        "why_here_now": tr.gettext("Why here, why now"),
    }


def _persistence(tr: Translator) -> list[Option]:
    return [
        Option(value="ny", label=tr.gettext("new")),
        Option(value="återkommande", label=tr.gettext("recurring")),
        Option(value="befäst", label=tr.gettext("entrenched")),
    ]


def _initial_texts(current: AnalysisView | None, hot: HotTimes | None) -> dict[str, str]:
    if current is not None:
        return {name: str(getattr(current, name)) for name in LIMITS}
    if hot is not None:
        return {"days": hot.days, "hours": hot.hours, "season": hot.season}
    return {}


def build_analysis_modal(
    tr: Translator,
    categories: Sequence[IncidentCategory],
    *,
    channel: str,
    place: tuple[int, str] | None = None,
    hot: HotTimes | None = None,
    current: AnalysisView | None = None,
) -> dict[str, Any]:
    """A new analysis (for ``place`` if it is known, its hot times filled in) or a revision of
    ``current``."""
    labels, initial = _labels(tr), _initial_texts(current, hot)
    blocks: list[Block] = []
    if current is not None or place is not None:
        name = current.place if current is not None else (place or (0, ""))[1]
        blocks.append(_said(tr.gettext("Place: *{place}*", place=escape(name))))
    else:
        blocks.append(text_input(B.PLACE, tr.gettext("Place"), action_id=A.PLACE))
    options = [named_option(f"#{c.id}", c.label(tr.language)) for c in categories]
    chosen = next(
        (f"#{c.id}" for c in categories if current and c.key == current.category_key), None
    )
    blocks.append(
        select_input(
            B.CATEGORY,
            tr.gettext("Category"),
            options[:MENU_OPTIONS],
            action_id=A.CATEGORY,
            initial=chosen,
        )
    )
    blocks.append(
        select_input(
            B.PERSISTENCE,
            tr.gettext("Persistence"),
            _persistence(tr),
            action_id=A.PERSISTENCE,
            initial=current.persistence if current else "ny",
        )
    )
    for block, action in TEXT_FIELDS:
        limit = LIMITS[block.value]
        blocks.append(
            text_input(
                block,
                labels[block.value],
                action_id=action,
                optional=block != B.DESCRIPTION,
                multiline=limit > 200,
                max_length=limit,
                initial=initial.get(block.value),
            )
        )
    blocks.append(_sources_input(tr, current))
    meta: dict[str, Any] = {"c": channel}
    if current is not None:
        meta["id"] = current.id
    elif place is not None:
        meta["place"] = place[0]
    callback = Callback.ANALYSIS_REVISE if current else Callback.ANALYSIS_NEW
    title = tr.gettext("Revise the analysis") if current else tr.gettext("Cause analysis")
    return modal(tr, callback, title, blocks, meta)


def _said(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _sources_input(tr: Translator, current: AnalysisView | None) -> Block:
    typed = "\n".join(source_line(tr, s, link=False) for s in current.sources) if current else ""
    return text_input(
        B.SOURCES,
        tr.gettext("Sources, one a line"),
        action_id=A.SOURCES,
        optional=True,
        multiline=True,
        max_length=3000,
        initial=typed,
        hint=tr.gettext(
            "händelse 12, lägesrapport 7, v47 (a lägesbild week), or an external source in words"
        ),
    )


def source_line(tr: Translator, source: Source, *, link: bool = True) -> str:
    """A source as the form takes it back ("händelse 12", "v47 2026") or, with ``link``, as
    the card shows it (escaped)."""
    if source.kind == "incident":
        return f"händelse {source.ref}"
    if source.kind == "report":
        return f"lägesrapport {source.ref}"
    if source.kind == "week":
        year, _, week = source.ref.partition("-W")
        return (
            f"v{int(week)} {year}"
            if not link
            else tr.gettext("lägesbild week {week}, {year}", week=int(week), year=year)
        )
    return escape(source.text) if link else source.text
