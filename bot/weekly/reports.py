"""Situation reports (lägesrapporter): one per organisation and ISO week, versioned, late-marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.actors import Actor
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.places.matching import PlaceName
from bot.places.service import RegisteredPlace, resolve
from bot.rules import check_text, require
from bot.weekly.from_message import MessageDraft, split_by_place
from bot.weekly.notifications import WeeklyOutbox, report_key
from bot.weekly.report_views import EntryDraft as EntryDraft
from bot.weekly.report_views import PlaceAssessment as PlaceAssessment
from bot.weekly.report_views import WeeklyReport as WeeklyReport
from bot.weekly.report_views import weekly_report as weekly_report
from bot.weekly.weeks import (
    MeetingWeek,
    asked_meeting,
    meeting_week,
    registered_afterwards,
    saved_week,
    window,
)

# re-exported: the weekly cycle's weeks moved to bot.weekly.weeks, and were found here before
from bot.weekly.weeks import deadline as deadline
from bot.weekly.weeks import meeting_moment as meeting_moment
from bot.weekly.weeks import report_week as report_week
from storage.db import Database
from storage.models import (
    Group,
    Level,
    Outbox,
    ReportEntry,
    ReportVersion,
    Role,
    SituationReport,
    Trend,
)
from storage.repositories import UnitOfWork

LEVEL_RANK: dict[str, int] = {Level.LUGNT: 0, Level.OROLIGT: 1, Level.ALLVARLIGT: 2}


@dataclass(frozen=True)
class ReportForm:
    iso_year: int
    iso_week: int
    places: tuple[RegisteredPlace, ...]
    current: WeeklyReport | None
    meeting: MeetingWeek  # which meeting the report is for, and why
    drafted: MessageDraft | None = None  # from a message (shortcut): what to fill in
    afterwards: bool = False  # its meeting is more than a week past: registered after the fact


def _check(entries: Sequence[EntryDraft], notes: str) -> None:
    for entry in entries:
        if entry.level not in {lv.value for lv in Level}:
            raise InvalidInput(
                N_("Choose a level: lugnt, oroligt or allvarligt."), field=f"level_{entry.place_id}"
            )
        if entry.trend not in {t.value for t in Trend}:
            raise InvalidInput(
                N_("Choose a trend: bättre, oförändrat or sämre."), field=f"trend_{entry.place_id}"
            )
        check_text(entry.observations, f"obs_{entry.place_id}")
    check_text(notes, "notes")


def _rows(report_id: int, entries: Sequence[EntryDraft]) -> list[ReportEntry]:
    return [
        ReportEntry(
            report_id=report_id,
            place_id=e.place_id,
            level=e.level,
            trend=e.trend,
            observations=e.observations.strip(),
        )
        for e in entries
    ]


def _kept(uow: UnitOfWork, row: SituationReport, shown: Sequence[int]) -> list[ReportEntry]:
    """The saved entries of the places a page of the form did not show: they stay."""
    assert row.id is not None
    return [
        ReportEntry(
            report_id=row.id,
            place_id=e.place_id,
            level=e.level,
            trend=e.trend,
            observations=e.observations,
        )
        for e, _place in uow.reports.entries(row.id)
        if e.place_id not in shown
    ]


def queue_post(uow: UnitOfWork, report: SituationReport, *, now: datetime) -> None:
    """The channel post of the report's new version, due now (sent after the save commits)."""
    assert report.id is not None
    group = uow.groups.get(report.group_id)
    assert group is not None
    uow.outbox.enqueue(
        Outbox(
            group_id=group.id,
            recipient=group.slack_channel_id,
            kind=WeeklyOutbox.REPORT,
            payload={"report_id": report.id, "version": report.version},
            dedupe_key=report_key(report.id, report.version),
            next_attempt_at=now,
            created_at=now,
        )
    )


def _meeting_of(
    settings: Group,
    week_text: str,
    for_week: tuple[int, int] | None,
    now: datetime,
    started_on: date | None,
) -> MeetingWeek:
    """The meeting a form is for: the week typed (or meant now), or the week a form's first
    page was opened for."""
    if for_week is None:
        return asked_meeting(settings, week_text, now, started_on)
    return meeting_week(settings, now, saved_week(settings, for_week, now, started_on))


class ReportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def form(
        self,
        actor: Actor,
        *,
        now: datetime,
        add: Sequence[str] = (),
        week_text: str = "",
        only: Sequence[int] | None = None,
        message: str = "",
        for_week: tuple[int, int] | None = None,
    ) -> ReportForm:
        """What the report form offers: places with incidents in the meeting's seven days so
        far, those already in its report, the places named in ``add``, and that report. The
        meeting is the one meant now; a week typed must be that one (``asked_meeting``). With
        ``only`` (place ids: the later pages of a long form), those of the group's places.
        With a ``message`` (the shortcut), the places it names come first, its text drafted
        into their observations (``split_by_place``). With ``for_week`` (a later page's),
        the meeting of that week, as ``save`` would take it."""
        group = require(actor, Role.MEDLEM)
        assert actor.member is not None
        with self.db.unit_of_work(read_only=True) as uow:
            settings = uow.groups.get(group.id)
            assert settings is not None
            meeting = _meeting_of(settings, week_text, for_week, now, group.started_on)
            year, week = meeting.iso_year, meeting.iso_week
            places = {p.id: p for p in uow.places.of_group(group.id, active_only=False)}
            since, until = window(meeting.at, now)
            busy = [
                pid for pid, _n in uow.incidents.count_by("place", group.id, since, until, None)
            ]
            row = uow.reports.find(group.id, actor.member.organisation.id, year, week)
            current = weekly_report(uow, row) if row else None
            named = [resolve(uow, actor, group.id, text).id for text in add if text.strip()]
        listed = [p for p in places.values() if p.active and p.id is not None]
        names = [PlaceName(p.id or 0, p.name, p.district, tuple(p.aliases)) for p in listed]
        drafted = split_by_place(message, names)
        reported = [e.place_id for e in current.entries] if current else []
        every = [*drafted.observations, *busy, *reported, *named]
        chosen = list(dict.fromkeys(every if only is None else only))
        shown = tuple(RegisteredPlace.of(places[pid]) for pid in chosen if pid in places)
        late = registered_afterwards(meeting.at, now)
        return ReportForm(year, week, shown, current, meeting, drafted if message else None, late)

    def mine(self, actor: Actor, *, now: datetime) -> WeeklyReport | None:
        """The actor's organisation's report for this week, if saved."""
        group = require(actor, Role.LASARE)
        assert actor.member is not None
        with self.db.unit_of_work(read_only=True) as uow:
            settings = uow.groups.get(group.id)
            assert settings is not None
            year, week = report_week(settings, now)
            row = uow.reports.find(group.id, actor.member.organisation.id, year, week)
            return weekly_report(uow, row) if row else None

    def save_page(
        self,
        actor: Actor,
        entries: Sequence[EntryDraft],
        *,
        shown: Sequence[int],
        following: Sequence[int],
        now: datetime,
        for_week: tuple[int, int] | None = None,
    ) -> ReportForm:
        """Save one page of a report form too long for one modal (the places ``shown`` on it;
        the others and the notes stay as saved) to the week the form was opened for, and give
        the form for the ``following`` places. Each page is a version, whole for its places."""
        self.save(actor, entries, notes=None, only=shown, now=now, for_week=for_week)
        return self.form(actor, now=now, only=following, for_week=for_week)

    def save(
        self,
        actor: Actor,
        entries: Sequence[EntryDraft],
        *,
        notes: str | None = "",
        only: Sequence[int] | None = None,
        now: datetime,
        for_week: tuple[int, int] | None = None,
    ) -> WeeklyReport:
        """Save the report for the meeting meant now, or for ``for_week``, the (ISO year, week) the
        form was opened for (``saved_week``); saving again is a new version. With ``only`` (the
        places one page of the form showed), the entries of other places stay as they were, and
        so do the notes when ``notes`` is None."""
        group = require(actor, Role.MEDLEM)
        assert actor.member is not None
        _check(entries, (notes or "").strip())
        with self.db.unit_of_work() as uow:
            settings = uow.groups.get(group.id)
            assert settings is not None
            year, week = saved_week(settings, for_week, now, group.started_on)
            valid = {p.id for p in uow.places.of_group(group.id, active_only=False)}
            if any(e.place_id not in valid for e in entries):
                raise InvalidInput(N_("One of the places is not in this group."))
            org = actor.member.organisation.id
            row = uow.reports.find(group.id, org, year, week)
            is_new = row is None
            if row is None:
                row = SituationReport(
                    group_id=group.id,
                    organisation_id=org,
                    iso_year=year,
                    iso_week=week,
                    submitted_by=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            else:
                row.version += 1
            row.notes = row.notes if notes is None else notes.strip()
            row.submitted_by, row.updated_at = actor.user_id, now
            row.late = row.late or now > deadline(settings, year, week)
            kept = [] if only is None or is_new else _kept(uow, row, only)
            uow.reports.save(row)
            assert row.id is not None
            uow.reports.replace_entries(row.id, [*kept, *_rows(row.id, entries)])
            view = weekly_report(uow, row)
            content = {
                "notes": view.notes,
                "late": view.late,
                "entries": [e.__dict__ for e in view.entries],
            }
            uow.reports.add_version(
                ReportVersion(
                    report_id=row.id,
                    version=row.version,
                    content=content,
                    saved_by=actor.user_id,
                    saved_at=now,
                )
            )
            action = "report.created" if is_new else "report.changed"
            uow.audit.record_row(action, row, actor=actor.user_id, at=now, extra=content)
            if not view.afterwards:  # a report registered after the fact is not news
                queue_post(uow, row, now=now)
            return view
