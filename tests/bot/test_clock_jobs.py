"""How often the clock plans and sends, in real seconds, as the bot's time runs faster."""

from __future__ import annotations

import pytest

from bot.clock import jobs


def every(rate: float, tick: float = 5.0) -> tuple[float, float]:
    found = {job.id: job.trigger for job in jobs(tick, rate)}
    plan, send = found["outbox.plan"], found["outbox.send"]
    return plan.interval.total_seconds(), send.interval.total_seconds()


@pytest.mark.parametrize(
    ("rate", "plan", "send"),
    [
        (1, 60.0, 5.0),  # real time: a planning a minute, a sweep every tick
        (60, 1.0, 1.0),  # a bot minute a second: every bot minute
        (600, 0.1, 0.1),  # ten bot minutes a second: every tenth of a second
        (14_400, 0.1, 0.1),  # four bot hours a second: still every tenth (24 bot minutes)
    ],
)
def test_plan_and_send_every_bot_minute_or_tenth_of_a_second(rate, plan, send):
    assert every(rate) == pytest.approx((plan, send))


def test_a_clock_plans_draws_and_sends_as_it_starts_not_one_interval_later():
    # a clock started at 07:59 must plan 08:00's messages then, not at 08:00 (every 60 s)
    assert {job.id for job in jobs(5.0, 1.0) if job.at_start} == {
        "outbox.plan",
        "summary.draw_charts",
        "outbox.send",
    }


@pytest.mark.parametrize(("queued", "draws"), [(2, 1), (0, 0)])
def test_what_a_planning_queued_has_its_charts_drawn_at_once(monkeypatch, queued, draws):
    # a clock started at 07:59 queues the summaries and draws their charts before 08:00; the
    # draw job's own next run (a minute on) would be after their send
    from datetime import UTC, datetime
    from types import SimpleNamespace

    import bot.clock as clock

    now = datetime(2026, 11, 30, 6, 59, tzinfo=UTC)
    drawn: list[datetime] = []
    feature = SimpleNamespace(plan=lambda db, *, now: queued)
    monkeypatch.setattr(clock, "SCHEDULED", (feature,))
    monkeypatch.setattr(clock, "draw_charts", lambda ctx, at: drawn.append(at))
    services = SimpleNamespace(db=None, clock=SimpleNamespace(now=lambda: now, rate=1.0))
    clock.plan(SimpleNamespace(services=services), now)  # type: ignore[arg-type]
    assert drawn == [now] * draws
