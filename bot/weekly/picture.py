"""The compiled lägesbild of a week: per place, most serious first; frozen when the meeting closes.

The week's window is the seven days before the group's meeting of that ISO week (a meeting on a
public holiday moves to the next working day), the same seven days whenever it is asked for:
before the meeting, the part of them that has passed — what is known so far, and said so
(``so_far``). Incidents are compared with the average of the four windows before it. The joint
level is what the meeting agreed, else the most serious level any organisation reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.actions.results import action_items
from bot.activities.results import activity_lines
from bot.analysis.priority_views import Priorities, week_priorities
from bot.weekly.reports import LEVEL_RANK, WeeklyReport, weekly_report
from bot.weekly.weeks import MeetingWeek, meeting_moment, window
from storage.models import Group
from storage.repositories import UnitOfWork

AVERAGE_WINDOWS = 4
ACTIVITIES_AHEAD = timedelta(days=14)


@dataclass(frozen=True)
class OrgAssessment:
    organisation: str
    level: str
    trend: str
    observations: str
    late: bool
    registered: str | None = None  # ISO local day, when registered after the meeting began


@dataclass(frozen=True)
class ActionLine:
    id: int
    title: str
    owner: str
    due: str
    overdue: bool


@dataclass(frozen=True)
class ActivityEntry:
    """An activity at the place held in the week's window or planned in the two weeks after."""

    id: int
    title: str
    kind: str
    start: str  # local time, "2026-12-12 11:00"
    status: str
    motivated: bool
    attendance: int | None


@dataclass(frozen=True)
class PlaceLine:
    place_id: int
    place: str
    district: str
    incidents: int
    average: float
    by_category: list[tuple[str, str, int]]  # (Swedish label, English label, count)
    reports: list[OrgAssessment]
    joint_level: str | None
    agreed: bool  # set at the meeting, not derived
    actions: list[ActionLine]
    activities: list[ActivityEntry] = field(default_factory=list)
    analysis_id: int | None = None  # the place's latest orsaksanalys, if it has one
    analysis_day: str | None = None  # the day it was last changed: ISO, local


@dataclass(frozen=True)
class Picture:
    group_id: int
    iso_year: int
    iso_week: int
    meeting_day: str  # ISO date; moved off a holiday when needed
    holiday: str | None
    window_start: str
    window_end: str
    places: list[PlaceLine]
    reported: list[str]
    missing: list[str]
    version: int | None = None  # set when this is a frozen snapshot
    reason: str | None = None
    meeting_at: str = ""  # ISO, UTC ("" in the snapshots frozen before it was kept)
    timezone: str = "Europe/Stockholm"  # the group's, to show the window's times in
    meeting: MeetingWeek | None = None  # the meeting meant now, and why; never stored
    # the period's priorities, and proposals waiting for a meeting: read when shown, never stored
    priorities: tuple[Priorities, ...] = ()
    proposals: tuple[Priorities, ...] = ()
    # reports registered after this frozen version, "Polisen (2026-03-12)"; never stored
    registered_since: tuple[str, ...] = ()

    @property
    def so_far(self) -> bool:
        """The seven days before the meeting were not over when this was compiled: it counts
        what was known up to ``window_end``."""
        if not self.meeting_at:
            return False
        return datetime.fromisoformat(self.window_end) < datetime.fromisoformat(self.meeting_at)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for live in ("meeting", "priorities", "proposals", "registered_since"):
            del data[live]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Picture:
        places = [
            PlaceLine(
                **{
                    **p,
                    "reports": [OrgAssessment(**r) for r in p["reports"]],
                    "actions": [ActionLine(**a) for a in p["actions"]],
                    "activities": [ActivityEntry(**a) for a in p.get("activities", [])],
                    "by_category": [tuple(c) for c in p["by_category"]],
                }
            )
            for p in data["places"]
        ]
        stored = {k: v for k, v in data.items() if k not in ("priorities", "proposals")}
        return cls(**{**stored, "places": places})


def most_serious(levels: Iterable[str]) -> str | None:
    """The joint level when the meeting has agreed none: the most serious reported."""
    return max(levels, key=lambda lv: LEVEL_RANK[lv], default=None)


def compile_picture(
    uow: UnitOfWork, settings: Group, year: int, week: int, *, now: datetime
) -> Picture:
    assert settings.id is not None
    group_id = settings.id
    moment, day, holiday = meeting_moment(settings, year, week)
    start, end = window(moment, now)  # the seven days before the meeting, so far
    counts = uow.pictures.incidents_by_category(group_id, start, end)
    averages = _place_counts(uow, group_id, start - timedelta(days=7 * AVERAGE_WINDOWS), start)
    tz = ZoneInfo(settings.timezone)
    views = [weekly_report(uow, r) for r in uow.reports.of_week(group_id, year, week)]
    levels = uow.meetings.levels(group_id, year, week)
    actions = _open_actions(uow, group_id, today=end.astimezone(ZoneInfo(settings.timezone)).date())
    activities = _activities(uow, group_id, start, moment + ACTIVITIES_AHEAD, tz)
    place_ids = set(counts) | set(levels) | {e.place_id for v in views for e in v.entries}
    place_ids |= set(activities)
    places = uow.pictures.places(place_ids)
    analyses = uow.analyses.latest_by_place(group_id, place_ids)
    lines = []
    for pid in place_ids:
        reported = [
            OrgAssessment(v.organisation, e.level, e.trend, e.observations, v.late, _after(v, tz))
            for v in views
            for e in v.entries
            if e.place_id == pid
        ]
        derived = most_serious(r.level for r in reported)
        by_category = counts.get(pid, [])
        lines.append(
            PlaceLine(
                place_id=pid,
                place=places[pid].name,
                district=places[pid].district,
                incidents=sum(n for _sv, _en, n in by_category),
                average=round(averages.get(pid, 0) / AVERAGE_WINDOWS, 2),
                by_category=by_category,
                reports=reported,
                joint_level=levels.get(pid, derived),
                agreed=pid in levels,
                actions=actions.get(pid, []),
                activities=activities.get(pid, []),
                analysis_id=analyses[pid][0] if pid in analyses else None,
                analysis_day=analyses[pid][1].astimezone(tz).date().isoformat()
                if pid in analyses
                else None,
            )
        )
    lines.sort(key=lambda p: (-LEVEL_RANK.get(p.joint_level or "", -1), -p.incidents, p.place))
    decided, proposed = week_priorities(uow, group_id, year, week)
    reporting = uow.reports.reporting_organisations(group_id)
    done = {v.organisation_id for v in views}
    return Picture(
        group_id,
        year,
        week,
        day.isoformat(),
        holiday,
        start.isoformat(),
        end.isoformat(),
        lines,
        sorted(v.organisation for v in views),
        sorted(o.name for o in reporting if o.id not in done),
        meeting_at=moment.isoformat(),
        timezone=settings.timezone,
        priorities=decided,
        proposals=proposed,
    )


def registered_since(
    uow: UnitOfWork, settings: Group, year: int, week: int, frozen_at: datetime
) -> tuple[str, ...]:
    """The reports of the week saved after its lägesbild was frozen at ``frozen_at``: the frozen
    version does not have them (a correction, `/est lägesbild ändra`, makes one that does)."""
    assert settings.id is not None
    tz = ZoneInfo(settings.timezone)
    views = [weekly_report(uow, r) for r in uow.reports.of_week(settings.id, year, week)]
    return tuple(
        f"{v.organisation} ({v.updated_at.astimezone(tz).date().isoformat()})"
        for v in sorted(views, key=lambda v: v.updated_at)
        if v.updated_at > frozen_at
    )


def _after(report: WeeklyReport, tz: ZoneInfo) -> str | None:
    """The day a report was registered, when that was after its meeting began."""
    return report.updated_at.astimezone(tz).date().isoformat() if report.after_meeting else None


def _place_counts(uow: UnitOfWork, group_id: int, start: datetime, end: datetime) -> dict[int, int]:
    return dict(uow.incidents.count_by("place", group_id, start, end, None))


def _open_actions(uow: UnitOfWork, group_id: int, *, today: date) -> dict[int, list[ActionLine]]:
    rows = uow.pictures.open_actions(group_id)
    unique = list({action.id: action for action, _place in rows}.values())
    views = {view.id: view for view in action_items(uow, unique)}
    found: dict[int, list[ActionLine]] = {}
    for action, place_id in rows:
        view = views[action.id or 0]
        found.setdefault(int(place_id), []).append(
            ActionLine(
                view.id,
                view.title,
                view.owner_user_id,
                view.due_date.isoformat(),
                view.overdue(today),
            )
        )
    return found


def _activities(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime, tz: ZoneInfo
) -> dict[int, list[ActivityEntry]]:
    """Per place: activities (not cancelled) that start in [start, end), in time order."""
    found: dict[int, list[ActivityEntry]] = {}
    for line in activity_lines(uow, uow.activities.between(group_id, start, end)):
        entry = ActivityEntry(
            line.id,
            line.title,
            line.kind,
            line.start_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            line.status,
            line.motivated,
            line.attendance_total,
        )
        for place_id in line.place_ids:
            found.setdefault(place_id, []).append(entry)
    return found
