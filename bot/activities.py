"""Activities (aktiviteter): planned at places, motivated by dated records, followed up.

An activity links to the incidents and situation-report entries at its places that existed
before it was planned (the lägesbild that motivated it, cited as dated records). Without one it
is saved all the same, as a draft that every view marks as unmotivated. What it causes later
(the announcement, the reminder, the follow-up form, the before/after counts) goes through the
outbox: see ``bot.activity_jobs``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from stdnum.se import orgnr

from bot.activity_views import (
    ATTENDANCE,
    COUNTING_METHODS,
    ActivityLine,
    ActivityView,
    ActivityWeek,
    Organiser,
    activity_view,
)
from bot.commands import fold
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.i18n import N_
from bot.places import resolve
from bot.privacy import ensure_no_personal_data
from bot.rules import clean_name, require
from bot.views import Actor
from storage.db import Database
from storage.models import (
    Activity,
    ActivityKind,
    ActivityMotivation,
    ActivityStatus,
    Category,
    Incident,
    Member,
    MemberStatus,
    Organisation,
    Outbox,
    Place,
    ReportEntry,
    Role,
    SituationReport,
)
from storage.repositories import UnitOfWork, snapshot

MAX_TEXT = 3000
MAX_PEOPLE = 100_000
CANDIDATE_WEEKS = 12  # records this old or newer are offered as motivation
MAX_AHEAD = timedelta(days=366)
MAX_BACK = timedelta(days=2 * 366)  # last year's activities may still be registered (re-reporting)


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
    organisers: str = ""  # one per line: "Norsborg FC; 802000-1234"
    target_group: str = ""
    purpose: str = ""
    expected_participants: int | None = None
    motivation: Sequence[str] = ()  # candidate keys: "i:12" (incident), "r:34" (report entry)


@dataclass(frozen=True)
class FollowUp:
    attendance: dict[str, int]  # by ATTENDANCE category
    counting_method: str
    incidents_during: int
    effect: str


@dataclass(frozen=True)
class Candidate:
    """A dated record that may motivate an activity at its place."""

    key: str
    kind: str
    record_id: int
    place_id: int
    place: str
    record_at: datetime
    happened: str  # the incident's time, or the report's week ("v. 46")
    summary: str


@dataclass(frozen=True)
class Upcoming:
    by_place: tuple[tuple[str, tuple[ActivityView, ...]], ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len({a.id for _p, acts in self.by_place for a in acts})


def parse_kind(value: str) -> str:
    key = fold(value.strip())
    english = {
        "event": "evenemang",
        "safety walk": "trygghetsvandring",
        "night walk": "nattvandring",
    }
    key = fold(english.get(key, key))
    for kind in ActivityKind:
        if fold(kind.value) == key or (fold(kind.value).startswith(key) and len(key) >= 4):
            return kind.value
    raise InvalidInput(
        N_(
            "Unknown kind of activity “{value}”. Choose one of: {kinds}.",
            value=value,
            kinds=", ".join(k.value for k in ActivityKind),
        ),
        field="kind",
    )


def check_org_number(value: str, field_name: str) -> str:
    """A Swedish organisation number (python-stdnum's checksum), formatted NNNNNN-NNNN."""
    if not orgnr.is_valid(value):
        raise InvalidInput(
            N_(
                "“{value}” is not a valid organisation number (10 digits, e.g. 802000-1234).",
                value=value,
            ),
            field=field_name,
        )
    return str(orgnr.format(value))


_ORG_NUMBER = re.compile(r"[;,]?\s*(\d{6}-?\d{4})\s*$")


def parse_organisers(text: str) -> tuple[Organiser, ...]:
    """One organiser a line; an organisation number at the end of the line is checked."""
    found = []
    for line in text.splitlines():
        line = line.strip().strip(";,")
        if not line:
            continue
        number = None
        if match := _ORG_NUMBER.search(line):
            number = check_org_number(match.group(1), "organisers")
            line = line[: match.start()].strip().strip(";,").strip()
        name = clean_name(line, "organisers")
        ensure_no_personal_data(name, field="organisers")
        found.append(Organiser(name, number))
    return tuple(found)


def text_field(value: str, field_name: str, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(
            N_("The text is too long ({n} characters; at most {max}).", n=len(value), max=limit),
            field=field_name,
        )
    ensure_no_personal_data(value, field=field_name)
    return value


def count_field(value: int | None, field_name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_PEOPLE:
        raise InvalidInput(N_("Write a whole number from 0 up."), field=field_name)
    return value


def key_of(activity: Activity) -> str:
    """Every outbox row about an activity starts with this key."""
    return f"activity:{activity.id}:"


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def candidates(
        self, actor: Actor, place_ids: Sequence[int], *, now: datetime, limit: int = 25
    ) -> tuple[Candidate, ...]:
        """Incidents and report entries at these places (every place, if none) saved before
        now, newest first: what the bot offers as the activity's motivation."""
        group = require(actor, Role.MEDLEM)
        with self.db.unit_of_work(read_only=True) as uow:
            return tuple(_candidates(uow, group.id, place_ids, now, ZoneInfo(group.timezone)))[
                :limit
            ]

    def create(self, actor: Actor, draft: ActivityDraft, *, now: datetime) -> ActivityView:
        group = require(actor, Role.MEDLEM)
        tz = ZoneInfo(group.timezone)
        start, end = _span(draft, tz, now)
        title = clean_name(draft.title, "title")
        ensure_no_personal_data(title, field="title")
        organisers = parse_organisers(draft.organisers)
        if not draft.place_ids and not any(p.strip() for p in draft.places):
            raise InvalidInput(N_("Choose at least one place."), field="places")
        with self.db.unit_of_work() as uow:
            owner = _owner(uow, group.id, draft.owner_user_id)
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
                    target_group=text_field(draft.target_group, "target_group", 200),
                    purpose=text_field(draft.purpose, "purpose"),
                    expected_participants=count_field(draft.expected_participants, "expected"),
                    organisers=[{"name": o.name, "org_number": o.org_number} for o in organisers],
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
                    kind="activity.announced",
                    payload={"activity_id": row.id},
                    dedupe_key=key_of(row) + "announced",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            return activity_view(uow, row, now=now, tz_day=start.astimezone(tz).date())

    def motivate(
        self, actor: Actor, activity_id: int, keys: Sequence[str], *, now: datetime
    ) -> ActivityView:
        """Link more dated records; each must have existed before the activity was planned."""
        group = require(actor, Role.MEDLEM)
        if not keys:
            raise InvalidInput(N_("Choose at least one record."), field="motivation")
        with self.db.unit_of_work() as uow:
            row = _changeable(uow, actor, group.id, activity_id)
            self._motivate(uow, actor, row, keys, now)
            row.updated_at = now
            uow.session.add(row)
            return self._view(uow, row, group.timezone, now)

    def get(self, actor: Actor, activity_id: int, *, now: datetime) -> ActivityView:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            return self._view(uow, _activity_in(uow, group.id, activity_id), group.timezone, now)

    def upcoming(self, actor: Actor, *, now: datetime, days: int = 60) -> Upcoming:
        """Planned activities from today on, grouped by place (an activity at two places is
        listed under both)."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            rows = uow.activities.between(
                group.id,
                now - timedelta(hours=24),
                now + timedelta(days=days),
                statuses=(ActivityStatus.PLANERAD,),
            )
            views = [self._view(uow, r, group.timezone, now) for r in rows if r.end_at >= now]
        by_place: dict[str, list[ActivityView]] = {}
        for view in views:
            for place in view.places:
                by_place.setdefault(place, []).append(view)
        ordered = sorted(by_place.items(), key=lambda kv: (kv[1][0].start_at, kv[0]))
        return Upcoming(tuple((p, tuple(v)) for p, v in ordered))

    def mine(self, actor: Actor, *, now: datetime) -> tuple[ActivityView, ...]:
        """The actor's own activities: coming ones and held ones still waiting for follow-up."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            rows = uow.activities.between(
                group.id, now - timedelta(weeks=4), now + timedelta(days=60)
            )
            views = [
                self._view(uow, r, group.timezone, now)
                for r in rows
                if r.owner_user_id == actor.user_id
            ]
        return tuple(v for v in views if v.end_at >= now or not v.followed_up)

    def follow_up(
        self, actor: Actor, activity_id: int, form: FollowUp, *, now: datetime
    ) -> ActivityView:
        """Attendance by category with the counting method, incidents during, effect seen."""
        group = require(actor, Role.MEDLEM)
        attendance = _attendance(form.attendance)
        if form.counting_method not in COUNTING_METHODS:
            raise InvalidInput(
                N_("Say how attendance was counted: räknat, uppskattat or klickräknare."),
                field="counting_method",
            )
        during = count_field(form.incidents_during, "incidents_during")
        effect = text_field(form.effect, "effect")
        with self.db.unit_of_work() as uow:
            row = _changeable(uow, actor, group.id, activity_id)
            if now < row.start_at:
                raise InvalidInput(N_("The activity has not started yet."), field="effect")
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
            uow.session.add(row)
            uow.audit.record_row(
                "activity.followed_up", row, actor=actor.user_id, at=now, before=before
            )
            return self._view(uow, row, group.timezone, now)

    def cancel(self, actor: Actor, activity_id: int, reason: str, *, now: datetime) -> ActivityView:
        group = require(actor, Role.MEDLEM)
        reason = text_field(reason, "reason", 500)
        if not reason:
            raise InvalidInput(N_("Say why the activity is cancelled."), field="reason")
        with self.db.unit_of_work() as uow:
            row = _changeable(uow, actor, group.id, activity_id)
            if row.status != ActivityStatus.PLANERAD:
                raise InvalidInput(N_("Only a planned activity can be cancelled."))
            before = snapshot(row)
            row.status, row.cancel_reason, row.updated_at = ActivityStatus.INSTALLD, reason, now
            uow.session.add(row)
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
    ) -> ActivityView:
        """A new day or time, with a reason: the reminder and follow-up follow the new time and
        the channel is told again."""
        group = require(actor, Role.MEDLEM)
        reason = text_field(reason, "reason", 500)
        if not reason:
            raise InvalidInput(N_("Say why the activity moves."), field="reason")
        with self.db.unit_of_work() as uow:
            row = _changeable(uow, actor, group.id, activity_id)
            if row.status != ActivityStatus.PLANERAD:
                raise InvalidInput(N_("Only a planned activity can move."))
            draft = ActivityDraft(row.title, row.kind, day, start, end, row.owner_user_id)
            new_start, new_end = _span(draft, ZoneInfo(group.timezone), now)
            before = snapshot(row)
            uow.outbox.cancel(key_of(row), now=now)
            row.start_at, row.end_at, row.updated_at = new_start, new_end, now
            uow.session.add(row)
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
                    kind="activity.announced",
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
                tuple(ActivityLine.of(activity_view(uow, r)) for r in held),
                tuple(ActivityLine.of(activity_view(uow, r)) for r in coming),
            )

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _view(uow: UnitOfWork, row: Activity, timezone: str, now: datetime) -> ActivityView:
        day = row.start_at.astimezone(ZoneInfo(timezone)).date()
        return activity_view(uow, row, now=now, tz_day=day)

    @staticmethod
    def _motivate(
        uow: UnitOfWork, actor: Actor, row: Activity, keys: Sequence[str], now: datetime
    ) -> None:
        assert row.id is not None
        place_ids = {p.id for p in uow.activities.places(row.id)}
        existing = {(m.kind, m.record_id) for m in uow.activities.motivations(row.id)}
        for key in dict.fromkeys(keys):
            found = _record(uow, row.group_id, key)
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
            link = uow.activities.add_motivation(
                ActivityMotivation(
                    activity_id=row.id,
                    kind=found.kind,
                    record_id=found.record_id,
                    place_id=found.place_id,
                    record_at=found.record_at,
                    summary=found.summary[:500],
                    linked_by=actor.user_id,
                    linked_at=now,
                )
            )
            uow.audit.record_row(
                "activity.motivated", link, actor=actor.user_id, at=now, group_id=row.group_id
            )


# -- module helpers ------------------------------------------------------------------------


def _span(draft: ActivityDraft, tz: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
    """Start and end as aware UTC; an end at or before the start is the next morning."""
    start = datetime.combine(draft.day, draft.start, tzinfo=tz)
    end_day = draft.day if draft.end > draft.start else draft.day + timedelta(days=1)
    end = datetime.combine(end_day, draft.end, tzinfo=tz)
    if start - now > MAX_AHEAD or now - start > MAX_BACK:
        raise InvalidInput(N_("Choose a date within a year ahead or two years back."), field="date")
    return start.astimezone(now.tzinfo), end.astimezone(now.tzinfo)


def _attendance(values: dict[str, int]) -> dict[str, int]:
    found = {}
    for category in ATTENDANCE:
        n = values.get(category)
        if n is None:
            continue
        count_field(n, f"attendance_{ATTENDANCE.index(category)}")
        found[category] = int(n)
    if not found:
        raise InvalidInput(N_("Count at least one group of participants."), field="attendance_0")
    return found


def _owner(uow: UnitOfWork, group_id: int, user_id: str) -> Member:
    member = uow.members.find(group_id, user_id.strip().lstrip("@"))
    if member is None or member.status != MemberStatus.ACTIVE or member.role == Role.LASARE:
        raise InvalidInput(
            N_("The owner must be a member of the group (not a reader)."), field="owner"
        )
    return member


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


def _changeable(uow: UnitOfWork, actor: Actor, group_id: int, activity_id: int) -> Activity:
    row = _activity_in(uow, group_id, activity_id)
    if actor.user_id not in (row.owner_user_id, row.created_by) and not actor.is_admin:
        raise Forbidden(
            N_(
                "Only the owner, the creator or an admin can change activity #{id}.",
                id=activity_id,
            )
        )
    return row


def _record(uow: UnitOfWork, group_id: int, key: str) -> Candidate:
    kind, _, raw = key.partition(":")
    if not raw.isdigit() or kind not in ("i", "r"):
        raise InvalidInput(N_("Unknown record {key}.", key=key), field="motivation")
    if kind == "i":
        incident = uow.incidents.get(int(raw))
        if incident is None or incident.group_id != group_id or incident.deleted_at is not None:
            raise NotFound(N_("No incident #{id} in this group.", id=int(raw)))
        category = uow.categories.get(incident.category_id)
        place = uow.places.get(incident.place_id)
        return _incident_candidate(incident, category, place, ZoneInfo("UTC"))
    found = uow.session.exec(
        select(ReportEntry, SituationReport, Organisation, Place)
        .join(SituationReport, col(SituationReport.id) == col(ReportEntry.report_id))
        .join(Organisation, col(Organisation.id) == col(SituationReport.organisation_id))
        .join(Place, col(Place.id) == col(ReportEntry.place_id))
        .where(ReportEntry.id == int(raw), SituationReport.group_id == group_id)
    ).first()
    if found is None:
        raise NotFound(N_("No situation report {key} in this group.", key=key))
    return _report_candidate(*found)


def _incident_candidate(
    incident: Incident, category: Category | None, place: Place | None, tz: ZoneInfo
) -> Candidate:
    assert incident.id is not None
    label = category.label_sv if category else ""
    text = f"{label}: {incident.description}".strip(": ") if incident.description else label
    return Candidate(
        key=f"i:{incident.id}",
        kind="incident",
        record_id=incident.id,
        place_id=incident.place_id,
        place=place.name if place else "",
        record_at=incident.created_at,
        happened=incident.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        summary=text,
    )


def _report_candidate(
    entry: ReportEntry, report: SituationReport, organisation: Organisation, place: Place
) -> Candidate:
    assert entry.id is not None
    text = f"{organisation.name}: {entry.level}, {entry.trend}"
    if entry.observations:
        text += f": {entry.observations}"
    return Candidate(
        key=f"r:{entry.id}",
        kind="report",
        record_id=entry.id,
        place_id=entry.place_id,
        place=place.name,
        record_at=report.updated_at,
        happened=f"{report.iso_year}-W{report.iso_week:02d}",
        summary=text,
    )


def _candidates(
    uow: UnitOfWork, group_id: int, place_ids: Sequence[int], now: datetime, tz: ZoneInfo
) -> list[Candidate]:
    since = now - timedelta(weeks=CANDIDATE_WEEKS)
    places = {p.id or 0: p for p in uow.places.of_group(group_id, active_only=False)}
    wanted = [p for p in place_ids if p in places] or list(places)
    categories = {c.id: c for c in uow.categories.of_group(group_id, active_only=False)}
    incidents = uow.session.exec(
        select(Incident)
        .where(
            col(Incident.group_id) == group_id,
            col(Incident.place_id).in_(wanted),
            col(Incident.deleted_at).is_(None),
            col(Incident.created_at) <= now,
            col(Incident.occurred_at) >= since,
        )
        .order_by(col(Incident.occurred_at).desc())
        .limit(50)
    ).all()
    entries = uow.session.exec(
        select(ReportEntry, SituationReport, Organisation, Place)
        .join(SituationReport, col(SituationReport.id) == col(ReportEntry.report_id))
        .join(Organisation, col(Organisation.id) == col(SituationReport.organisation_id))
        .join(Place, col(Place.id) == col(ReportEntry.place_id))
        .where(
            SituationReport.group_id == group_id,
            col(ReportEntry.place_id).in_(wanted),
            col(SituationReport.updated_at) <= now,
            col(SituationReport.updated_at) >= since,
        )
        .order_by(col(SituationReport.updated_at).desc())
        .limit(50)
    ).all()
    found = [
        _incident_candidate(i, categories.get(i.category_id), places.get(i.place_id), tz)
        for i in incidents
    ] + [_report_candidate(*row) for row in entries]
    return sorted(found, key=lambda c: c.record_at, reverse=True)
