"""A quick incident (`/est händelse plats; kategori; …`) and its questions: which place, which
category — answered by buttons that finish the same text."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import BotError
from bot.incidents.categories import CategoryChoice
from bot.incidents.service import Logged, is_reporter
from bot.places.service import UnknownPlace
from bot.services import Services
from handlers.commands.router import Invocation, answering, error_message
from handlers.incidents import blocks, choices
from handlers.interactions import Body, actor_of, tr_for
from handlers.replies import build_refused
from handlers.text import group_tz


def log_quick(
    inv: Invocation, text: str, place_id: int | None = None, category_id: int | None = None
) -> None:
    """Refusals come in the acknowledgement; a saved incident is confirmed through response_url,
    so Slack hears back at once however long the write waits for the database's write lock.
    An unsure place or category is asked about with buttons that finish the same text."""
    incidents = inv.services.incidents
    try:
        logged = incidents.understand_text(
            inv.actor, text, place_id=place_id, category_id=category_id, now=inv.now
        )
        if not isinstance(logged, Logged):
            inv.acknowledge()
            logged = incidents.save(inv.actor, logged, now=inv.now)
    except UnknownPlace as error:
        inv.reply(choices.build_place_choices(inv.tr, error, text))
        return
    except CategoryChoice as error:
        inv.reply(choices.build_category_choices(inv.tr, error, text, place_id))
        return
    except BotError as error:  # personal data, a bad time …: the text goes back to the person
        inv.reply(build_refused(inv.tr, error_message(inv.tr, error)["text"], text))
        return
    tz = group_tz(inv.actor)
    inv.reply(
        blocks.build_logged(
            inv.tr,
            logged.incident,
            tz,
            created=logged.created,
            reading=logged.reading,
            plans=not is_reporter(inv.actor),
        )
    )


def as_invocation(
    ack: Ack,
    body: Body,
    respond: Respond,
    client: WebClient,
    services: Services,
    context: dict[str, Any],
) -> Invocation:
    """A button press answered like a command: replies replace the message it came from."""
    actor = actor_of(body, services)
    ack()

    def replace(**message: Any) -> None:
        respond(replace_original=True, **message)

    return Invocation(
        services=services,
        actor=actor,
        tr=tr_for(actor, context),
        args="",
        trigger_id=body.get("trigger_id", ""),
        ack=replace,
        respond=respond,
        client=client,
        now=services.clock.now(),
        replaces=True,
    )


def pick_place(
    ack: Ack,
    body: Body,
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    context: dict[str, Any],
) -> None:
    chosen = json.loads(action["value"])
    inv = as_invocation(ack, body, respond, client, services, context)
    with answering(inv, chosen["t"], body):
        log_quick(inv, chosen["t"], place_id=int(chosen["p"]))


def pick_category(
    ack: Ack,
    body: Body,
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    context: dict[str, Any],
) -> None:
    """A category chosen from the question: the same text, with that category."""
    chosen = json.loads(action["value"])
    inv = as_invocation(ack, body, respond, client, services, context)
    place_id = int(chosen["p"]) if chosen.get("p") else None
    with answering(inv, chosen["t"], body):
        log_quick(inv, chosen["t"], place_id=place_id, category_id=int(chosen["k"]))
