"""What follows `/est analys`, and the cause-analysis form, read into typed values (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.priorities import MAX_ITEMS, PriorityDraft
from bot.analysis.rules import LIMITS
from bot.analysis.service import AnalysisDraft
from bot.commands import fold
from handlers.forms import selected, text
from handlers.ids import Action, Block
from handlers.interactions import View, metadata

_SHOW = re.compile(r"^#?(\d+)$")
_NEW = re.compile(r"^(?:ny|new)(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)

# the form's free-text inputs, in the order the form shows them: (block and action id, field)
TEXT_FIELDS: tuple[tuple[Block, Action], ...] = (
    (Block.DESCRIPTION, Action.DESCRIPTION),
    (Block.DAYS, Action.DAYS),
    (Block.HOURS, Action.HOURS),
    (Block.SEASON, Action.SEASON),
    (Block.PLACE_SIDE, Action.PLACE_SIDE),
    (Block.TARGET_SIDE, Action.TARGET_SIDE),
    (Block.OFFENDER_SIDE, Action.OFFENDER_SIDE),
    (Block.PLACE_MANAGER, Action.PLACE_MANAGER),
    (Block.GUARDIANS, Action.GUARDIANS),
    (Block.HANDLERS, Action.HANDLERS),
    (Block.WHY_HERE_NOW, Action.WHY_HERE_NOW),
)
assert {b.value for b, _a in TEXT_FIELDS} == set(LIMITS)


@dataclass(frozen=True)
class NewAnalysis:
    """`ny [plats]`: the form, for that place if one is named."""

    place: str


@dataclass(frozen=True)
class ShowAnalysis:
    """`12`: its card."""

    analysis_id: int


@dataclass(frozen=True)
class ListAnalyses:
    """Nothing (or `alla`): the group's analyses, open first."""


@dataclass(frozen=True)
class PeriodAnalysis:
    """`period [kvartal | tertial] [2026-Q3 | 2026-T2]`: the places ranked by need."""

    args: str


AnalysisCommand = NewAnalysis | ShowAnalysis | ListAnalyses | PeriodAnalysis


def analysis_command(args: str) -> AnalysisCommand | None:
    """`[ny [plats] | N | alla | period …]`; None for anything else (the usage is shown)."""
    args = " ".join(args.split())
    if fold(args) in ("", "alla", "all"):
        return ListAnalyses()
    word, _, rest = args.partition(" ")
    if fold(word) == "period":
        return PeriodAnalysis(rest.strip())
    if new := _NEW.match(args):
        return NewAnalysis((new.group(1) or "").strip())
    if show := _SHOW.match(args):
        return ShowAnalysis(int(show.group(1)))
    return None


def draft_from(view: View) -> AnalysisDraft:
    """The form as a draft: the place comes from the form's metadata when it was named, else
    from what was typed in its place field."""
    meta = metadata(view)
    place_id = meta.get("place")
    return AnalysisDraft(
        category=selected(view, Block.CATEGORY, Action.CATEGORY) or "",
        texts={block.value: text(view, block, action) for block, action in TEXT_FIELDS},
        persistence=selected(view, Block.PERSISTENCE, Action.PERSISTENCE) or "ny",
        sources=text(view, Block.SOURCES, Action.SOURCES),
        place=text(view, Block.PLACE, Action.PLACE),
        place_id=int(place_id) if isinstance(place_id, int) else None,
    )


def priority_draft_from(view: View) -> PriorityDraft:
    """The priorities form as a draft: its rows in order, the meeting if one was chosen."""
    rows = []
    for n in range(MAX_ITEMS):
        place = selected(view, f"{Block.PRIORITY_PLACE}_{n}", Action.PRIORITY_PLACE)
        category = selected(view, f"{Block.PRIORITY_CATEGORY}_{n}", Action.PRIORITY_CATEGORY)
        motivation = text(view, f"{Block.PRIORITY_MOTIVATION}_{n}", Action.PRIORITY_MOTIVATION)
        rows.append((int(place) if place and place.isdigit() else None, category or "", motivation))
    meeting = selected(view, Block.PRIORITY_MEETING, Action.PRIORITY_MEETING)
    return PriorityDraft(
        str(metadata(view).get("p", "")),
        rows,
        int(meeting) if meeting and meeting.isdigit() else None,
    )
