"""`/est sammanfattning [vecka]` posts the weekly summary now; `… tid måndag 08:00` sets when."""

from __future__ import annotations

from slack_bolt import App

from bot.commands import Sub, fold
from handlers.commands.blocks import build_text
from handlers.commands.router import Invocation, Router


def summary(inv: Invocation) -> None:
    args = inv.args.strip()
    if fold(args).startswith(("tid ", "time ")):
        schedule = inv.services.summaries.set_schedule(
            inv.actor, args.split(maxsplit=1)[1], now=inv.now
        )
        day = inv.tr.gettext(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")[schedule.weekday]
        )
        text = inv.tr.gettext(
            "The weekly summary is now posted every {day} at {time}.",
            day=day.lower(),
            time=schedule.time,
        )
        inv.reply(build_text(text))
        return
    queued = inv.services.summaries.post_now(inv.actor, args, now=inv.now)
    inv.reply(
        build_text(
            inv.tr.gettext(
                "The summary of week {week} is being posted in the channel.", week=queued.iso_week
            )
        )
    )


def register(app: App, router: Router) -> None:
    router.route(Sub.SUMMARY)(summary)
