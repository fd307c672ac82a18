"""The group's priorities for the next EST period, set from the period analysis.

Who may record them is decided here, on the server, for the form's button and its submission
alike: an administrator at any time; a member while one of the group's meetings is open (the
priorities are then decided at that meeting). Any other member proposes: the proposal is kept,
shown on the next meeting's agenda, and marked handled once the group decides. Readers read.
A decided set is one per group and period, revised as new versions; every change is in the
audit log, and every motivation passes the personal-data guard before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.actors import Actor, EstGroup
from bot.analysis.periods import EstPeriod, named_period
from bot.analysis.priority_views import Priorities, priorities_views
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.i18n import N_
from bot.incidents.categories import IncidentCategory, match_category
from bot.places.service import place_in
from bot.rules import check_text, require
from storage.db import Database
from storage.models import Meeting, PeriodPriority, PeriodPriorityVersion, PriorityStatus, Role
from storage.repositories import UnitOfWork, snapshot

MAX_ITEMS = 5
MAX_MOTIVATION = 1000
FIELD = "priority_motivation_{n}"  # the form's block for item n's motivation


@dataclass(frozen=True)
class PriorityDraft:
    based_on: str  # the period analysed, "2026-T2"
    # (place id or None, category key/label or "", motivation), in the form's order
    items: list[tuple[int | None, str, str]] = field(default_factory=list)
    meeting_id: int | None = None  # an administrator may name the meeting it was decided at


@dataclass(frozen=True)
class PriorityStart:
    """What the form opens with, and how it will be saved."""

    based_on: EstPeriod
    period: EstPeriod
    decides: bool  # False: it will be a proposal
    meeting: tuple[int, int, int] | None  # (id, ISO year, week) of the open meeting
    meetings: tuple[tuple[int, int, int], ...]  # an administrator's choice of meeting
    categories: tuple[IncidentCategory, ...]
    current: Priorities | None  # the period's decided priorities, if any
    places: tuple[tuple[int, str], ...] = ()  # the group's places (id, name), by name


def _mode(uow: UnitOfWork, actor: Actor, group: EstGroup) -> tuple[bool, Meeting | None]:
    """(decides, the open meeting): refused for readers."""
    if actor.member is not None and actor.member.role == Role.LASARE:
        raise Forbidden(N_("Readers read the priorities; members propose them."))
    meeting = uow.priorities.open_meeting(group.id)
    return actor.is_admin or meeting is not None, meeting


def _week(m: Meeting) -> tuple[int, int, int]:
    return (m.id or 0, m.iso_year, m.iso_week)


class PriorityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, actor: Actor, based_on: str) -> PriorityStart:
        group = require(actor, Role.LASARE)
        analysed = named_period(based_on)
        with self.db.unit_of_work(read_only=True) as uow:
            decides, meeting = _mode(uow, actor, group)
            meetings = uow.priorities.meetings(group.id) if actor.is_admin else []
            categories = tuple(IncidentCategory.of(c) for c in uow.categories.of_group(group.id))
            rows = uow.priorities.of_period(group.id, analysed.after().label, "fastställd")
            current = priorities_views(uow, rows[-1:])
            places = sorted((p.id or 0, p.name) for p in uow.places.of_group(group.id))
        return PriorityStart(
            analysed,
            analysed.after(),
            decides,
            _week(meeting) if meeting else None,
            tuple(_week(m) for m in meetings),
            categories,
            current[0] if current else None,
            tuple(sorted(places, key=lambda p: p[1])),
        )

    def record(self, actor: Actor, draft: PriorityDraft, *, now: datetime) -> Priorities:
        """Decided (a new version if the period has some) or proposed, as ``_mode`` says."""
        group = require(actor, Role.LASARE)
        period = named_period(draft.based_on).after()
        checked = _checked_items(draft)
        with self.db.unit_of_work() as uow:
            decides, meeting = _mode(uow, actor, group)
            items = [_item(uow, group.id, *item) for item in checked]
            meeting_id = _meeting_id(uow, actor, group.id, draft.meeting_id, meeting)
            if not decides:
                row = _new(group.id, period, draft.based_on, PriorityStatus.PROPOSED, actor, now)
                row.items = items
                uow.priorities.add(row)
                _keep_version(uow, row, now)
                uow.audit.record_row("period_priority.proposed", row, actor=actor.user_id, at=now)
                return priorities_views(uow, [row])[0]
            row = _decided(uow, group.id, period, draft.based_on, items, meeting_id, actor, now)
            _handle_proposals(uow, group.id, period.label, actor, now)
            return priorities_views(uow, [row])[0]

    def of_period(self, actor: Actor, label: str) -> Priorities | None:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            rows = uow.priorities.of_period(group.id, named_period(label).label, "fastställd")
            found = priorities_views(uow, rows[-1:])
        return found[0] if found else None


def _checked_items(draft: PriorityDraft) -> list[tuple[int | None, str, str]]:
    """The filled rows, each with a motivation that passed the guard; at least one."""
    kept = []
    for n, (place_id, category, motivation) in enumerate(draft.items[:MAX_ITEMS]):
        name = FIELD.format(n=n)
        if place_id is None and not category.strip():
            if motivation.strip():
                raise InvalidInput(
                    N_("Choose a place or a problem for this motivation."), field=name
                )
            continue
        if not motivation.strip():
            raise InvalidInput(N_("Say why this is a priority."), field=name)
        kept.append((place_id, category.strip(), check_text(motivation, name, MAX_MOTIVATION)))
    if not kept:
        raise InvalidInput(N_("Name at least one place or problem."), field=FIELD.format(n=0))
    return kept


def _item(
    uow: UnitOfWork, group_id: int, place_id: int | None, category: str, motivation: str
) -> dict[str, object]:
    key = None
    if category:
        choices = [IncidentCategory.of(c) for c in uow.categories.of_group(group_id)]
        key = match_category(category, choices).key
    if place_id is not None:
        place_in(uow, group_id, place_id)  # one of the group's places, or NotFound
    return {"place_id": place_id, "category": key, "motivation": motivation}


def _meeting_id(
    uow: UnitOfWork, actor: Actor, group_id: int, chosen: int | None, open_: Meeting | None
) -> int | None:
    """The meeting it is decided at: the one open now; an administrator may name another."""
    if chosen is None or not actor.is_admin:
        return open_.id if open_ else None
    meeting = uow.priorities.meeting(chosen)
    if meeting is None or meeting.group_id != group_id:
        raise NotFound(N_("No such meeting in this group."))
    return meeting.id


def _new(
    group_id: int, period: EstPeriod, based_on: str, status: str, actor: Actor, now: datetime
) -> PeriodPriority:
    return PeriodPriority(
        group_id=group_id,
        period=period.label,
        first_day=period.first,
        last_day=period.last,
        based_on=named_period(based_on).label,
        status=status,
        created_by=actor.user_id,
        updated_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )


def _decided(
    uow: UnitOfWork,
    group_id: int,
    period: EstPeriod,
    based_on: str,
    items: list[dict[str, object]],
    meeting_id: int | None,
    actor: Actor,
    now: datetime,
) -> PeriodPriority:
    """The period's decided priorities: new, or the next version of those it has."""
    existing = uow.priorities.of_period(group_id, period.label, PriorityStatus.DECIDED)
    if not existing:
        row = _new(group_id, period, based_on, PriorityStatus.DECIDED, actor, now)
        row.items, row.meeting_id = items, meeting_id
        uow.priorities.add(row)
        _keep_version(uow, row, now)
        uow.audit.record_row("period_priority.decided", row, actor=actor.user_id, at=now)
        return row
    row = existing[-1]
    before = snapshot(row)
    row.items, row.meeting_id, row.version = items, meeting_id, row.version + 1
    row.updated_by, row.updated_at = actor.user_id, now
    uow.priorities.add(row)
    _keep_version(uow, row, now)
    uow.audit.record_row("period_priority.revised", row, actor=actor.user_id, at=now, before=before)
    return row


def _handle_proposals(
    uow: UnitOfWork, group_id: int, period: str, actor: Actor, now: datetime
) -> None:
    for row in uow.priorities.of_period(group_id, period, PriorityStatus.PROPOSED):
        before = snapshot(row)
        row.status, row.updated_by, row.updated_at = PriorityStatus.HANDLED, actor.user_id, now
        uow.priorities.add(row)
        uow.audit.record_row(
            "period_priority.handled", row, actor=actor.user_id, at=now, before=before
        )


def _keep_version(uow: UnitOfWork, row: PeriodPriority, now: datetime) -> None:
    assert row.id is not None
    uow.priorities.add_version(
        PeriodPriorityVersion(
            priority_id=row.id,
            version=row.version,
            content=snapshot(row),
            changed_by=row.updated_by,
            changed_at=now,
        )
    )
