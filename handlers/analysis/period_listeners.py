"""Listeners for the period analysis's buttons: "Sätt prioriteringar" (the form, which decides
or proposes as the server says, both when it opens and when it is saved) and "PDF och XLSX"."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.actors import Actor
from bot.analysis.priority_views import Priorities
from bot.i18n import Translator
from bot.services import Services
from handlers import blockkit as kit
from handlers.analysis import forms
from handlers.analysis.priority_blocks import build_priority_modal, priorities_text
from handlers.exports.listeners import deliver
from handlers.ids import Action, Block, Callback
from handlers.interactions import (
    Body,
    Press,
    View,
    modal_submitted,
    opens_modal,
    pressed,
    show_privately,
    tr_for,
)
from handlers.replies import build_text


def _priority_form(actor: Actor, services: Services, body: Body) -> View:
    start = services.priorities.start(actor, str(body["actions"][0]["value"]))
    return build_priority_modal(tr_for(actor, {}), start, channel=actor.channel_id)


def _save(actor: Actor, services: Services, view: View) -> Priorities:
    draft = forms.priority_draft_from(view)
    return services.priorities.record(actor, draft, now=services.clock.now())


def _confirm(
    saved: Priorities, actor: Actor, body: Body, client: WebClient, tr: Translator
) -> None:
    said = (
        tr.gettext("Saved, version {v}.", v=saved.version)
        if saved.decided
        else tr.gettext("Your proposal is saved; the next meeting's agenda shows it.")
    )
    message = {"text": said, "blocks": [kit.section(priorities_text(tr, saved)), kit.context(said)]}
    show_privately(client, body, actor.user_id, message)


def period_files(press: Press) -> None:
    """The period analysis as PDF and XLSX, to the presser by DM."""
    now = press.services.clock.now()
    files = press.services.exports.period(press.actor, str(press.action["value"]), now=now)
    if deliver(press.client, press.actor.user_id, press.tr, files):
        press.answer(build_text(press.tr.gettext("The files are in your direct messages with me.")))
    else:
        press.answer(
            build_text(press.tr.gettext("The files could not be sent. Try again in a while."))
        )


def register(app: App) -> None:
    app.action(Action.OPEN_PRIORITIES)(opens_modal(_priority_form))
    app.action(Action.PERIOD_FILES)(pressed(period_files))
    first = f"{Block.PRIORITY_MOTIVATION}_0"
    app.view(Callback.PERIOD_PRIORITIES)(modal_submitted(_save, first, then=_confirm))
