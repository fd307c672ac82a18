"""The summary's chart drawn ahead of its send: planned a quarter before 08:00, drawn by the
clock's draw job for the rows due soon only, uploaded from the stored image without drawing,
drawn at the send when it is missing, and sent once by two clocks drawing and sending at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, func, select

import bot.summary.chart
from bot.clock import PREPARERS
from bot.clock import on_failure as tell_admins
from bot.delivery import OutboxSender
from bot.incidents.service import parse_quick
from bot.summary.charts import DRAW_AHEAD, draw_due_charts
from bot.summary.notifications import SummaryChart
from bot.summary.posts import plan_summaries
from storage.models import ChartImage, Outbox
from tests.bot.test_summary import POSTED, Channel
from tests.conftest import session_of

LEASE = timedelta(minutes=2)
AHEAD = POSTED - DRAW_AHEAD  # Monday 23 November 07:45 local: the summary is planned
PRODUCED = POSTED.astimezone(ZoneInfo("Europe/Stockholm")).date()  # 23 November


@pytest.fixture
def week47(demo, anna):
    """Three incidents in week 47 (16–22 November): the chart has places to draw."""
    for day, text in enumerate(("Fittja centrum; lustgas; x", "Kårsby IP; buskörning; y") * 2):
        at = datetime(2026, 11, 16 + day, 12, 0, tzinfo=POSTED.tzinfo)
        demo.incidents.log(anna, parse_quick(text), now=at)


@pytest.fixture
def renders(monkeypatch):
    """How many charts render_chart draws (it still draws them)."""
    calls: list[int] = []
    real = bot.summary.chart.render_chart

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(bot.summary.chart, "render_chart", counted)
    return calls


def sender(demo, channel, worker="clock"):
    return OutboxSender(demo.db, channel, PREPARERS, worker=worker, on_failure=tell_admins)


def images(demo) -> dict[int, Any]:
    with demo.db.unit_of_work(read_only=True) as uow:
        rows = session_of(uow).exec(select(ChartImage)).all()
        return {r.outbox_id: r.png for r in rows}


def chart_row(demo) -> int:
    """The id of the one chart row."""
    with demo.db.unit_of_work(read_only=True) as uow:
        query = select(Outbox.id).where(Outbox.kind == "summary.chart")
        return int(session_of(uow).exec(query).one())


def send_all(demo, channel, start: datetime, sweeps: int = 4) -> None:
    clock = sender(demo, channel)
    for step in range(sweeps):
        clock.sweep(now=start + timedelta(seconds=step))


def test_the_summary_is_queued_a_quarter_ahead_and_sent_at_its_time(demo, anna, week47):
    assert plan_summaries(demo.db, now=AHEAD - timedelta(minutes=1)) == 0
    assert plan_summaries(demo.db, now=AHEAD) == 3  # the post, its chart, its map
    with demo.db.unit_of_work(read_only=True) as uow:
        rows = session_of(uow).exec(select(Outbox)).all()
    assert {r.next_attempt_at for r in rows} == {POSTED}
    assert sender(demo, Channel()).sweep(now=POSTED - timedelta(seconds=1)).claimed == 0


def test_the_draw_job_draws_the_charts_due_soon_only(demo, anna, week47, renders):
    plan_summaries(demo.db, now=AHEAD)
    # a minute earlier the chart (due 08:00) is more than DRAW_AHEAD away: not drawn
    early = AHEAD - timedelta(minutes=1)
    assert draw_due_charts(demo.db, worker="a", now=early, lease=LEASE) == 0
    assert draw_due_charts(demo.db, worker="a", now=AHEAD, lease=LEASE) == 1  # the chart only
    assert draw_due_charts(demo.db, worker="b", now=AHEAD, lease=LEASE) == 0  # drawn once
    stored = images(demo)
    assert list(stored) == [chart_row(demo)]
    assert stored[chart_row(demo)][:8] == b"\x89PNG\r\n\x1a\n"
    assert len(renders) == 1


def test_the_stored_png_is_what_drawing_at_the_send_gives(demo, anna, week47):
    plan_summaries(demo.db, now=AHEAD)
    draw_due_charts(demo.db, worker="a", now=AHEAD, lease=LEASE)
    summary = demo.summaries.show(anna, "v47", now=POSTED)  # the stored summary of week 47
    expected = bot.summary.chart.render_chart(
        summary, "sv", group_name=anna.group.name, produced=PRODUCED
    )
    assert images(demo)[chart_row(demo)] == expected


def test_the_sender_uploads_the_stored_png_without_drawing(demo, anna, week47, renders):
    plan_summaries(demo.db, now=AHEAD)
    draw_due_charts(demo.db, worker="a", now=AHEAD, lease=LEASE)
    drawn = images(demo)[chart_row(demo)]
    renders.clear()
    channel = Channel()
    send_all(demo, channel, POSTED)
    charts = [n for _r, n in channel.posted if type(n) is SummaryChart]
    assert [c.png for c in charts] == [drawn]
    assert renders == []  # the sender did not draw
    assert draw_due_charts(demo.db, worker="a", now=POSTED + timedelta(minutes=1), lease=LEASE) == 0
    assert images(demo) == {}  # sent: its image is removed by the next draw sweep


def test_a_chart_not_drawn_ahead_is_drawn_at_the_send(demo, anna, week47, renders):
    plan_summaries(demo.db, now=POSTED)  # a clock started at 08:00: no time to draw ahead
    channel = Channel()
    send_all(demo, channel, POSTED)
    charts = [n for _r, n in channel.posted if type(n) is SummaryChart]
    assert len(charts) == 1 and charts[0].png is not None
    assert charts[0].png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(renders) == 1


def test_a_chart_that_failed_ahead_is_drawn_at_the_send(demo, anna, week47, monkeypatch):
    plan_summaries(demo.db, now=AHEAD)
    real = bot.summary.chart.render_chart

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts yet")

    monkeypatch.setattr(bot.summary.chart, "render_chart", broken)
    assert draw_due_charts(demo.db, worker="a", now=AHEAD, lease=LEASE) == 1
    assert images(demo) == {chart_row(demo): b""}  # tried: nothing stored to upload
    monkeypatch.setattr(bot.summary.chart, "render_chart", real)
    channel = Channel()
    send_all(demo, channel, POSTED)
    charts = [n for _r, n in channel.posted if type(n) is SummaryChart]
    assert len(charts) == 1 and charts[0].png is not None and charts[0].png[:4] == b"\x89PNG"


def test_a_claim_whose_drawer_died_is_taken_again_after_its_lease(demo, anna, week47):
    plan_summaries(demo.db, now=AHEAD)
    row = chart_row(demo)
    with demo.db.unit_of_work() as uow:  # clock a claims the chart and dies before drawing it
        claimed = uow.chart_images.claim(
            kind="summary.chart",
            worker="a",
            now=AHEAD,
            until=POSTED,
            stale_before=AHEAD - LEASE,
            limit=5,
        )
    assert claimed == [row]
    assert draw_due_charts(demo.db, worker="b", now=AHEAD + LEASE, lease=LEASE) == 0  # still a's
    later = AHEAD + LEASE + timedelta(seconds=1)
    assert draw_due_charts(demo.db, worker="b", now=later, lease=LEASE) == 1
    with demo.db.unit_of_work() as uow:
        assert uow.chart_images.store(row, worker="a", png=b"late") is False  # a's claim is gone
    assert images(demo)[row][:4] == b"\x89PNG"


def test_two_clocks_drawing_and_sending_at_once_send_each_chart_once(demo, anna, week47):
    for minute in range(3):  # three summaries asked for: 9 rows to the channel, due now
        demo.summaries.post_now(anna, "v47", now=POSTED + timedelta(minutes=minute))
    start = POSTED + timedelta(minutes=3)
    channel = Channel()
    senders = [sender(demo, channel, "clock-a"), sender(demo, channel, "clock-b")]
    claimed: list[int] = []
    errors: list[BaseException] = []

    def run(job, *args) -> None:
        try:
            job(*args)
        except BaseException as error:  # noqa: BLE001 - a failure in a thread must fail the test
            errors.append(error)

    def draw(worker: str, now: datetime) -> None:
        claimed.append(draw_due_charts(demo.db, worker=worker, now=now, lease=LEASE))

    for step in range(12):
        now = start + timedelta(seconds=step)
        jobs: list[tuple[Any, ...]] = [(draw, "clock-a", now), (draw, "clock-b", now)]
        jobs += [(lambda s, at: s.sweep(now=at), s, now) for s in senders]
        threads = [threading.Thread(target=run, args=job) for job in jobs]
        for t in threads:
            t.start()
            if not demo.db.parallel_ok:  # in-memory SQLite has one connection: one at a time
                t.join()
        for t in threads:
            t.join()
    assert errors == []
    charts = [n for _r, n in channel.posted if type(n) is SummaryChart]
    assert len(charts) == 3 and len({c.thread_ts for c in charts}) == 3  # one in each thread
    assert all(c.png is not None and c.png[:4] == b"\x89PNG" for c in charts)
    assert sum(claimed) == 3  # each chart claimed by one clock, once
    with demo.db.unit_of_work(read_only=True) as uow:
        sent = select(func.count()).where(col(Outbox.status) == "sent")
        assert session_of(uow).exec(sent).one() == 9


def test_a_groups_export_leaves_out_the_charts_drawn_ahead(demo, anna, week47):
    plan_summaries(demo.db, now=AHEAD)
    draw_due_charts(demo.db, worker="a", now=AHEAD, lease=LEASE)
    assert list(images(demo)) == [chart_row(demo)]  # an image in flight
    with demo.db.unit_of_work(read_only=True) as uow:
        rows = uow.registrar.rows_of_group(anna.group.id)
    assert "chart_image" not in rows  # bytes of a cache: drawn again at the send if missing
    assert chart_row(demo) in {r["id"] for r in rows["outbox"]}
