"""`/est sammanfattning [vecka]` posts the weekly summary now; `… tid måndag 08:00` sets when."""

from __future__ import annotations

from slack_bolt import App

from bot.commands import Sub
from handlers.commands.router import Invocation, Router
from handlers.summary import blocks, forms


def summary(inv: Invocation) -> None:
    summaries = inv.services.summaries
    match forms.summary_command(inv.args):
        case forms.SetSchedule(when):
            schedule = summaries.set_schedule(inv.actor, when, now=inv.now)
            inv.reply(blocks.build_schedule_set(inv.tr, schedule.weekday, schedule.time))
        case forms.PostSummary(week):
            queued = summaries.post_now(inv.actor, week, now=inv.now)
            inv.reply(blocks.build_post_queued(inv.tr, queued.iso_week))


def register(app: App, router: Router) -> None:
    router.route(Sub.SUMMARY)(summary)
