"""`/est analys period …` posts the period analysis in the group's channel.

Like the weekly summary, the post goes through the outbox: the command queues one row to the
channel naming the period, and at send time the analysis is computed from what the database
then holds (the ranking, and the priorities the group decided for the period after). Only
counts and decided priorities are posted: no incident text, restricted or not, no proposal.
A reader, who may read but not post, gets the analysis privately instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.actors import Actor, EstGroup
from bot.analysis.notifications import PeriodOutbox, PeriodPosted
from bot.analysis.period_report import PeriodDetails, next_priorities
from bot.analysis.periods import QUARTER, TERTIAL, EstPeriod, ranked
from bot.analysis.ranking import PeriodAnalysis, PeriodService, place_needs
from bot.delivery import Preparer, Scheduled
from bot.notifier import Notification
from bot.rules import require
from storage.db import Database
from storage.models import Outbox, Role
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class PeriodAsked:
    """What ``post`` did: queued the post (``posted``), or, for a reader, only computed it."""

    analysis: PeriodAnalysis
    posted: bool


class PeriodPostService(PeriodService):
    """The period analysis (``PeriodService``) and its post in the channel."""

    def post(self, actor: Actor, text: str, *, now: datetime) -> PeriodAsked:
        """The analysis of the period ``text`` names, queued for the channel; a reader gets it
        back unposted. What names no ended period is refused before anything is queued."""
        analysis = self.analyse(actor, text, now=now)
        group = require(actor, Role.LASARE)
        if actor.member is None or actor.member.role == Role.LASARE:
            return PeriodAsked(analysis, posted=False)
        with self.db.unit_of_work() as uow:
            uow.outbox.enqueue(_row(uow, group, analysis.period, actor.user_id, now))
        return PeriodAsked(analysis, posted=True)


def _row(uow: UnitOfWork, group: EstGroup, period: EstPeriod, asker: str, now: datetime) -> Outbox:
    found = uow.groups.get(group.id)
    assert found is not None
    return Outbox(
        group_id=group.id,
        recipient=found.slack_channel_id,
        kind=PeriodOutbox.POST,
        payload={"kind": period.kind, "year": period.year, "number": period.number},
        dedupe_key=f"period:{group.id}:{period.label}:{asker}:{now.isoformat()}",
        next_attempt_at=now,
        created_at=now,
    )


def prepare_post(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    """The analysis as the database holds it now; nothing if the group is gone."""
    group = uow.groups.get(row.group_id or 0)
    if group is None or group.id is None:
        return None
    kind = TERTIAL if row.payload.get("kind") == TERTIAL else QUARTER
    period = EstPeriod(kind, int(row.payload["year"]), int(row.payload["number"]))
    tz = ZoneInfo(group.timezone)
    needs = place_needs(uow, group.id, period, tz, now.astimezone(tz).date())
    decided = tuple(next_priorities(uow, group.id, period))
    analysis = PeriodAnalysis(
        period, tuple(ranked(needs)), group.name, PeriodDetails({}, {}, (), (), decided)
    )
    return PeriodPosted(EstGroup.of(group), analysis)


def _nothing_to_plan(db: Database, *, now: datetime) -> int:
    return 0  # posted only when asked


PREPARERS: dict[str, Preparer] = {PeriodOutbox.POST: prepare_post}

# what the period analysis sends through the outbox, for the clock
SCHEDULED = Scheduled(PeriodOutbox, _nothing_to_plan, PREPARERS)
