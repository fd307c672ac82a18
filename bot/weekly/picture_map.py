"""The lägesbild's map at meeting time: a second outbox row to the channel, after the post, that
uploads the map into the post's thread (drawn when it is sent, as the weekly summary's map).

The outbox sends a channel's rows in order, so the map waits for the post; a post that was
skipped (the clock was down too long) or not made has no thread, and then no map is sent.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.actors import EstGroup
from bot.delivery import Rejected
from bot.i18n import translator
from bot.maps.labels import picture_comment, picture_filename, picture_title
from bot.maps.points import map_points
from bot.notifier import Notification
from bot.weekly.notifications import PictureMap, PictureMapFailed, WeeklyOutbox
from bot.weekly.picture import Picture, compile_picture
from bot.weekly.weeks import MeetingState
from storage.models import Group, Outbox, OutboxStatus
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)
MAP_ATTEMPTS = 5  # uploads tried before the admins are told (as for the summary's map)
STALE_AFTER = timedelta(hours=12)  # a lägesbild (or its map) later than this is not sent


def picture_as_it_stands(
    uow: UnitOfWork, group: Group, year: int, week: int, now: datetime
) -> tuple[Picture, MeetingState]:
    """The week's lägesbild at send time: fastställd (its newest frozen version) when the
    meeting has closed before the post went out, else compiled now; and where the meeting is."""
    assert group.id is not None
    meeting = uow.meetings.of_week(group.id, year, week)
    frozen = uow.pictures.newest(group.id, year, week)
    if frozen is not None:
        stored = Picture.from_json(frozen.content)
        picture = replace(stored, version=frozen.version, reason=frozen.reason)
        return picture, MeetingState.CLOSED
    state = MeetingState.OPEN if meeting is not None else MeetingState.NOT_STARTED
    return compile_picture(uow, group, year, week, now=now), state


def prepare_picture_map(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    """The map of the lägesbild as posted: each place's incidents, coloured by its joint level;
    nothing when the post was not made, no place has coordinates or it is too late."""
    if now - row.next_attempt_at > STALE_AFTER:
        return None  # the clock was down: a week-old map in an old thread helps no one
    group = uow.groups.get(row.group_id or 0)
    post = uow.outbox.by_key(str(row.payload["post_key"]))
    if group is None or group.archived_at is not None or group.id is None:
        return None
    if post is None or post.status != OutboxStatus.SENT or not post.slack_ts:
        return None
    year, week = int(row.payload["year"]), int(row.payload["week"])
    picture, _state = picture_as_it_stands(uow, group, year, week, now)
    counts = {p.place_id: p.incidents for p in picture.places}
    levels = {p.place_id: p.joint_level for p in picture.places if p.joint_level}
    shown = map_points(uow, group.id, counts, levels)
    if not shown.points:
        return None
    name, comment = picture_filename(picture), picture_comment(week, shown.unplaced)
    thread, est = post.slack_ts, EstGroup.of(group)
    if row.attempts > MAP_ATTEMPTS:
        return PictureMap(est, week, thread, name, None, "upload_failed", comment)
    try:
        from bot.maps.render import render_map  # matplotlib loads only where maps are drawn

        title, subtitle = picture_title(translator(group.language), group.name, picture)
        png = render_map(shown.points, translator(group.language), title=title, subtitle=subtitle)
    except Exception:
        log.exception("the map of the lägesbild of week %s could not be drawn", week)
        return PictureMap(est, week, thread, name, None, "chart_not_rendered", comment)
    return PictureMap(est, week, thread, name, png.png, None, comment)


def tell_admins_of_map(uow: UnitOfWork, row: Outbox, error: Rejected, now: datetime) -> None:
    """A map that failed for good (its uploads used up, or Slack said no): each admin gets one
    DM through the outbox, once per map (the dedupe key), saying which week and what to do."""
    if row.group_id is None:
        return
    for admin in uow.members.admins(row.group_id):
        uow.outbox.enqueue(
            Outbox(
                group_id=row.group_id,
                recipient=admin,
                kind=WeeklyOutbox.PICTURE_MAP_FAILED,
                payload={"week": row.payload.get("week"), "reason": error.error},
                dedupe_key=f"picture-map-failed:{row.id}:{admin}",
                next_attempt_at=now,
                created_at=now,
            )
        )


def prepare_map_failed(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = uow.groups.get(row.group_id or 0)
    if group is None or group.archived_at is not None:
        return None
    week, reason = int(row.payload["week"]), str(row.payload["reason"])
    return PictureMapFailed(EstGroup.of(group), week, reason)
