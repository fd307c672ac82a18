"""The whole chain at one place, for `/est plats <namn>`: the latest lägesbild the meeting froze
(its level and week) → the place's cause analyses → the actions and activities that grew out of
them, with their status → the follow-up counts (incidents before and after each activity) —
and whether the place is among the priorities of the period now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.activities.results import PlannedActivity, planned_activities
from bot.actors import Actor
from bot.analysis.priority_views import week_priorities
from bot.analysis.results import AnalysisView, analysis_views
from bot.places.service import resolve
from bot.rules import require
from storage.db import Database
from storage.models import Role
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class LatestPicture:
    iso_year: int
    iso_week: int
    level: str | None  # the joint level the meeting agreed (or the most serious reported)
    incidents: int
    version: int


@dataclass(frozen=True)
class PlaceChain:
    place_id: int
    place: str
    district: str
    picture: LatestPicture | None
    analyses: tuple[AnalysisView, ...]  # with their ties, the most recently changed first
    activities: tuple[PlannedActivity, ...]  # tied to them, with their before/after counts
    prioritised: tuple[str, ...]  # the periods now whose priorities name the place


class ChainService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def of_place(self, actor: Actor, place_text: str, *, now: datetime) -> PlaceChain:
        group = require(actor, Role.LASARE)
        tz = ZoneInfo(group.timezone)
        with self.db.unit_of_work(read_only=True) as uow:
            place = resolve(uow, actor, group.id, place_text)
            assert place.id is not None
            rows = list(uow.priorities.analyses_of_place(group.id, place.id))
            analyses = tuple(analysis_views(uow, rows, with_ties=True))
            tied = [a for row in rows for a in uow.analyses.activities(row.id or 0)]
            activities = tuple(planned_activities(uow, tied, now=now, tz=tz))
            year, week, _ = now.astimezone(tz).isocalendar()
            decided, _proposed = week_priorities(uow, group.id, year, week)
            return PlaceChain(
                place.id,
                place.name,
                place.district,
                _latest_picture(uow, group.id, place.id),
                analyses,
                activities,
                tuple(p.period for p in decided if place.id in p.place_ids()),
            )


def _latest_picture(uow: UnitOfWork, group_id: int, place_id: int) -> LatestPicture | None:
    """The newest frozen lägesbild that has the place in it."""
    for snapshot in uow.priorities.snapshots(group_id):
        for line in snapshot.content.get("places", []):
            if line.get("place_id") == place_id:
                return LatestPicture(
                    snapshot.iso_year,
                    snapshot.iso_week,
                    line.get("joint_level"),
                    int(line.get("incidents", 0)),
                    snapshot.version,
                )
    return None
