"""Listeners for activities: `/est aktivitet …`, its buttons, modals and typeaheads."""

from __future__ import annotations

import json
import re
from datetime import date, time
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.activities.results import CostItem, PlannedActivity
from bot.actors import Actor
from bot.commands import Sub, fold
from bot.errors import BotError, InvalidInput, NotFound
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.activities import blocks, cost_modal, modals
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
from handlers.text import escape, group_today, group_tz, utcnow

_SHOW = re.compile(r"^#?(\d+)$")
_OPEN = re.compile(
    r"^(uppföljning|uppfoljning|följ upp|folj upp|follow-?up|kostnad|cost|motivera|motivate"
    r"|dokument|document)"
    r"\s+#?(\d+)$",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^(?:ställ in|stall in|inställd|installd|cancel)\s+#?(\d+)\s*(.*)$", re.I | re.S
)
_MOVE = re.compile(
    r"^(?:flytta|move)\s+(kostnad|cost|dokument|document)\s+#?(\d+)\s+(?:till|to)\s+"
    r"(?:aktivitet\s+|activity\s+)?#?(\d+)\s*(.*)$",
    re.I | re.S,
)
_RESCHEDULE = re.compile(
    r"^(?:flytta|move)\s+#?(\d+)\s+(\d{4}-\d{2}-\d{2})\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*"
    r"(\d{1,2}[:.]\d{2})\s*(.*)$",
    re.I | re.S,
)
_AMOUNT_WORD = re.compile(r"^[\d.,:]+(?:kr)?$|^kr$", re.I)


def _card(inv: Invocation, found: PlannedActivity) -> None:
    inv.reply(blocks.build_card(inv.tr, found, group_tz(inv.actor), inv.actor.channel_id))


def activity(inv: Invocation, *, public_url: str = "") -> None:
    """`/est aktivitet [ny | mina | N | uppföljning N | kostnad N | motivera N | ställ in N skäl |
    flytta N DATUM HH:MM-HH:MM skäl | flytta kostnad K till N skäl | anslag ÅR KÄLLA BELOPP [dnr]
    | kalender [ny]]`."""
    args, services = inv.args.strip(), inv.services
    key = fold(args)
    if key in ("ny", "new"):
        view = modals.build_new_modal(
            inv.tr,
            channel=inv.actor.channel_id,
            owner=inv.actor.user_id,
            today=group_today(inv.actor),
        )
        inv.acknowledge()
        inv.client.views_open(trigger_id=inv.trigger_id, view=view)
    elif show := _SHOW.match(args):
        _card(inv, services.activities.get(inv.actor, int(show.group(1)), now=inv.now))
    elif opened := _OPEN.match(args):
        _open_form(inv, fold(opened.group(1)), int(opened.group(2)))
    elif cancel := _CANCEL.match(args):
        found = services.activities.cancel(
            inv.actor, int(cancel.group(1)), cancel.group(2), now=inv.now
        )
        _card(inv, found)
    elif moved := _RESCHEDULE.match(args):
        _card(inv, _reschedule(inv, moved))
    elif move := _MOVE.match(args):
        what, number, to, reason = move.groups()
        cost = fold(what).startswith(("kost", "cost"))
        mover = services.costs.move if cost else services.documents.move
        relocated = mover(inv.actor, int(number), int(to), reason, now=inv.now)
        _card(inv, services.activities.get(inv.actor, relocated.activity_id, now=inv.now))
    elif key.startswith(("anslag ", "allocation ")):
        _allocate(inv, args.split()[1:])
    elif key.split(" ")[0] in ("kalender", "calendar"):
        _calendar(inv, renew=key.endswith((" ny", " new")), public_url=public_url)
    elif key in ("mina", "mine"):
        mine = services.activities.mine(inv.actor, now=inv.now)
        inv.reply(blocks.build_mine(inv.tr, mine, group_tz(inv.actor), inv.actor.channel_id))
    else:  # `plats Fittja centrum` (or just a place's name): only there
        words = args.split(maxsplit=1)
        place = (
            words[1] if words and fold(words[0]) in ("plats", "place") and len(words) > 1 else args
        )
        upcoming = services.activities.upcoming(inv.actor, now=inv.now, place=place)
        inv.reply(blocks.build_upcoming(inv.tr, upcoming, group_tz(inv.actor)))


def _reschedule(inv: Invocation, found: re.Match[str]) -> PlannedActivity:
    """`flytta 17 2026-12-13 11:00-16:00 <skäl>`."""
    try:
        day = date.fromisoformat(found.group(2))
        start, end = (time.fromisoformat(t.replace(".", ":").zfill(5)) for t in found.group(3, 4))
    except ValueError:
        raise InvalidInput(
            N_("Write for example `/est aktivitet flytta 17 2026-12-13 11:00-16:00 regn`.")
        ) from None
    return inv.services.activities.reschedule(
        inv.actor, int(found.group(1)), day, start, end, found.group(5), now=inv.now
    )


def _open_form(inv: Invocation, word: str, activity_id: int) -> None:
    current = inv.services.activities.get(inv.actor, activity_id, now=inv.now)
    year = current.start_at.astimezone(group_tz(inv.actor)).year
    view = _form(inv.tr, word, current, inv.actor.channel_id, year)
    inv.acknowledge()
    inv.client.views_open(trigger_id=inv.trigger_id, view=view)


def _form(tr: Translator, word: str, current: PlannedActivity, channel: str, year: int) -> View:
    if word.startswith(("kostnad", "cost")):
        return cost_modal.build_cost_modal(tr, current, channel, year)
    if word.startswith(("motiv",)):
        return modals.build_motivate_modal(tr, current, channel)
    if word.startswith(("dokument", "document")):
        return cost_modal.build_document_modal(tr, current, channel)
    return modals.build_follow_up_modal(tr, current, channel)


def _allocate(inv: Invocation, words: list[str]) -> None:
    """`anslag 2026 statsbidrag 1 200 000 [diarienummer]`."""
    if len(words) < 3 or not words[0].isdigit():
        raise InvalidInput(
            N_("Write for example `/est aktivitet anslag 2026 statsbidrag 1 200 000 S2026/123`.")
        )
    year, rest = int(words[0]), words[1:]
    source_words = 2 if fold(rest[0]) == "egen" else 1
    source, rest = " ".join(rest[:source_words]), rest[source_words:]
    amount = [w for w in rest if _AMOUNT_WORD.match(w)]
    reference = " ".join(w for w in rest if not _AMOUNT_WORD.match(w))
    ore = inv.services.costs.allocate(
        inv.actor, year, source, " ".join(amount), diarienummer=reference, now=inv.now
    )
    inv.reply(
        build_text(
            inv.tr.gettext(
                "Allocated for {year} from {source}: {amount}.",
                year=year,
                source=escape(source),
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
    word = {
        Action.OPEN_ACTIVITY_COST: "kostnad",
        Action.OPEN_ACTIVITY_MOTIVATE: "motivera",
        Action.OPEN_ACTIVITY_DOCUMENT: "dokument",
    }.get(press.action.get("action_id", ""), "uppföljning")
    try:
        current = press.services.activities.get(press.actor, int(raw_id), now=utcnow())
        year = current.start_at.astimezone(group_tz(press.actor)).year
        view = _form(press.tr, word, current, press.actor.channel_id, year)
    except ValueError:
        raise NotFound(N_("No activity #{id} in this group.", id=raw_id)) from None
    pressed_in = (press.body.get("channel") or {}).get("id") or ""
    if not pressed_in.startswith(("C", "G")):  # from a DM or App Home: answer in the DM
        view["private_metadata"] = json.dumps(metadata(view) | {"dm": True})
    press.open(view)


def _group_channel(action: dict[str, Any]) -> str | None:
    return str(action.get("value", "")).partition(":")[2] or None


def motivation_options(ack: Ack, body: Body, services: Services) -> None:
    """Typeahead for the motivation field: records at the places chosen in the form."""
    view = body.get("view") or {}
    actor = actor_of(body, services, metadata(view).get("c"))
    tr = tr_for(actor, {})
    query = fold(body.get("value", ""))
    try:
        found = services.activities.candidates(
            actor, modals.chosen_places(view), now=utcnow(), limit=100
        )
    except BotError:
        found = ()
    shown = [c for c in found if query in fold(modals.candidate_label(tr, c))]
    ack(options=[modals.candidate_option(tr, c).to_dict() for c in shown[:100]])


def _save_new(actor: Actor, services: Services, view: View) -> PlannedActivity:
    return services.activities.create(actor, modals.draft_from(view), now=utcnow())


def _save_follow_up(actor: Actor, services: Services, view: View) -> PlannedActivity:
    activity_id = int(metadata(view)["id"])
    return services.activities.follow_up(
        actor, activity_id, modals.follow_up_from(view), now=utcnow()
    )


def _save_motivation(actor: Actor, services: Services, view: View) -> PlannedActivity:
    keys = modals.motivation_from(view)
    return services.activities.motivate(actor, int(metadata(view)["id"]), keys, now=utcnow())


def _save_cost(actor: Actor, services: Services, view: View) -> PlannedActivity:
    cost: CostItem = services.costs.add(
        actor, int(metadata(view)["id"]), cost_modal.cost_from(view), now=utcnow()
    )
    return services.activities.get(actor, cost.activity_id, now=utcnow())


def _save_document(actor: Actor, services: Services, view: View) -> PlannedActivity:
    draft = cost_modal.document_from(view)
    saved = services.documents.add(actor, int(metadata(view)["id"]), draft, now=utcnow())
    return services.activities.get(actor, saved.activity_id, now=utcnow())


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
