"""The clock process: APScheduler 3 in UTC with named periodic jobs.

Jobs are short and idempotent; what they must send goes through the database, so two clocks
running by mistake do no harm. Each job gets ``now`` from the clock, never from the wall itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[Services, datetime], None]
    trigger: BaseTrigger


def verify_audit_chain(services: Services, now: datetime) -> None:
    """Nightly: recompute the audit chain and log loudly if a link is broken."""
    report = services.audit.verify()
    if report.ok:
        log.info("audit chain intact: %d events (checked %s)", report.events, now.isoformat())
    else:
        log.error("audit chain BROKEN at event %s: %s", report.broken_at, report.reason)


def jobs() -> tuple[Job, ...]:
    return (Job("audit.verify", verify_audit_chain, CronTrigger(hour=2, minute=30, timezone=UTC)),)


def build_scheduler(services: Services, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    sched = scheduler or BlockingScheduler(timezone=UTC)
    for job in jobs():
        sched.add_job(
            _runner(job, services),
            job.trigger,
            id=job.id,
            name=job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    return sched


def _runner(job: Job, services: Services) -> Callable[[], None]:
    def run() -> None:
        job.run(services, datetime.now(UTC))

    return run
