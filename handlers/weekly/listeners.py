"""`/est rapport`, `/est lägesbild [vNN | plats X]`, `/est möte`: the weekly cycle in Slack —
the reports (``report_listeners``) and the meeting with its lägesbild (``meeting_listeners``)."""

from __future__ import annotations

from slack_bolt import App

from handlers.commands.router import Router
from handlers.weekly import meeting_listeners, report_listeners


def register(app: App, router: Router) -> None:
    report_listeners.register(app, router)
    meeting_listeners.register(app, router)
