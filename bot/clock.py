"""The clock process: APScheduler 3 in UTC with named periodic jobs.

Jobs are short and idempotent; what they send goes through the outbox, so two clocks running by
mistake do no harm (a row is claimed by one of them only). ``now`` comes from the clock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.actions import reminders
from bot.activities import jobs as activity_jobs
from bot.analysis import period_posts
from bot.delivery import FailureHook, OutboxSender, Prefetch, Preparer, Rejected, Scheduled
from bot.reporters import feedback
from bot.services import Services
from bot.summary import charts as summary_charts
from bot.summary import posts as summary_posts
from bot.timekeeping import bot_span, real_span, system_time
from bot.weekly import cycle
from storage.models import Outbox
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)

# what each feature sends through the outbox; a new message of a feature is added there, not here
SCHEDULED: tuple[Scheduled, ...] = (
    reminders.SCHEDULED,
    cycle.SCHEDULED,
    summary_posts.SCHEDULED,
    activity_jobs.SCHEDULED,
    feedback.SCHEDULED,  # the monthly återkoppling to reporters, organisations, the channel
    period_posts.SCHEDULED,
)
# every kind of outbox row, and what turns it into a notification at send time
PREPARERS: dict[str, Preparer] = {k: p for s in SCHEDULED for k, p in s.preparers.items()}
# what the sender loads at once for a sweep's rows of a kind, before preparing them one by one
PREFETCH: dict[str, Prefetch] = {k: f for s in SCHEDULED for k, f in s.prefetch.items()}
# who is told when a row fails for good; by default the admins, about the undeliverable DM
ON_FAILURE: dict[str, FailureHook] = {k: h for s in SCHEDULED for k, h in s.on_failure.items()}


def on_failure(uow: UnitOfWork, row: Outbox, error: Rejected, now: datetime) -> None:
    """The sender's failure hook: the one registered for the row's kind."""
    ON_FAILURE.get(row.kind, reminders.tell_admins)(uow, row, error, now)


MAX_PAUSE_SECONDS = 60.0
MAX_SWEEPS_PER_RUN = 50  # then the job returns and the scheduler runs it again


@dataclass(frozen=True)
class ClockContext:
    services: Services
    sender: OutboxSender
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[ClockContext, datetime], None]
    trigger: BaseTrigger
    at_start: bool = False  # also run once as the clock starts, not one interval after


def send_outbox(ctx: ClockContext, now: datetime) -> None:
    """Send what is due, sweep after sweep while there is work; a workspace Slack limits (429)
    waits as told in the sender, its rows put back until then, while the others' go on; only
    when Slack is down does the clock wait (between single tries)."""
    for _ in range(MAX_SWEEPS_PER_RUN):
        result = ctx.sender.sweep(now=now)
        if result.down:
            ctx.sleep(min(result.wait, MAX_PAUSE_SECONDS))
        elif result.claimed == 0:
            return
        now = ctx.services.clock.now()


def plan(ctx: ClockContext, now: datetime) -> None:
    """Queue what has come due in each feature that sends through the outbox (``SCHEDULED``):
    action reminders, the weekly rhythm, the weekly summary and what activities need."""
    queued = sum(scheduled.plan(ctx.services.db, now=now) for scheduled in SCHEDULED)
    if queued:
        log.info("queued %d messages", queued)
        # the charts of what was just queued are drawn now, not at the next draw sweep (which
        # for a clock started at 07:59 would be after 08:00, their send)
        draw_charts(ctx, ctx.services.clock.now())


DRAW_LEASE_SECONDS = 120.0  # a drawer's claim on a chart, in real time: then another may draw it


def draw_charts(ctx: ClockContext, now: datetime) -> None:
    """Draw the summary charts due within DRAW_AHEAD and store them, so that sending them is
    only an upload; removes the images of what has been sent."""
    lease = bot_span(DRAW_LEASE_SECONDS, ctx.services.clock.rate)
    drawn = 0
    for _ in range(MAX_SWEEPS_PER_RUN):
        claimed = summary_charts.draw_due_charts(
            ctx.services.db, worker=ctx.sender.worker, now=now, lease=lease
        )
        if not claimed:
            break
        drawn, now = drawn + claimed, ctx.services.clock.now()
    if drawn:
        log.info("drew %d summary charts ahead of their send", drawn)


def apply_retention(ctx: ClockContext, now: datetime) -> None:
    """Daily: gallring, per group; each group's sweep is audited and logged by the service."""
    swept = [s for s in ctx.services.retention.apply(now=now) if not s.empty]
    log.info("gallring: %d groups had free text past their retention period", len(swept))


def verify_audit_chain(ctx: ClockContext, now: datetime) -> None:
    """Nightly: recompute the audit chain and log loudly if a link is broken."""
    report = ctx.services.audit.verify()
    if report.ok:
        log.info("audit chain intact: %d events (checked %s)", report.events, now.isoformat())
    else:
        log.error("audit chain BROKEN at event %s: %s", report.broken_at, report.reason)


# the shortest real pause between two plannings (and sweeps), however fast the time: at 14 400×
# (four bot hours a real second) a tenth of a second is 24 bot minutes, so what is planned when
# it comes due (the summary at 08:00, an activity's follow-up) is sent within the hour; half a
# second was two bot hours. A planning of a small installation takes a few hundredths.
MIN_PLAN_SECONDS = 0.1


def jobs(tick: float = 5.0, rate: float = 1.0) -> tuple[Job, ...]:
    """The periodic jobs. ``rate`` is the bot's time per real second: a faster clock plans more
    often in real time (every bot minute, or every half real second), and the nightly jobs run
    once a bot day."""
    plan_every = max(real_span(60.0, rate), MIN_PLAN_SECONDS)
    if rate == 1.0:
        verify: BaseTrigger = CronTrigger(hour=2, minute=30, timezone=UTC)
        retain: BaseTrigger = CronTrigger(hour=3, minute=15, timezone=UTC)
    else:
        verify = retain = IntervalTrigger(seconds=max(real_span(86_400, rate), MIN_PLAN_SECONDS))
    return (
        Job("outbox.send", send_outbox, IntervalTrigger(seconds=min(tick, plan_every)), True),
        # a clock started at 07:59 plans (and draws) 08:00's messages at once, not at 08:00
        Job("outbox.plan", plan, IntervalTrigger(seconds=plan_every), True),
        Job("summary.draw_charts", draw_charts, IntervalTrigger(seconds=plan_every), True),
        Job("audit.verify", verify_audit_chain, verify),
        Job("retention.apply", apply_retention, retain),
    )


def build_scheduler(
    ctx: ClockContext, scheduler: BaseScheduler | None = None, *, tick: float = 5.0
) -> BaseScheduler:
    """The clock's jobs; ``tick`` is how often (seconds) the outbox is swept."""
    sched = scheduler or BlockingScheduler(timezone=UTC)
    for job in jobs(tick, ctx.services.clock.rate):
        first = {"next_run_time": system_time()} if job.at_start else {}  # the scheduler's time
        sched.add_job(
            _runner(job, ctx),
            job.trigger,
            id=job.id,
            name=job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            **first,
        )
    return sched


def _runner(job: Job, ctx: ClockContext) -> Callable[[], None]:
    def run() -> None:
        try:
            job.run(ctx, ctx.services.clock.now())
        except Exception:
            log.exception("clock job %s failed; it runs again at its next time", job.id)

    return run
