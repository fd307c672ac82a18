"""`/est rapportör`: admins make, list and revoke reporting links; a person stops or restarts
their monthly feedback (also with the DM's button)."""

from __future__ import annotations

from functools import partial

from slack_bolt import App

from bot.commands import Sub
from handlers.commands.router import Invocation, Router
from handlers.ids import Action
from handlers.interactions import Press, pressed
from handlers.reporters import blocks, forms
from handlers.text import group_tz


def reporter(inv: Invocation, *, public_url: str = "") -> None:
    """`/est rapportör [länk <namn> [organisation] | återkalla <namn|N> | återkoppling av|på]`."""
    links, actor, now, tr = inv.services.reporters, inv.actor, inv.now, inv.tr
    match forms.reporter_command(inv.args):
        case forms.ListLinks():
            message = blocks.build_links(tr, links.list(actor), group_tz(actor))
        case forms.NewLink(text):
            message = blocks.build_link_created(tr, links.create(actor, text, now=now), public_url)
        case forms.Revoke(ref):
            message = blocks.build_revoked(tr, links.revoke(actor, ref, now=now))
        case forms.Feedback(on):
            message = blocks.build_feedback_switched(tr, links.set_own_feedback(actor, on, now=now))
    inv.reply(message)


def feedback_off(press: Press) -> None:
    """The feedback DM's button: no more monthly feedback for the presser."""
    on = press.services.reporters.set_own_feedback(
        press.actor, False, now=press.services.clock.now()
    )
    press.answer(blocks.build_feedback_switched(press.tr, on))


def register(app: App, router: Router, *, public_url: str = "") -> None:
    router.route(Sub.REPORTER)(partial(reporter, public_url=public_url))
    app.action(Action.FEEDBACK_OFF)(pressed(feedback_off, channel=lambda p: p.get("value")))
