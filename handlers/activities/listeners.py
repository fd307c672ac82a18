"""Listeners for activities: `/est aktivitet …`, its buttons, modals and typeaheads."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.activities.results import CostItem, PlannedActivity
from bot.actors import Actor
from bot.commands import Sub
from bot.errors import BotError, NotFound
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.activities import blocks, cost_modal, forms, modals
from handlers.commands.router import Invocation, Router
from handlers.ids import Action, Block, Callback
from handlers.interactions import (
    Body,
    Press,
    View,
    actor_of,
    metadata,
    modal_submitted,
    pressed,
    show_privately,
    tr_for,
)
from handlers.replies import build_text
from handlers.text import escape, group_today, group_tz


def activity(inv: Invocation, *, public_url: str = "") -> None:
    """`/est aktivitet …`: see ``forms.activity_command`` for what may follow."""
    command = forms.activity_command(inv.args)
    match command:
        case forms.NewActivity() | forms.OpenForm():
            _open_form(inv, command)
        case forms.ShowActivity() | forms.CancelActivity() | forms.Reschedule() | forms.MoveItem():
            found = _changed(inv, command)
            inv.reply(blocks.build_card(inv.tr, found, group_tz(inv.actor), inv.actor.channel_id))
        case forms.Allocate():
            _allocate(inv, command)
        case forms.Calendar(renew):
            _calendar(inv, renew=renew, public_url=public_url)
        case forms.Mine():
            mine = inv.services.activities.mine(inv.actor, now=inv.now)
            inv.reply(blocks.build_mine(inv.tr, mine, group_tz(inv.actor), inv.actor.channel_id))
        case forms.Upcoming(place):  # `plats Fittja centrum` (or just a place's name): only there
            upcoming = inv.services.activities.upcoming(inv.actor, now=inv.now, place=place)
            inv.reply(blocks.build_upcoming(inv.tr, upcoming, group_tz(inv.actor)))


def _changed(
    inv: Invocation,
    command: forms.ShowActivity | forms.CancelActivity | forms.Reschedule | forms.MoveItem,
) -> PlannedActivity:
    """The activity a command shows or changes, as it is afterwards."""
    actor, now, services = inv.actor, inv.now, inv.services
    match command:
        case forms.ShowActivity(activity_id):
            return services.activities.get(actor, activity_id, now=now)
        case forms.CancelActivity(activity_id, reason):
            return services.activities.cancel(actor, activity_id, reason, now=now)
        case forms.Reschedule(activity_id, day, start, end, reason):
            return services.activities.reschedule(
                actor, activity_id, day, start, end, reason, now=now
            )
        case forms.MoveItem(item, item_id, to, reason):
            mover = services.costs.move if item is forms.Item.COST else services.documents.move
            relocated = mover(actor, item_id, to, reason, now=now)
            return services.activities.get(actor, relocated.activity_id, now=now)


def _open_form(inv: Invocation, command: forms.NewActivity | forms.OpenForm) -> None:
    if isinstance(command, forms.NewActivity):
        view = modals.build_new_modal(
            inv.tr,
            channel=inv.actor.channel_id,
            owner=inv.actor.user_id,
            today=group_today(inv.actor, inv.now),
        )
    else:
        current = inv.services.activities.get(inv.actor, command.activity_id, now=inv.now)
        year = current.start_at.astimezone(group_tz(inv.actor)).year
        view = _form(inv.tr, command.form, current, inv.actor.channel_id, year)
    inv.acknowledge()
    inv.client.views_open(trigger_id=inv.trigger_id, view=view)


def _form(
    tr: Translator, form: forms.Form, current: PlannedActivity, channel: str, year: int
) -> View:
    if form is forms.Form.COST:
        return cost_modal.build_cost_modal(tr, current, channel, year)
    if form is forms.Form.MOTIVATE:
        return modals.build_motivate_modal(tr, current, channel)
    if form is forms.Form.DOCUMENT:
        return cost_modal.build_document_modal(tr, current, channel)
    return modals.build_follow_up_modal(tr, current, channel)


def _allocate(inv: Invocation, command: forms.Allocate) -> None:
    """`anslag 2026 statsbidrag 1 200 000 [diarienummer]`."""
    ore = inv.services.costs.allocate(
        inv.actor,
        command.year,
        command.source,
        command.amount,
        diarienummer=command.reference,
        now=inv.now,
    )
    inv.reply(
        build_text(
            inv.tr.gettext(
                "Allocated for {year} from {source}: {amount}.",
                year=command.year,
                source=escape(command.source),
                amount=blocks.kronor(ore),
            )
        )
    )


def _calendar(inv: Invocation, *, renew: bool, public_url: str) -> None:
    token = inv.services.calendar.token(inv.actor, renew=renew, now=inv.now)
    base = public_url.rstrip("/")  # the web process's public address, when it is configured
    path = f"/calendar/{token}.ics"
    text = inv.tr.gettext(
        "Subscribe to the group's activities and meetings in Outlook or on your phone with "
        "this address (keep it within the group): {url}\nA new address (the old one stops): "
        "`/est aktivitet kalender ny` (admins).",
        url=f"<{base}{path}>" if base else f"`{path}`",
    )
    inv.reply(build_text(text))


# -- buttons and modals ----------------------------------------------------------------------


def form_button(press: Press) -> None:
    """Follow up / add a cost / add motivation: the value is "<activity id>:<group channel>"."""
    raw_id = str(press.action.get("value", "")).partition(":")[0]
    form = {
        Action.OPEN_ACTIVITY_COST: forms.Form.COST,
        Action.OPEN_ACTIVITY_MOTIVATE: forms.Form.MOTIVATE,
        Action.OPEN_ACTIVITY_DOCUMENT: forms.Form.DOCUMENT,
    }.get(press.action.get("action_id", ""), forms.Form.FOLLOW_UP)
    try:
        current = press.services.activities.get(
            press.actor, int(raw_id), now=press.services.clock.now()
        )
        year = current.start_at.astimezone(group_tz(press.actor)).year
        view = _form(press.tr, form, current, press.actor.channel_id, year)
    except ValueError:
        raise NotFound(N_("No activity #{id} in this group.", id=raw_id)) from None
    pressed_in = (press.body.get("channel") or {}).get("id") or ""
    if not pressed_in.startswith(("C", "G")):  # from a DM or App Home: answer in the DM
        view["private_metadata"] = json.dumps(metadata(view) | {"dm": True})
    press.open(view)


def _group_channel(action: dict[str, Any]) -> str | None:
    return str(action.get("value", "")).partition(":")[2] or None


def motivation_options(ack: Ack, body: Body, services: Services) -> None:
    """Typeahead for the motivation field: every earlier record of the group at the places
    chosen in the form, found by what is typed (place, category, words, "v. 12")."""
    view = body.get("view") or {}
    meta = metadata(view)
    actor = actor_of(body, services, meta.get("c"))
    tr = tr_for(actor, {})
    planned = meta.get("id")  # an activity planned before: nothing saved after it
    try:
        found = services.activities.candidates(
            actor,
            modals.chosen_places(view),
            now=services.clock.now(),
            typed=str(body.get("value", "")),
            activity_id=int(planned) if planned else None,
            limit=100,
        )
    except BotError:
        found = ()
    ack(options=[modals.candidate_option(tr, c).to_dict() for c in found[:100]])


def _save_new(actor: Actor, services: Services, view: View) -> PlannedActivity:
    return services.activities.create(actor, modals.draft_from(view), now=services.clock.now())


def _save_follow_up(actor: Actor, services: Services, view: View) -> PlannedActivity:
    activity_id = int(metadata(view)["id"])
    return services.activities.follow_up(
        actor, activity_id, modals.follow_up_from(view), now=services.clock.now()
    )


def _save_motivation(actor: Actor, services: Services, view: View) -> PlannedActivity:
    keys = modals.motivation_from(view)
    return services.activities.motivate(
        actor, int(metadata(view)["id"]), keys, now=services.clock.now()
    )


def _save_cost(actor: Actor, services: Services, view: View) -> PlannedActivity:
    cost: CostItem = services.costs.add(
        actor, int(metadata(view)["id"]), cost_modal.cost_from(view), now=services.clock.now()
    )
    return services.activities.get(actor, cost.activity_id, now=services.clock.now())


def _save_document(actor: Actor, services: Services, view: View) -> PlannedActivity:
    draft = cost_modal.document_from(view)
    saved = services.documents.add(
        actor, int(metadata(view)["id"]), draft, now=services.clock.now()
    )
    return services.activities.get(actor, saved.activity_id, now=services.clock.now())


def _confirm(
    saved: PlannedActivity, actor: Actor, body: Body, client: WebClient, tr: Translator
) -> None:
    message = blocks.build_card(tr, saved, group_tz(actor), actor.channel_id)
    if metadata(body["view"]).get("dm"):
        client.chat_postMessage(channel=actor.user_id, **message)
    else:
        show_privately(client, body, actor.user_id, message)


def register(app: App, router: Router, *, public_url: str = "") -> None:
    router.route(Sub.ACTIVITY)(partial(activity, public_url=public_url))
    for opener in (
        Action.OPEN_ACTIVITY_FOLLOW_UP,
        Action.OPEN_ACTIVITY_COST,
        Action.OPEN_ACTIVITY_MOTIVATE,
        Action.OPEN_ACTIVITY_DOCUMENT,
    ):
        app.action(opener)(pressed(form_button, channel=_group_channel))
    app.options(Action.MOTIVATION)(motivation_options)
    app.view(Callback.ACTIVITY_NEW)(modal_submitted(_save_new, Block.TITLE, then=_confirm))
    app.view(Callback.ACTIVITY_FOLLOW_UP)(
        modal_submitted(_save_follow_up, Block.EFFECT, then=_confirm)
    )
    app.view(Callback.ACTIVITY_MOTIVATE)(
        modal_submitted(_save_motivation, Block.MOTIVATION, then=_confirm)
    )
    app.view(Callback.ACTIVITY_COST)(modal_submitted(_save_cost, Block.AMOUNT, then=_confirm))
    app.view(Callback.ACTIVITY_DOCUMENT)(
        modal_submitted(_save_document, Block.TITLE, then=_confirm)
    )
