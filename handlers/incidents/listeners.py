"""Listeners for incidents: `/est händelse`, `/est händelser`, the form, the message shortcut."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.actors import Actor
from bot.commands import Sub
from bot.errors import BotError
from bot.i18n import Translator
from bot.incidents.service import Logged, is_reporter
from bot.services import Services
from bot.timeparse import split_period, this_week
from handlers.commands.router import Invocation, Router, answering, error_message
from handlers.forms import text
from handlers.ids import Action, Block, Callback
from handlers.incidents import blocks, forms, lines, modals, quick
from handlers.incidents.forms import incident_draft
from handlers.interactions import (
    Body,
    Press,
    View,
    actor_of,
    metadata,
    modal_checked_then_saved,
    modal_submitted,
    opens_modal,
    pressed,
    show_privately,
    tr_for,
)
from handlers.replies import build_refused, build_text
from handlers.text import group_tz


def _new_modal(
    actor: Actor,
    services: Services,
    tr: Translator,
    *,
    meta: dict[str, Any],
    description: str = "",
    duplicate_of: int | None = None,
) -> View:
    categories = services.categories.of_group(actor)
    return modals.build_incident_modal(
        tr,
        categories,
        now=services.clock.now(),
        tz=group_tz(actor),
        metadata=meta,
        description=description,
        duplicate_of=duplicate_of,
    )


def incident(inv: Invocation) -> None:
    """`/est händelse …`: see ``forms.incident_command`` for what may follow."""
    match forms.incident_command(inv.args):
        case forms.NewIncident():
            _open(
                inv, _new_modal(inv.actor, inv.services, inv.tr, meta={"c": inv.actor.channel_id})
            )
        case forms.EditIncident(incident_id):
            _open(inv, _edit_modal(inv.actor, inv.services, inv.tr, incident_id))
        case forms.DeleteIncident(incident_id, reason):
            _delete(inv, incident_id, reason)
        case forms.QuickIncident(text):
            quick.log_quick(inv, text)


def _delete(inv: Invocation, incident_id: int, reason: str) -> None:
    """A refusal hands the whole command back, so it can be corrected and sent again."""
    try:
        deleted = inv.services.incidents.delete(inv.actor, incident_id, reason=reason, now=inv.now)
    except BotError as error:
        inv.reply(build_refused(inv.tr, error_message(inv.tr, error)["text"], inv.args))
        return
    inv.reply(
        build_text(
            inv.tr.gettext("Incident #{id} is deleted. It stays in the history.", id=deleted.id)
        )
    )


def _open(inv: Invocation, view: View) -> None:
    inv.acknowledge()
    inv.client.views_open(trigger_id=inv.trigger_id, view=view)


def incidents(inv: Invocation) -> None:
    """`/est händelser [plats] [period]` — this week for the whole group by default."""
    _list(inv, inv.args, offset=0)


def _list(inv: Invocation, args: str, *, offset: int) -> None:
    tz = group_tz(inv.actor)
    place, period = split_period(args, now=inv.now, tz=tz)
    listing = inv.services.incidents.list(
        inv.actor, period or this_week(now=inv.now, tz=tz), place=place, offset=offset
    )
    more = None
    if listing.has_more:
        more = json.dumps({"a": args, "o": offset + len(listing.entries)}, ensure_ascii=False)
    inv.reply(blocks.build_incident_list(inv.tr, listing, tz, more))


def _edit_modal(actor: Actor, services: Services, tr: Translator, incident_id: int) -> View:
    current = services.incidents.get(actor, incident_id)
    place = services.places.resolve(actor, current.place) if current.place else None
    return modals.build_incident_modal(
        tr,
        services.categories.of_group(actor, include_retired=True),
        now=services.clock.now(),
        tz=group_tz(actor),
        metadata={"c": actor.group.channel_id if actor.group else "", "edit": incident_id},
        initial=current,
        place=place,
    )


# -- interactions ------------------------------------------------------------------------------


def more_incidents(
    ack: Ack,
    body: Body,
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    context: dict[str, Any],
) -> None:
    page = json.loads(action["value"])
    inv = quick.as_invocation(ack, body, respond, client, services, context)
    with answering(inv, "", body):
        _list(inv, page["a"], offset=int(page["o"]))


def place_options(ack: Ack, body: Body, services: Services) -> None:
    """Typeahead for the place field."""
    actor = actor_of(body, services, metadata(body.get("view") or {}).get("c"))
    try:
        places = services.places.search(actor, body.get("value", ""), limit=20)
    except BotError:
        places = ()
    ack(options=[lines.place_option(p).to_dict() for p in places])


def _quick_form(actor: Actor, services: Services, body: Body) -> View:
    text = body["actions"][0].get("value", "")
    parts = [p.strip() for p in text.split(";")]
    description = parts[2] if len(parts) > 2 else text
    return _new_modal(
        actor, services, tr_for(actor, {}), meta={"c": actor.channel_id}, description=description
    )


def _edit_form(actor: Actor, services: Services, body: Body) -> View:
    return _edit_modal(actor, services, tr_for(actor, {}), int(body["actions"][0]["value"]))


def _delete_form(actor: Actor, services: Services, body: Body) -> View:
    incident_id = int(body["actions"][0]["value"])
    current = services.incidents.get(actor, incident_id)
    return modals.build_delete_modal(
        tr_for(actor, {}), current, group_tz(actor), {"c": actor.channel_id, "id": incident_id}
    )


def log_from_message(press: Press) -> None:
    """Message shortcut "Logga som händelse": the form, pre-filled with the message and a link."""
    channel, ts = press.body["channel"]["id"], press.body["message"]["ts"]
    earlier = press.services.incidents.logged_from_message(press.actor, channel, ts)
    link = press.client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    meta = {"c": channel, "ts": ts, "link": link}
    view = _new_modal(
        press.actor,
        press.services,
        press.tr,
        meta=meta,
        duplicate_of=earlier,
        description=press.body["message"].get("text", ""),
    )
    press.open(view)


# -- modal submissions ------------------------------------------------------------------------


def _check_new(actor: Actor, services: Services, view: View) -> Callable[[], Logged]:
    """The new incident's form understood; what is left is its write (or nothing, when the
    same form was saved before)."""
    draft = incident_draft(view, metadata(view), group_tz(actor))
    now = services.clock.now()
    understood = services.incidents.understand(actor, draft, now=now)
    if isinstance(understood, Logged):
        return lambda: understood
    return partial(services.incidents.save, actor, understood, now=now)


def _described(view: View) -> str:
    return text(view, Block.DESCRIPTION, Action.DESCRIPTION)


def _save_edit(actor: Actor, services: Services, view: View) -> Logged:
    draft = incident_draft(view, metadata(view), group_tz(actor))
    corrected = services.incidents.correct(
        actor, int(metadata(view)["edit"]), draft, now=services.clock.now()
    )
    return Logged(corrected, created=True)


def _save_delete(actor: Actor, services: Services, view: View) -> Logged:
    reason = text(view, Block.REASON, Action.REASON)
    deleted = services.incidents.delete(
        actor, int(metadata(view)["id"]), reason=reason, now=services.clock.now()
    )
    return Logged(deleted, created=False)


def _confirm(logged: Logged, actor: Actor, body: Body, client: WebClient, tr: Translator) -> None:
    """After the modal closes: show the person exactly what was saved."""
    message = blocks.build_logged(
        tr,
        logged.incident,
        group_tz(actor),
        created=logged.created,
        reading=logged.reading,
        plans=not is_reporter(actor),
    )
    if logged.incident.deleted_at is not None:
        message = build_text(
            tr.gettext("Incident #{id} is deleted. It stays in the history.", id=logged.incident.id)
        )
    show_privately(client, body, actor.user_id, message)


def register(app: App, router: Router) -> None:
    router.route(Sub.INCIDENT)(incident)
    router.route(Sub.INCIDENTS)(incidents)
    app.action(re.compile(f"^{Action.PICK_PLACE}_\\d$"))(quick.pick_place)
    app.action(re.compile(f"^{Action.PICK_CATEGORY}_\\d$"))(quick.pick_category)
    app.action(Action.MORE_INCIDENTS)(more_incidents)
    app.action(Action.OPEN_INCIDENT_FORM)(opens_modal(_quick_form))
    app.action(Action.EDIT_INCIDENT)(opens_modal(_edit_form))
    app.action(Action.DELETE_INCIDENT)(opens_modal(_delete_form))
    app.options(Action.PLACE)(place_options)
    app.shortcut(Callback.LOG_INCIDENT_SHORTCUT)(pressed(log_from_message))
    app.view(Callback.INCIDENT)(
        modal_checked_then_saved(_check_new, Block.PLACE, then=_confirm, typed=_described)
    )
    app.view(Callback.INCIDENT_EDIT)(modal_submitted(_save_edit, Block.PLACE, then=_confirm))
    app.view(Callback.INCIDENT_DELETE)(modal_submitted(_save_delete, Block.REASON, then=_confirm))
