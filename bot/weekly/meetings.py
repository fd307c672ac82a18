"""The weekly lägesbild and its meeting: agenda from data, decisions, joint levels, minutes.

Closing the meeting freezes the week's lägesbild as a snapshot; a later change makes a new
version with a reason, and `/est lägesbild v46` shows the newest frozen version of week 46.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.actions.results import action_items
from bot.actions.service import ActionDraft, ActionService, add_action, checked_draft
from bot.actors import Actor
from bot.analysis.priority_views import week_priorities
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import N_
from bot.places.service import place_in, resolve
from bot.privacy import ensure_no_personal_data
from bot.rules import check_text, require
from bot.weekly.meeting_results import MeetingDecision as MeetingDecision
from bot.weekly.meeting_results import Minutes as Minutes
from bot.weekly.meeting_results import WeekLine as WeekLine
from bot.weekly.picture import Picture, compile_picture, registered_since
from bot.weekly.place_history import place_weeks
from bot.weekly.weeks import asked_week, closed_meeting, meeting_week, report_week
from storage.db import Database
from storage.models import (
    Decision,
    Group,
    JointLevel,
    Level,
    Meeting,
    PictureSnapshot,
    Role,
)
from storage.repositories import UnitOfWork

HISTORY_WEEKS = 12


MAX_DECISION = 3000


class MeetingService:
    def __init__(self, db: Database, actions: ActionService) -> None:
        self.db = db
        self.actions = actions

    def action_place(self, actor: Actor, meeting_id: int, place_id: int) -> tuple[str, int, int]:
        """For "Ny åtgärd här…" on the agenda: the place's name and the meeting's ISO year and
        week, which the new action is linked to."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            meeting = uow.meetings.get(meeting_id)
            if meeting is None or meeting.group_id != group.id:
                raise NotFound(N_("No such meeting in this group."))
            return place_in(uow, group.id, place_id).name, meeting.iso_year, meeting.iso_week

    def picture(self, actor: Actor, week_text: str = "", *, now: datetime) -> Picture:
        """The week's lägesbild: its newest frozen version, or compiled from the data now."""
        group = require(actor, Role.LASARE)
        settings = self._settings(group.id)
        meeting = asked_week(settings, week_text, now)
        year, week = meeting.iso_year, meeting.iso_week
        with self.db.unit_of_work(read_only=True) as uow:
            if (frozen := uow.pictures.newest(group.id, year, week)) is not None:
                stored = Picture.from_json(frozen.content)
                decided, _proposed = week_priorities(uow, group.id, year, week)
                since = registered_since(uow, settings, year, week, frozen.created_at)
                return replace(
                    stored,
                    version=frozen.version,
                    reason=frozen.reason,
                    meeting=meeting,
                    priorities=decided,
                    registered_since=since,
                )
            picture = compile_picture(uow, settings, year, week, now=now)
            return replace(picture, meeting=meeting)

    def place_history(
        self, actor: Actor, place_text: str, *, now: datetime
    ) -> tuple[str, tuple[WeekLine, ...]]:
        """A place's joint level and incidents over the last twelve weeks, newest first."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            place = resolve(uow, actor, group.id, place_text)
            settings = uow.groups.get(group.id)
            assert settings is not None and place.id is not None
            this_year, this_week = report_week(settings, now)  # the meeting's week, back from it
            monday = date.fromisocalendar(this_year, this_week, 1)
            back = [(monday - timedelta(weeks=n)).isocalendar() for n in range(HISTORY_WEEKS)]
            weeks = [(iso.year, iso.week) for iso in back]
            found = place_weeks(uow, settings, place.id, weeks, now=now)
        lines = (
            WeekLine(*w, found[w].joint_level, found[w].incidents, found[w].frozen) for w in weeks
        )
        return place.name, tuple(lines)

    def open(self, actor: Actor, *, now: datetime) -> tuple[int, Picture]:
        """Open (or reopen the agenda of) the meeting meant now (``meeting_week``: this week's,
        or next week's once this week's is over); returns its id and the agenda, which says
        which meeting it is and why."""
        group = require(actor, Role.MEDLEM)
        settings = self._settings(group.id)
        meant = meeting_week(settings, now)
        year, week = meant.iso_year, meant.iso_week
        with self.db.unit_of_work() as uow:
            meeting = uow.meetings.of_week(group.id, year, week)
            if meeting is None:
                meeting = Meeting(
                    group_id=group.id,
                    iso_year=year,
                    iso_week=week,
                    opened_by=actor.user_id,
                    opened_at=now,
                )
                uow.meetings.add(meeting)
                uow.audit.record_row("meeting.opened", meeting, actor=actor.user_id, at=now)
            elif meeting.status == "closed":
                raise closed_meeting(meant)
            assert meeting.id is not None
            agenda = compile_picture(uow, settings, year, week, now=now)
            return meeting.id, replace(agenda, meeting=meant)

    def decide(
        self,
        actor: Actor,
        meeting_id: int,
        text: str,
        *,
        place_id: int | None = None,
        owner: str | None = None,
        due: date | None = None,
        now: datetime,
    ) -> MeetingDecision:
        """Record a decision; with an owner and a due date it also becomes an action."""
        group = require(actor, Role.MEDLEM)
        text = text.strip()
        if not text:
            raise InvalidInput(N_("Write the decision."), field="decision")
        check_text(text, "decision", MAX_DECISION)
        action = None
        if owner and due:  # checked first: a refused owner or due date saves nothing at all
            draft = ActionDraft(text[:200], owner, due, place_ids=[place_id] if place_id else [])
            action = checked_draft(draft, timezone=group.timezone, now=now)
        with self.db.unit_of_work() as uow:  # the decision and its action: one unit of work
            meeting = self._open_meeting(uow, group.id, meeting_id)
            if place_id is not None:
                place_in(uow, group.id, place_id)
            decision = uow.meetings.add_decision(
                Decision(
                    meeting_id=meeting_id,
                    text=text,
                    place_id=place_id,
                    owner_user_id=owner,
                    due_date=due,
                    created_by=actor.user_id,
                    created_at=now,
                )
            )
            if action is not None:
                action = replace(
                    action,
                    iso_year=meeting.iso_year,
                    iso_week=meeting.iso_week,
                    decision_ref=f"decision:{decision.id}",
                )
                decision.action_id = add_action(uow, actor, group.id, action, now=now).id
            uow.audit.record_row(
                "decision.created", decision, actor=actor.user_id, at=now, group_id=group.id
            )
        return self._decision_view(decision.id or 0)

    def set_level(
        self, actor: Actor, meeting_id: int, place_id: int, level: str, *, now: datetime
    ) -> Picture:
        """Agree the place's level for the meeting's week; returns the agenda as it is now."""
        group = require(actor, Role.MEDLEM)
        if level not in {lv.value for lv in Level}:
            raise InvalidInput(N_("Choose a level: lugnt, oroligt or allvarligt."), field="level")
        with self.db.unit_of_work() as uow:
            meeting = self._open_meeting(uow, group.id, meeting_id)
            place_in(uow, group.id, place_id)
            row = uow.meetings.level(group.id, meeting.iso_year, meeting.iso_week, place_id)
            row = row or JointLevel(
                group_id=group.id,
                iso_year=meeting.iso_year,
                iso_week=meeting.iso_week,
                place_id=place_id,
                level=level,
                set_by=actor.user_id,
                set_at=now,
            )
            row.level, row.set_by, row.set_at = level, actor.user_id, now
            uow.meetings.set_level(row)
            uow.audit.record_row("level.set", row, actor=actor.user_id, at=now)
            settings = uow.groups.get(group.id)
            assert settings is not None
            week = (meeting.iso_year, meeting.iso_week)
            agenda = compile_picture(uow, settings, *week, now=now)
            meant = meeting_week(settings, now)  # as `/est möte` said it, when it is the same
            same = (meant.iso_year, meant.iso_week) == week
            return replace(agenda, meeting=meant if same else meeting_week(settings, now, week))

    def close(self, actor: Actor, meeting_id: int, *, now: datetime) -> Minutes:
        """Close the meeting: the minutes, and the lägesbild frozen as version 1 (or next)."""
        group = require(actor, Role.MEDLEM)
        with self.db.unit_of_work() as uow:
            meeting = self._open_meeting(uow, group.id, meeting_id)
            meeting.status, meeting.closed_at = "closed", now  # saved with the unit of work
            picture = self._freeze(uow, actor, meeting.iso_year, meeting.iso_week, now, None)
            uow.audit.record_row("meeting.closed", meeting, actor=actor.user_id, at=now)
            ids = [d.id or 0 for d in uow.meetings.decisions(meeting_id)]
            year, week = meeting.iso_year, meeting.iso_week
            made = uow.meetings.actions_made(f"meeting:{meeting_id}")  # from the agenda's buttons
            actions = tuple(action_items(uow, made))
        decided = tuple(self._decision_view(i) for i in ids)
        return Minutes(meeting_id, year, week, decided, picture, actions)

    def correct(self, actor: Actor, week_text: str, reason: str, *, now: datetime) -> Picture:
        """Freeze the week again from the data as it is now: a new version, with the reason."""
        group = require(actor, Role.ADMIN)
        reason = reason.strip()
        if not reason:
            raise InvalidInput(N_("Say why the lägesbild changes."), field="reason")
        ensure_no_personal_data(reason, field="reason")
        if not week_text.strip():
            raise InvalidInput(N_("Say which week: `/est lägesbild ändra v50 <orsak>`."))
        meeting = asked_week(self._settings(group.id), week_text, now)
        year, week = meeting.iso_year, meeting.iso_week
        with self.db.unit_of_work() as uow:
            if uow.pictures.newest(group.id, year, week) is None:
                raise NotFound(
                    N_("Week {week}, {year} has no adopted lägesbild yet.", week=week, year=year)
                )
            return self._freeze(uow, actor, year, week, now, reason)

    # -- helpers -----------------------------------------------------------------------------

    def _settings(self, group_id: int) -> Group:
        with self.db.unit_of_work(read_only=True) as uow:
            settings = uow.groups.get(group_id)
            assert settings is not None
            return settings

    def _freeze(
        self, uow: UnitOfWork, actor: Actor, year: int, week: int, now: datetime, reason: str | None
    ) -> Picture:
        assert actor.group is not None
        settings = uow.groups.get(actor.group.id)
        assert settings is not None
        picture = compile_picture(uow, settings, year, week, now=now)
        latest = uow.pictures.newest(actor.group.id, year, week)
        version = latest.version + 1 if latest else 1
        snapshot = PictureSnapshot(
            group_id=actor.group.id,
            iso_year=year,
            iso_week=week,
            version=version,
            content=picture.to_json(),
            reason=reason,
            created_by=actor.user_id,
            created_at=now,
        )
        uow.pictures.add_snapshot(snapshot)
        uow.audit.record_row("picture.frozen", snapshot, actor=actor.user_id, at=now)
        return Picture(**{**picture.__dict__, "version": version, "reason": reason})

    @staticmethod
    def _open_meeting(uow: UnitOfWork, group_id: int, meeting_id: int) -> Meeting:
        meeting = uow.meetings.get(meeting_id)
        if meeting is None or meeting.group_id != group_id:
            raise NotFound(N_("No such meeting in this group."))
        if meeting.status != "open":
            raise Conflict(N_("The meeting is already closed."))
        return meeting

    def _decision_view(self, decision_id: int) -> MeetingDecision:
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.meetings.decision(decision_id)
            assert row is not None
            place = uow.places.get(row.place_id) if row.place_id else None
            return MeetingDecision(
                row.id or 0,
                row.text,
                place.name if place else None,
                row.owner_user_id,
                row.due_date,
                row.action_id,
            )
