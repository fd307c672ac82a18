"""Shared adapters for interactions: who acts, buttons that act or open modals, modal
submissions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.actors import Actor
from bot.errors import BotError
from bot.i18n import Translator, translator
from bot.services import Services
from handlers.commands.router import error_message
from handlers.errors import error_reply, logged
from handlers.home.listeners import publish_home
from handlers.notifier import posted_after_ack
from handlers.replies import Message, build_refused

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


@dataclass(frozen=True)
class Press:
    """A button pressed (or a menu chosen, or a shortcut used), already acknowledged."""

    body: Body
    action: dict[str, Any]  # the button or menu pressed; for a shortcut, the shortcut
    actor: Actor
    tr: Translator
    services: Services
    client: WebClient
    respond: Respond
    context: dict[str, Any]

    def answer(self, message: Message) -> None:
        """Only the presser sees it; the message they pressed stays as it was."""
        tell_presser(self.body, self.respond, self.client, self.services, self.context, message)

    def replace(self, message: Message) -> None:
        """The message they pressed becomes this one."""
        self.respond(replace_original=True, **message)

    def open(self, view: View) -> None:
        self.client.views_open(trigger_id=self.body["trigger_id"], view=view)


def _privately(respond: Respond, message: Message) -> None:
    respond(response_type="ephemeral", replace_original=False, **message)


def tell_presser(
    body: Body,
    respond: Respond,
    client: WebClient,
    services: Services,
    context: dict[str, Any],
    message: Message,
) -> None:
    """Only the presser sees it: below the message they pressed (its response_url). App Home
    and modals have no response_url: in App Home the tab is published again with ``message``
    on top; from a modal (or when the Home cannot be built: the database is down) it is a DM."""
    if body.get("response_url"):
        _privately(respond, message)
        return
    user_id = body["user"]["id"]
    if (body.get("view") or {}).get("type") == "home":
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        language = context.get("default_language")
        try:
            publish_home(client, services, context["router"], team, user_id, language, message)
            return
        except Exception as error:  # noqa: BLE001 - logged; the DM below still tells them
            logged(error, body)
    client.chat_postMessage(channel=user_id, **message)


def pressed(
    act: Callable[[Press], None], channel: Callable[[dict[str, Any]], str | None] | None = None
) -> Callable[..., None]:
    """A button that acts and answers the presser. ``channel`` finds the group's channel in the
    action when it is not the one pressed in.

    Acknowledged first. A refusal (BotError) is told to the presser, only to them (in App Home
    on top of their Home, see ``tell_presser``); so is an unexpected error, logged under the id
    they are shown: let through, Bolt would take back an
    acknowledgement it had not yet sent, and Slack would show an error after 3 s.
    """

    def listener(
        ack: Ack,
        body: Body,
        payload: dict[str, Any],
        services: Services,
        respond: Respond,
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        tr = translator(context.get("default_language"))
        try:
            actor = actor_of(body, services, channel(payload) if channel else None)
            tr = tr_for(actor, context)
            act(Press(body, payload, actor, tr, services, client, respond, context))
        except BotError as error:
            failure = error_message(tr, error)
        except Exception as error:  # noqa: BLE001 - logged with its traceback, told by its id
            failure = error_reply(tr, error, body)
        else:
            return
        try:
            tell_presser(body, respond, client, services, context, failure)
        except Exception as error:  # noqa: BLE001 - not even that reached them; it is logged
            logged(error, body)

    return listener


def opens_modal(build: Callable[[Actor, Services, Body], View]) -> Callable[..., None]:
    """A button that opens a modal; the channel travels in private_metadata."""

    def act(press: Press) -> None:
        view = build(press.actor, press.services, press.body)
        if not view.get("private_metadata"):
            view["private_metadata"] = json.dumps({"c": press.actor.channel_id})
        press.open(view)

    return pressed(act)


def modal_submitted(
    save: Callable[[Actor, Services, View], T],
    default_block: str,
    then: Callable[[T, Actor, Body, WebClient, Translator], None] | None = None,
) -> Callable[..., None]:
    """A modal submission: one service call; errors go back into the form, under their field.
    Saved before the acknowledgement: what is left after it is only the confirmation."""

    def check(actor: Actor, services: Services, view: View) -> Callable[[], T]:
        result = save(actor, services, view)
        return lambda: result

    return modal_checked_then_saved(check, default_block, then or _silent, typed=lambda _v: "")


def _silent(*_args: Any) -> None:
    """No confirmation: the form closing says it."""


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
        with posted_after_ack(ack) as acknowledge:  # a save that notifies: after the ack
            try:
                write = check(actor, services, view)
            except BotError as error:  # the form stays open, the refusal under its field
                block = error_block(view, getattr(error, "field", None), default_block)
                errors = {block: error_message(tr, error)["text"]}
                acknowledge(response_action="errors", errors=errors)
                return
            acknowledge()
        try:
            result = write()
        except BotError as error:
            refusal = error_message(tr, error)["text"]
        except Exception as error:  # noqa: BLE001 - the form is closed: tell them, keep the text
            refusal = error_reply(tr, error, body)["text"]
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
