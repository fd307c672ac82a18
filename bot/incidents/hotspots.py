"""Hotspot notices: a place where one category gathers — said once per place, category and week."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actors import EstGroup
from bot.incidents.notifications import HotspotReached
from bot.timeparse import iso_week
from storage.models import Group, HotspotNotice, Incident
from storage.repositories import UnitOfWork

AVERAGE_WEEKS = 4
MIN_FOR_AVERAGE_RULE = 2  # "twice the average" of 0.25 a week is not a hotspot


def check(
    uow: UnitOfWork, group: EstGroup, row: Incident, *, now: datetime
) -> list[HotspotReached]:
    """After logging ``row``: the notice to post, if a threshold is crossed for the first time."""
    settings = uow.groups.get(group.id)
    assert settings is not None and row.id is not None
    tz = ZoneInfo(group.timezone)
    local = row.occurred_at.astimezone(tz)
    year, week, _ = local.isocalendar()
    count, rule = _crossed(uow, settings, row, year, week, tz)
    if rule is None:
        return []
    notice = HotspotNotice(
        group_id=group.id,
        place_id=row.place_id,
        category_id=row.category_id,
        iso_year=year,
        iso_week=week,
        count=count,
        rule=rule,
        created_at=now,
    )
    if not uow.incidents.claim_hotspot_notice(notice):
        return []
    place = uow.places.get(row.place_id)
    category = uow.categories.get(row.category_id)
    assert place is not None and category is not None
    return [
        HotspotReached(
            group,
            place.name,
            category.label_sv,
            category.label_en,
            count,
            rule,
            year,
            week,
            settings.hotspot_days,
        )
    ]


def _crossed(
    uow: UnitOfWork, group: Group, row: Incident, year: int, week: int, tz: ZoneInfo
) -> tuple[int, str | None]:
    assert group.id is not None
    window_start = row.occurred_at - timedelta(days=group.hotspot_days)
    recent = uow.incidents.count(
        group.id,
        row.place_id,
        row.category_id,
        window_start,
        row.occurred_at + timedelta(microseconds=1),
    )
    if recent >= group.hotspot_count:
        return recent, "count"
    this_week = iso_week(year, week, tz=tz)
    in_week = uow.incidents.count(
        group.id, row.place_id, row.category_id, this_week.start, this_week.end
    )
    before = this_week.start - timedelta(weeks=AVERAGE_WEEKS)
    earlier = uow.incidents.count(group.id, row.place_id, row.category_id, before, this_week.start)
    average = earlier / AVERAGE_WEEKS
    if (
        average > 0
        and in_week >= MIN_FOR_AVERAGE_RULE
        and in_week >= group.hotspot_factor * average
    ):
        return in_week, "average"
    return recent, None
