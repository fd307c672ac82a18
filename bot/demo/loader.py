"""The whole demo in one call: the workspace, last December's activities, the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.demo.activities import load_demo_activities
from bot.demo.history import load_demo_history
from bot.demo.workspace import DemoResult, load_demo
from bot.services import Services


@dataclass(frozen=True)
class DemoLoaded:
    workspace: DemoResult
    activities: int  # how many were added (0: they were there)
    incidents: int  # logged by the history (0: it was there)


def load_full_demo(services: Services, *, now: datetime) -> DemoLoaded:
    """Everything the demo has, relative to ``now`` (the bot's clock). Idempotent."""
    workspace = load_demo(services.db, services.groups, now=now)
    activities = load_demo_activities(services, now=now)
    return DemoLoaded(workspace, activities, load_demo_history(services, now=now))
