"""`/est sammanfattning [vecka]` posts the weekly summary now; `… tid måndag 08:00` sets when."""

from __future__ import annotations

from slack_bolt import App

from bot.commands import Sub, fold
from handlers.commands.router import Invocation, Router
from handlers.summary import blocks


def summary(inv: Invocation) -> None:
    args = inv.args.strip()
    if fold(args).startswith(("tid ", "time ")):
        schedule = inv.services.summaries.set_schedule(
            inv.actor, args.split(maxsplit=1)[1], now=inv.now
        )
        inv.reply(blocks.build_schedule_set(inv.tr, schedule.weekday, schedule.time))
        return
    queued = inv.services.summaries.post_now(inv.actor, args, now=inv.now)
    inv.reply(blocks.build_post_queued(inv.tr, queued.iso_week))


def register(app: App, router: Router) -> None:
    router.route(Sub.SUMMARY)(summary)
