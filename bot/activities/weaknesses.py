"""The weaknesses an auditor would find: one list, read by the evidence pack and the grant year
report alike, so both say the same about the same activity and cost.

From the 2023 grant dispute (domain.md §4): an activity not motivated by a dated record,
attendance only estimated, an effect told only in words, no follow-up; a cost without an
invoice number or a description, paid to an association without its organisation number,
dated outside the grant year, or moved from another activity (with the reason given).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.activities.results import CostItem, PlannedActivity
from bot.i18n import N_, LazyText
from storage.models import ActivityStatus, AuditEvent

ESTIMATED = "uppskattat"

# the kinds, in the order a reader meets them, with what they are called
KINDS: dict[str, LazyText] = {
    "unmotivated": N_("not motivated by a dated record in the lägesbild"),
    "estimated": N_("attendance estimated, not counted"),
    "anecdotal": N_("effect told in words, without before/after counts"),
    "no_follow_up": N_("not followed up"),
    "no_description": N_("cost without description"),
    "no_invoice": N_("cost without invoice number"),
    "association": N_("paid to an association without organisation number"),
    "outside_year": N_("cost dated outside the grant year"),
    "moved": N_("cost moved between activities"),
}
_COST_KINDS = {
    "description": "no_description",
    "invoice": "no_invoice",
    "association": "association",
    "year": "outside_year",
}


@dataclass(frozen=True)
class Gap:
    kind: str  # a key of KINDS
    activity_id: int
    cost_id: int | None
    title: str
    detail: str = ""
    from_activity: int | None = None  # a moved cost: where it came from


@dataclass(frozen=True)
class Move:
    """A cost line (or document) moved from one activity to another, with the reason given."""

    entity: str  # activity_cost / activity_document
    record_id: int
    from_activity: int
    to_activity: int
    reason: str
    at: datetime
    by: str


def moves_of(events: Iterable[AuditEvent]) -> tuple[Move, ...]:
    """The moves among these audit events, oldest first."""
    found = []
    for e in sorted(events, key=lambda e: e.id or 0):
        if e.action not in ("cost.moved", "document.moved"):
            continue
        before, after = e.before or {}, e.after or {}
        found.append(
            Move(
                e.entity,
                e.entity_id or 0,
                int(before.get("activity_id") or 0),
                int(after.get("activity_id") or 0),
                str(after.get("reason") or ""),
                e.at,
                e.actor,
            )
        )
    return tuple(found)


def activity_gaps(a: PlannedActivity, now: datetime) -> list[Gap]:
    """The activity's own weaknesses (a cancelled one has none: it was not held)."""
    if a.status == ActivityStatus.INSTALLD:
        return []
    found = []
    if not a.motivated:
        found.append(Gap("unmotivated", a.id, None, a.title))
    if a.counting_method == ESTIMATED:
        found.append(Gap("estimated", a.id, None, a.title, str(a.attendance_total or "")))
    if a.effect.strip() and not a.effects:
        found.append(Gap("anecdotal", a.id, None, a.title, a.effect))
    if a.end_at < now and not a.followed_up:
        found.append(Gap("no_follow_up", a.id, None, a.title))
    return found


def cost_gaps(c: CostItem, title: str, *, year: int | None = None) -> list[Gap]:
    """The cost's weaknesses; with ``year`` (the grant report's) an undated-by-grant cost of
    another year counts as outside it too."""
    kinds = [_COST_KINDS[g] for g in c.gaps]
    if year is not None and c.grant_year is None and c.cost_date.year != year:
        kinds.append("outside_year")
    details = {
        "no_description": c.supplier,
        "no_invoice": c.supplier,
        "association": c.supplier,
        "outside_year": c.cost_date.isoformat(),
    }
    return [Gap(k, c.activity_id, c.id, title, details[k]) for k in dict.fromkeys(kinds)]


def move_gaps(moves: Sequence[Move], titles: dict[int, str]) -> list[Gap]:
    """Each cost moved, under the activity it went to, with where from and why."""
    return [
        Gap(
            "moved",
            m.to_activity,
            m.record_id,
            titles.get(m.to_activity, ""),
            m.reason,
            m.from_activity,
        )
        for m in moves
        if m.entity == "activity_cost"
    ]


def all_gaps(
    activities: Sequence[PlannedActivity],
    costs: Sequence[CostItem],
    moves: Sequence[Move],
    now: datetime,
    *,
    year: int | None = None,
) -> tuple[Gap, ...]:
    """Every weakness, per activity (its own, then its costs'), in the activities' order."""
    titles = {a.id: a.title for a in activities}
    found = [g for a in activities for g in activity_gaps(a, now)]
    found += [g for c in costs for g in cost_gaps(c, titles.get(c.activity_id, ""), year=year)]
    found += move_gaps(moves, titles)
    order = {a.id: i for i, a in enumerate(activities)}
    kinds = list(KINDS)
    return tuple(
        sorted(
            found,
            key=lambda g: (
                order.get(g.activity_id, len(order)),
                kinds.index(g.kind),
                g.cost_id or 0,
            ),
        )
    )
