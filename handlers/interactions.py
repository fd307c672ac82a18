"""Shared adapters for interactions: who acts, buttons that open modals, modal submissions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.errors import BotError
from bot.i18n import Translator, translator
from bot.services import Services
from bot.views import Actor
from handlers.commands.blocks import build_error, build_refused
from handlers.commands.router import error_message
from handlers.errors import logged

Body = dict[str, Any]
View = dict[str, Any]
T = TypeVar("T")


def actor_of(body: Body, services: Services, channel_id: str | None = None) -> Actor:
    """Who acts in an interaction payload, and in which group's channel."""
    team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
    channel = channel_id or (body.get("channel") or {}).get("id") or ""
    return services.groups.locate(team, channel, body["user"]["id"])


def tr_for(actor: Actor, context: dict[str, Any]) -> Translator:
    return translator(actor.language or context.get("default_language"))


def metadata(view: View) -> dict[str, Any]:
    """A modal's private_metadata: a JSON object whose "c" is the group's channel."""
    raw = view.get("private_metadata") or ""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {"c": raw}
    return data if isinstance(data, dict) else {}


def error_block(view: View, field: str | None, default: str) -> str:
    """The input block to show an error under: the field's, if the form has it."""
    blocks = {b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"}
    return field if field is not None and field in blocks else default


def opens_modal(build: Callable[[Actor, Services, Body], View]) -> Callable[..., None]:
    """A button that opens a modal; the channel travels in private_metadata."""

    def listener(
        ack: Ack,
        body: Body,
        client: WebClient,
        services: Services,
        respond: Respond,
        context: dict[str, Any],
    ) -> None:
        ack()
        actor = actor_of(body, services)
        try:
            view = build(actor, services, body)
        except BotError as error:
            reply = error_message(tr_for(actor, context), error)
            respond(response_type="ephemeral", replace_original=False, **reply)
            return
        if not view.get("private_metadata"):
            view["private_metadata"] = json.dumps({"c": actor.channel_id})
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return listener


def modal_submitted(
    save: Callable[[Actor, Services, View], T],
    default_block: str,
    then: Callable[[T, Actor, Body, WebClient, Translator], None] | None = None,
) -> Callable[..., None]:
    """A modal submission: one service call; errors go back into the form, under their field."""

    def listener(
        ack: Ack,
        body: Body,
        view: View,
        services: Services,
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        actor = actor_of(body, services, metadata(view).get("c"))
        try:
            result = save(actor, services, view)
        except BotError as error:
            block = error_block(view, getattr(error, "field", None), default_block)
            text = error_message(tr_for(actor, context), error)["text"]
            ack(response_action="errors", errors={block: text})
            return
        ack()
        if then is not None:
            confirm(then, result, actor, body, client, tr_for(actor, context))

    return listener


def confirm(
    then: Callable[[T, Actor, Body, WebClient, Translator], None],
    result: T,
    actor: Actor,
    body: Body,
    client: WebClient,
    tr: Translator,
) -> None:
    """Tell the person what was saved. It is saved whatever happens here: a failure is logged,
    never let through to Bolt, which would take back the form's acknowledgement (Slack would
    then say the form failed, and a second press would save it again)."""
    try:
        then(result, actor, body, client, tr)
    except Exception as error:  # noqa: BLE001 - logged with its traceback
        logged(error, body)


def modal_checked_then_saved(
    check: Callable[[Actor, Services, View], Callable[[], T]],
    default_block: str,
    then: Callable[[T, Actor, Body, WebClient, Translator], None],
    typed: Callable[[View], str],
) -> Callable[..., None]:
    """A modal submission whose write may wait for the database's write lock.

    ``check`` runs everything that can refuse the form, and its errors go back into the form
    under their field; it returns the write. The form then closes at once and the write runs
    after Slack's acknowledgement, so a busy database never makes Slack time out on the person.
    Should the write still fail, they are told privately and get back what they wrote.
    """

    def listener(
        ack: Ack,
        body: Body,
        view: View,
        services: Services,
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        actor = actor_of(body, services, metadata(view).get("c"))
        tr = tr_for(actor, context)
        try:
            write = check(actor, services, view)
        except BotError as error:
            block = error_block(view, getattr(error, "field", None), default_block)
            ack(response_action="errors", errors={block: error_message(tr, error)["text"]})
            return
        ack()
        try:
            result = write()
        except BotError as error:
            refusal = error_message(tr, error)["text"]
        except Exception as error:  # noqa: BLE001 - the form is closed: tell them, keep the text
            refusal = build_error(tr, logged(error, body))["text"]
        else:
            confirm(then, result, actor, body, client, tr)
            return
        show_privately(client, body, actor.user_id, build_refused(tr, refusal, typed(view)))

    return listener


def show_privately(client: WebClient, body: Body, user_id: str, message: dict[str, Any]) -> None:
    """After a modal closes: show the person the result, only to them, where they were."""
    channel = metadata(body["view"]).get("c") or ""
    if channel.startswith(("C", "G")):
        client.chat_postEphemeral(channel=channel, user=user_id, **message)
    else:
        client.chat_postMessage(channel=user_id, **message)
