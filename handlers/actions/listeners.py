"""Listeners for the action plan: `/est åtgärd …`, its buttons and modals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from slack_bolt import App
from slack_sdk import WebClient

from bot.actions.results import ActionItem
from bot.actors import Actor
from bot.commands import Sub
from bot.i18n import Translator
from bot.services import Services
from handlers.actions import blocks, forms
from handlers.commands.dispatch import Handler, dispatch
from handlers.commands.router import Invocation, Router
from handlers.forms import selected, state, text
from handlers.home.listeners import publish_home
from handlers.ids import Action, Block, Callback
from handlers.interactions import (
    Body,
    Press,
    View,
    metadata,
    modal_submitted,
    opens_modal,
    pressed,
    show_privately,
    tr_for,
)
from handlers.text import group_today


def action(inv: Invocation) -> None:
    """`/est åtgärd …`: see ``forms.action_command`` for what may follow."""
    dispatch(inv, forms.action_command(inv.args), ACTION)


def _set_status(inv: Invocation, command: forms.SetStatus) -> None:
    changed = inv.services.actions.set_status(
        inv.actor, command.action_id, command.status, comment=command.comment, now=inv.now
    )
    inv.reply(blocks.build_card(inv.tr, changed, group_today(inv.actor, inv.now)))


def _show_action(inv: Invocation, command: forms.ShowAction) -> None:
    found = inv.services.actions.get(inv.actor, command.action_id)
    inv.reply(blocks.build_card(inv.tr, found, group_today(inv.actor, inv.now)))


def _list(inv: Invocation, command: forms.ListActions) -> None:
    found = inv.services.actions.find(inv.actor, command.query, now=inv.now)
    title = inv.tr.render(command.title)
    inv.reply(blocks.build_list(inv.tr, title, found, group_today(inv.actor, inv.now)))


def _open_new(inv: Invocation, _command: forms.NewAction) -> None:
    view = blocks.build_action_modal(
        inv.tr,
        channel=inv.actor.channel_id,
        owner=inv.actor.user_id,
        today=group_today(inv.actor, inv.now),
    )
    inv.acknowledge()
    inv.client.views_open(trigger_id=inv.trigger_id, view=view)


ACTION: dict[type, Handler] = {
    forms.NewAction: _open_new,
    forms.SetStatus: _set_status,
    forms.ShowAction: _show_action,
    forms.ListActions: _list,
}


# -- buttons -----------------------------------------------------------------------------------


def _show(press: Press, changed: ActionItem) -> None:
    """On a message, the action's card replaces it; in App Home, the home is published again."""
    if (press.body.get("container") or {}).get("type") == "view":  # pressed in App Home
        publish_home(
            press.client,
            press.services,
            press.context["router"],
            press.actor.team_id,
            press.actor.user_id,
            press.context.get("default_language"),
        )
        return
    press.replace(
        blocks.build_card(press.tr, changed, group_today(press.actor, press.services.clock.now()))
    )


def status_button(new: str) -> Callable[[Press], None]:
    def set_status(press: Press) -> None:
        action_id = int(press.action["value"])
        _show(
            press,
            press.services.actions.set_status(
                press.actor, action_id, new, now=press.services.clock.now()
            ),
        )

    return set_status


def postpone_menu(press: Press) -> None:
    """1 day / 1 week at once; "New date…" asks why, "Give to someone else…" asks to whom."""
    action_id, _, how = press.action["selected_option"]["value"].partition(":")
    actions, actor = press.services.actions, press.actor
    if how in ("date", "owner"):  # these need a form
        current = actions.get(actor, int(action_id))
        build = blocks.build_postpone_modal if how == "date" else blocks.build_reassign_modal
        press.open(build(press.tr, current, actor.channel_id))
        return
    _show(
        press,
        actions.postpone(actor, int(action_id), by_days=int(how), now=press.services.clock.now()),
    )


def _note_form(actor: Actor, services: Services, body: Body) -> View:
    current = services.actions.get(actor, int(body["actions"][0]["value"]))
    return blocks.build_note_modal(tr_for(actor, {}), current, actor.channel_id)


def _from_incident_form(actor: Actor, services: Services, body: Body) -> View:
    """ "Skapa åtgärd" on an incident: the form with its place and the link filled in."""
    incident = services.incidents.get(actor, int(body["actions"][0]["value"]))
    return blocks.build_action_modal(
        tr_for(actor, {}),
        channel=actor.channel_id,
        owner=actor.user_id,
        today=group_today(actor, services.clock.now()),
        places=[(incident.place_id, incident.place)],
        incident_ids=[incident.id],
    )


# -- modal submissions -------------------------------------------------------------------------


def _save_new(actor: Actor, services: Services, view: View) -> ActionItem:
    return services.actions.create(actor, forms.draft_from(view), now=services.clock.now())


def _save_postpone(actor: Actor, services: Services, view: View) -> ActionItem:
    due = state(view, Block.DUE, Action.DUE).get("selected_date") or ""
    return services.actions.postpone(
        actor,
        int(metadata(view)["id"]),
        to=date.fromisoformat(due) if due else None,
        reason=text(view, Block.REASON, Action.REASON),
        now=services.clock.now(),
    )


def _save_reassign(actor: Actor, services: Services, view: View) -> ActionItem:
    owner = selected(view, Block.OWNER, Action.OWNER) or ""
    return services.actions.reassign(
        actor, int(metadata(view)["id"]), owner, now=services.clock.now()
    )


def _save_note(actor: Actor, services: Services, view: View) -> ActionItem:
    return services.actions.add_note(
        actor,
        int(metadata(view)["id"]),
        text(view, Block.NOTE, Action.NOTE),
        now=services.clock.now(),
    )


def _confirm(
    saved: ActionItem, actor: Actor, body: Body, client: WebClient, tr: Translator
) -> None:
    show_privately(
        client,
        body,
        actor.user_id,
        blocks.build_card(tr, saved, group_today(actor, saved.updated_at)),
    )  # saved at the bot's time: its day is today


def register(app: App, router: Router) -> None:
    router.route(Sub.ACTION)(action)
    app.action(Action.ACTION_DONE)(pressed(status_button("klar")))
    app.action(Action.ACTION_IN_PROGRESS)(pressed(status_button("pågår")))
    app.action(Action.POSTPONE_ACTION)(pressed(postpone_menu))
    app.action(Action.ACTION_NOTE)(opens_modal(_note_form))
    app.action(Action.CREATE_ACTION)(opens_modal(_from_incident_form))
    app.view(Callback.ACTION_NEW)(modal_submitted(_save_new, Block.TITLE, then=_confirm))
    app.view(Callback.ACTION_POSTPONE)(modal_submitted(_save_postpone, Block.DUE, then=_confirm))
    app.view(Callback.ACTION_NOTE)(modal_submitted(_save_note, Block.NOTE, then=_confirm))
    app.view(Callback.ACTION_REASSIGN)(modal_submitted(_save_reassign, Block.OWNER, then=_confirm))
