"""Activities (aktiviteter): planned at places, motivated by dated records, followed up.

An activity links to the incidents and situation-report entries at its places that existed
before it was planned (the lägesbild that motivated it, cited as dated records). Without one it
is saved all the same, as a draft that every view marks as unmotivated. What it causes later
(the announcement, the reminder, the follow-up form, the before/after counts) goes through the
outbox: see ``bot.activities.jobs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.activities.motivation import Candidate, record
from bot.activities.motivation import candidates as find_candidates
from bot.activities.notifications import ActivityOutbox
from bot.activities.results import (
    COUNTING_METHODS,
    ActivityWeek,
    PlannedActivity,
    activity_lines,
    planned_activities,
    planned_activity,
)
from bot.activities.rules import (
    check_attendance,
    count_field,
    parse_kind,
    parse_organisers,
    span,
)
from bot.actors import Actor
from bot.analysis.service import tied_analysis
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.i18n import N_
from bot.places.service import resolve
from bot.privacy import ensure_no_personal_data
from bot.recording import Kind, check_since, window
from bot.rules import check_text, clean_name, owner_member, require
from storage.db import Database
from storage.models import (
    Activity,
    ActivityMotivation,
    ActivityStatus,
    Outbox,
    Role,
)
from storage.repositories import UnitOfWork, snapshot

__all__ = ["ActivityDraft", "ActivityService", "Candidate", "FollowUp", "Upcoming", "key_of"]


@dataclass(frozen=True)
class ActivityDraft:
    title: str
    kind: str
    day: date
    start: time
    end: time
    owner_user_id: str
    place_ids: Sequence[int] = ()  # chosen from a list
    places: Sequence[str] = ()  # typed names, resolved like incident places
    organisers: str = ""  # one per line: "Norsborg FC; 802000-1239"
    target_group: str = ""
    purpose: str = ""
    expected_participants: int | None = None
    motivation: Sequence[str] = ()  # candidate keys: "i:12" (incident), "r:34" (report entry)
    analysis_id: int | None = None  # the cause analysis it grows out of


@dataclass(frozen=True)
class FollowUp:
    attendance: dict[str, int]  # by ATTENDANCE category
    counting_method: str
    incidents_during: int
    effect: str


@dataclass(frozen=True)
class Upcoming:
    by_place: tuple[tuple[str, tuple[PlannedActivity, ...]], ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len({a.id for _p, acts in self.by_place for a in acts})


def key_of(activity: Activity) -> str:
    """Every outbox row about an activity starts with this key."""
    return f"activity:{activity.id}:"


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def candidates(
        self,
        actor: Actor,
        place_ids: Sequence[int],
        *,
        now: datetime,
        typed: str = "",
        activity_id: int | None = None,
        limit: int = 25,
    ) -> tuple[Candidate, ...]:
        """Every earlier record at these places (every place, if none) matching what was typed,
        saved before the activity was planned (``activity_id``) or before now: what the bot
        offers as the activity's motivation, the typed place first, then the newest."""
        group = require(actor, Role.MEDLEM)
        tz = ZoneInfo(group.timezone)
        with self.db.unit_of_work(read_only=True) as uow:
            until = now
            if activity_id is not None:
                until = min(now, _activity_in(uow, group.id, activity_id).created_at)
            found = find_candidates(uow, group.id, place_ids, until, tz, typed=typed, limit=limit)
            return tuple(found)

    def create(self, actor: Actor, draft: ActivityDraft, *, now: datetime) -> PlannedActivity:
        group = require(actor, Role.MEDLEM)
        tz = ZoneInfo(group.timezone)
        start, end = span(draft.day, draft.start, draft.end, tz, now)
        check_since(draft.day, window(now, tz, group.started_on), Kind.ACTIVITY, field="date")
        title = clean_name(draft.title, "title")
        ensure_no_personal_data(title, field="title")
        organisers = parse_organisers(draft.organisers)
        if not draft.place_ids and not any(p.strip() for p in draft.places):
            raise InvalidInput(N_("Choose at least one place."), field="places")
        with self.db.unit_of_work() as uow:
            owner = owner_member(uow, group.id, draft.owner_user_id)
            typed = [resolve(uow, actor, group.id, p).id or 0 for p in draft.places if p.strip()]
            row = uow.activities.add(
                Activity(
                    group_id=group.id,
                    title=title,
                    kind=parse_kind(draft.kind),
                    owner_user_id=owner.slack_user_id,
                    organisation_id=owner.organisation_id,
                    start_at=start,
                    end_at=end,
                    target_group=check_text(draft.target_group, "target_group", 200),
                    purpose=check_text(draft.purpose, "purpose"),
                    expected_participants=count_field(draft.expected_participants, "expected"),
                    organisers=[{"name": o.name, "org_number": o.org_number} for o in organisers],
                    analysis_id=tied_analysis(uow, group.id, draft.analysis_id),
                    created_by=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            assert row.id is not None
            uow.activities.set_places(row.id, _places(uow, group.id, [*draft.place_ids, *typed]))
            uow.audit.record_row("activity.created", row, actor=actor.user_id, at=now)
            self._motivate(uow, actor, row, draft.motivation, now)
            uow.outbox.enqueue(
                Outbox(
                    group_id=group.id,
                    recipient=group.channel_id,
                    kind=ActivityOutbox.ANNOUNCED,
                    payload={"activity_id": row.id},
                    dedupe_key=key_of(row) + "announced",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            return planned_activity(uow, row, now=now, tz=tz)

    def motivate(
        self, actor: Actor, activity_id: int, keys: Sequence[str], *, now: datetime
    ) -> PlannedActivity:
        """Link more dated records; each must have existed before the activity was planned."""
        group = require(actor, Role.MEDLEM)
        if not keys:
            raise InvalidInput(N_("Choose at least one record."), field="motivation")
        with self.db.unit_of_work() as uow:
            row = changeable(uow, actor, group.id, activity_id)
            self._motivate(uow, actor, row, keys, now)  # each link has its own time and event
            return self._view(uow, row, group.timezone, now)

    def get(self, actor: Actor, activity_id: int, *, now: datetime) -> PlannedActivity:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            return self._view(uow, _activity_in(uow, group.id, activity_id), group.timezone, now)

    def upcoming(self, actor: Actor, *, now: datetime, days: int = 60, place: str = "") -> Upcoming:
        """Planned activities from today on, grouped by place (an activity at two places is
        listed under both); with ``place``, only those there."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            chosen = resolve(uow, actor, group.id, place) if place.strip() else None
            rows = uow.activities.between(
                group.id,
                now - timedelta(hours=24),
                now + timedelta(days=days),
                statuses=(ActivityStatus.PLANERAD,),
                place_id=chosen.id if chosen else None,
            )
            coming = [r for r in rows if r.end_at >= now]
            views = planned_activities(uow, coming, now=now, tz=ZoneInfo(group.timezone))
        by_place: dict[str, list[PlannedActivity]] = {}
        for view in views:
            for name in view.places:
                if chosen is None or name == chosen.name:
                    by_place.setdefault(name, []).append(view)
        ordered = sorted(by_place.items(), key=lambda kv: (kv[1][0].start_at, kv[0]))
        return Upcoming(tuple((p, tuple(v)) for p, v in ordered))

    def mine(self, actor: Actor, *, now: datetime) -> tuple[PlannedActivity, ...]:
        """The actor's own activities: coming ones and held ones still waiting for follow-up."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            rows = uow.activities.between(
                group.id, now - timedelta(weeks=4), now + timedelta(days=60)
            )
            own = [r for r in rows if r.owner_user_id == actor.user_id]
            views = planned_activities(uow, own, now=now, tz=ZoneInfo(group.timezone))
        return tuple(v for v in views if v.end_at >= now or not v.followed_up)

    def follow_up(
        self, actor: Actor, activity_id: int, form: FollowUp, *, now: datetime
    ) -> PlannedActivity:
        """Attendance by category with the counting method, incidents during, effect seen."""
        group = require(actor, Role.MEDLEM)
        attendance = check_attendance(form.attendance)
        if form.counting_method not in COUNTING_METHODS:
            raise InvalidInput(
                N_("Say how attendance was counted: räknat, uppskattat or klickräknare."),
                field="counting_method",
            )
        during = count_field(form.incidents_during, "incidents_during")
        effect = check_text(form.effect, "effect")
        with self.db.unit_of_work() as uow:
            row = changeable(uow, actor, group.id, activity_id)
            if now < row.start_at:
                raise InvalidInput(N_("The activity has not started yet."), field="effect")
            win = window(now, ZoneInfo(group.timezone), group.started_on)
            check_since(row.start_at.astimezone(win.tz).date(), win, Kind.FOLLOW_UP, field="effect")
            if row.status == ActivityStatus.INSTALLD:
                raise InvalidInput(N_("The activity was cancelled."), field="effect")
            before = snapshot(row)
            row.attendance, row.counting_method = attendance, form.counting_method
            row.incidents_during, row.effect = during, effect
            row.status, row.followed_up_by, row.followed_up_at = (
                ActivityStatus.GENOMFORD,
                actor.user_id,
                now,
            )
            row.updated_at = now
            uow.activities.save(row)
            uow.audit.record_row(
                "activity.followed_up", row, actor=actor.user_id, at=now, before=before
            )
            return self._view(uow, row, group.timezone, now)

    def cancel(
        self, actor: Actor, activity_id: int, reason: str, *, now: datetime
    ) -> PlannedActivity:
        group = require(actor, Role.MEDLEM)
        reason = check_text(reason, "reason", 500)
        if not reason:
            raise InvalidInput(N_("Say why the activity is cancelled."), field="reason")
        with self.db.unit_of_work() as uow:
            row = changeable(uow, actor, group.id, activity_id)
            if row.status != ActivityStatus.PLANERAD:
                raise InvalidInput(N_("Only a planned activity can be cancelled."))
            before = snapshot(row)
            row.status, row.cancel_reason, row.updated_at = ActivityStatus.INSTALLD, reason, now
            uow.activities.save(row)
            uow.outbox.cancel(key_of(row), now=now)
            uow.audit.record_row(
                "activity.cancelled", row, actor=actor.user_id, at=now, before=before
            )
            return self._view(uow, row, group.timezone, now)

    def reschedule(
        self,
        actor: Actor,
        activity_id: int,
        day: date,
        start: time,
        end: time,
        reason: str,
        *,
        now: datetime,
    ) -> PlannedActivity:
        """A new day or time, with a reason: the reminder and follow-up follow the new time and
        the channel is told again."""
        group = require(actor, Role.MEDLEM)
        reason = check_text(reason, "reason", 500)
        if not reason:
            raise InvalidInput(N_("Say why the activity moves."), field="reason")
        with self.db.unit_of_work() as uow:
            row = changeable(uow, actor, group.id, activity_id)
            if row.status != ActivityStatus.PLANERAD:
                raise InvalidInput(N_("Only a planned activity can move."))
            new_start, new_end = span(day, start, end, ZoneInfo(group.timezone), now)
            check_since(day, window(now, ZoneInfo(group.timezone), group.started_on), Kind.ACTIVITY)
            before = snapshot(row)
            uow.outbox.cancel(key_of(row), now=now)
            row.start_at, row.end_at, row.updated_at = new_start, new_end, now
            uow.activities.save(row)
            uow.audit.record_row(
                "activity.moved",
                row,
                actor=actor.user_id,
                at=now,
                before=before,
                extra={"reason": reason},
            )
            uow.outbox.enqueue(
                Outbox(
                    group_id=group.id,
                    recipient=group.channel_id,
                    kind=ActivityOutbox.ANNOUNCED,
                    payload={"activity_id": row.id, "start": new_start.isoformat()},
                    dedupe_key=key_of(row) + new_start.isoformat() + ":announced",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            return self._view(uow, row, group.timezone, now)

    def held_and_coming(self, group_id: int, iso_year: int, iso_week: int) -> ActivityWeek:
        """For the weekly summary (no actor: the clock asks). Held: activities that started in
        the ISO week (local time) and were not cancelled, with attendance once followed up.
        Coming: planned activities in the 14 days after that week."""
        with self.db.unit_of_work(read_only=True) as uow:
            settings = uow.groups.get(group_id)
            if settings is None:
                raise NotFound(N_("No such group."))
            tz = ZoneInfo(settings.timezone)
            monday = date.fromisocalendar(iso_year, iso_week, 1)
            start = datetime.combine(monday, time(0), tzinfo=tz)
            end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=tz)
            held = uow.activities.between(group_id, start, end)
            coming = uow.activities.between(
                group_id, end, end + timedelta(days=14), statuses=(ActivityStatus.PLANERAD,)
            )
            return ActivityWeek(
                iso_year,
                iso_week,
                tuple(activity_lines(uow, held)),
                tuple(activity_lines(uow, coming)),
            )

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _view(uow: UnitOfWork, row: Activity, timezone: str, now: datetime) -> PlannedActivity:
        return planned_activity(uow, row, now=now, tz=ZoneInfo(timezone))

    @staticmethod
    def _motivate(
        uow: UnitOfWork, actor: Actor, row: Activity, keys: Sequence[str], now: datetime
    ) -> None:
        assert row.id is not None
        place_ids = {p.id for p in uow.activities.places(row.id)}
        existing = {(m.kind, m.record_id) for m in uow.activities.motivations(row.id)}
        for key in dict.fromkeys(keys):
            found = record(uow, row.group_id, key)
            if found.place_id not in place_ids:
                raise InvalidInput(
                    N_("Record {key} is not at one of the activity's places.", key=key),
                    field="motivation",
                )
            if found.record_at > row.created_at:
                raise InvalidInput(
                    N_(
                        "Record {key} was saved after the activity was planned, so it cannot "
                        "have motivated it.",
                        key=key,
                    ),
                    field="motivation",
                )
            if (found.kind, found.record_id) in existing:
                continue
            existing.add((found.kind, found.record_id))
            link = uow.activities.add_motivation(
                ActivityMotivation(
                    activity_id=row.id,
                    kind=found.kind,
                    record_id=found.record_id,
                    place_id=found.place_id,
                    record_at=found.record_at,
                    happened_at=found.happened_at,
                    summary=found.summary[:500],
                    linked_by=actor.user_id,
                    linked_at=now,
                )
            )
            uow.audit.record_row(
                "activity.motivated", link, actor=actor.user_id, at=now, group_id=row.group_id
            )


# -- module helpers ------------------------------------------------------------------------


def _places(uow: UnitOfWork, group_id: int, place_ids: Sequence[int]) -> list[int]:
    rows = [uow.places.get(p) for p in place_ids]
    if any(p is None or p.group_id != group_id for p in rows):
        raise NotFound(N_("One of the places is not in this group."))
    return [p.id for p in rows if p is not None and p.id is not None]


def _activity_in(uow: UnitOfWork, group_id: int, activity_id: int) -> Activity:
    row = uow.activities.get(activity_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No activity #{id} in this group.", id=activity_id))
    return row


def changeable(uow: UnitOfWork, actor: Actor, group_id: int, activity_id: int) -> Activity:
    row = _activity_in(uow, group_id, activity_id)
    if actor.user_id not in (row.owner_user_id, row.created_by) and not actor.is_admin:
        raise Forbidden(
            N_(
                "Only the owner, the creator or an admin can change activity #{id}.",
                id=activity_id,
            )
        )
    return row
