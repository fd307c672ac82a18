"""The summary's chart, drawn ahead of its send, so that the sender only uploads it.

The clock plans the week's summary ``DRAW_AHEAD`` before its time (``posts.plan_summaries``):
its rows are queued then, due at the time. Every bot minute the clock's job
``summary.draw_charts`` claims the chart rows due within ``DRAW_AHEAD`` that have no image yet
(each row by one clock: a claim is an insert another clock's skips), draws them from the stored
summary — a closed week, so drawing early shows what drawing at the send would — and stores the
PNG (``chart_image``). At the send the stored image is uploaded; when there is none (drawing
lagged, failed, or the summary was asked for now) the sender draws it as before. An image is
removed by the next draw sweep once its row is sent, failed or cancelled (and with its row).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actors import EstGroup
from bot.notifier import Notification
from bot.summary.notifications import SummaryChart, SummaryOutbox
from bot.summary.service import Summary, stored
from storage.db import Database
from storage.models import Outbox, OutboxStatus
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)

DRAW_AHEAD = timedelta(minutes=15)  # 1 000 charts: 3 min at 157 ms each, 7½ on a busy machine
CLAIM_BATCH = 20  # charts claimed at once by one draw sweep
CHART_ATTEMPTS = 5  # uploads tried before the admins are told


def summary_of(uow: UnitOfWork, row: Outbox) -> tuple[EstGroup, Summary] | None:
    """The group and the stored summary a summary row is of (None: gone)."""
    group = uow.groups.get(row.group_id or 0)
    if group is None:
        return None
    summary = stored(uow, group, int(row.payload["year"]), int(row.payload["week"]))
    return (EstGroup.of(group), summary) if summary is not None else None


def draw(group: EstGroup, summary: Summary, at: datetime) -> bytes:
    """The chart's PNG, produced on ``at``'s day in the group's time zone."""
    from bot.summary.chart import render_chart  # matplotlib loads only where charts are drawn

    produced = at.astimezone(ZoneInfo(group.timezone)).date()
    return render_chart(summary, group.language, group_name=group.name, produced=produced)


def draw_due_charts(db: Database, *, worker: str, now: datetime, lease: timedelta) -> int:
    """One draw sweep: removes the images of closed rows, claims up to CLAIM_BATCH chart rows
    due by ``now + DRAW_AHEAD`` without an image (or whose claim is older than ``lease``), draws
    each as of its due time and stores it. Returns how many it claimed (0: nothing left)."""
    with db.unit_of_work(read_only=True) as uow:  # most minutes: nothing, and nothing written
        if not uow.chart_images.anything_to_do(kind=SummaryOutbox.CHART, until=now + DRAW_AHEAD):
            return 0
    with db.unit_of_work() as uow:
        uow.chart_images.remove_closed()
        ids = uow.chart_images.claim(
            kind=SummaryOutbox.CHART,
            worker=worker,
            now=now,
            until=now + DRAW_AHEAD,
            stale_before=now - lease,
            limit=CLAIM_BATCH,
        )
    for row_id in ids:
        png = _drawn(db, row_id)
        with db.unit_of_work() as uow:
            uow.chart_images.store(row_id, worker=worker, png=png)
    return len(ids)


def _drawn(db: Database, row_id: int) -> bytes:
    """The row's chart; empty when there is nothing to draw, or drawing failed (the sender then
    draws it, and reports what fails there)."""
    with db.unit_of_work(read_only=True) as uow:
        row = uow.outbox.get(row_id)
        found = summary_of(uow, row) if row is not None else None
    if row is None or found is None or not found[1].chart_places:
        return b""
    try:
        return draw(*found, row.next_attempt_at)
    except Exception:
        log.exception("the chart of outbox row %s could not be drawn ahead", row_id)
        return b""


def prepare_chart(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    """The chart for the summary's thread, drawn ahead or (if it was not) now; nothing if the
    summary was not posted."""
    found = summary_of(uow, row)
    post = uow.outbox.by_key(str(row.payload["post_key"]))
    if found is None or post is None or post.status != OutboxStatus.SENT or not post.slack_ts:
        return None
    group, summary = found
    if not summary.chart_places:
        return None  # twelve quiet weeks: nothing to draw
    name = f"sammanfattning-{summary.iso_year}-v{summary.iso_week:02d}.png"
    if row.attempts > CHART_ATTEMPTS:
        return SummaryChart(group, summary, post.slack_ts, name, None, "upload_failed")
    png = uow.chart_images.image(row.id or 0)
    if png is None:
        try:
            png = draw(group, summary, now)
        except Exception:
            log.exception("the chart of week %s could not be rendered", summary.iso_week)
            return SummaryChart(group, summary, post.slack_ts, name, None, "chart_not_rendered")
    return SummaryChart(group, summary, post.slack_ts, name, png, None)
