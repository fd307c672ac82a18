"""The `/est` slash command: parse, route to the sub-command, answer errors in the user's words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.actors import Actor
from bot.commandhelp import asks_for_help
from bot.commands import MAX_TEXT_LENGTH, Command, Sub, parse
from bot.errors import BotError, InvalidInput, PersonalDataError, UnknownName
from bot.i18n import Translator, translator
from bot.services import Services
from handlers.commands.blocks import build_help, build_sub_help, build_unknown, hint_for
from handlers.errors import error_reply
from handlers.notifier import posted_after_ack
from handlers.replies import Message, build_refused, build_text
from handlers.text import escape, quoted


@dataclass(kw_only=True)
class Invocation:
    """One `/est` call as a sub-command handler sees it."""

    services: Services
    actor: Actor
    tr: Translator
    args: str
    trigger_id: str
    ack: Callable[..., object]  # Bolt's Ack, or a stand-in that replaces a message
    respond: Respond
    client: WebClient
    now: datetime
    replaces: bool = False  # a button's: acknowledged already; the first reply replaces its message
    _acked: bool = field(default=False, init=False, repr=False)

    def reply(self, message: Message) -> None:
        """Answer only the user: in the ack if it has not been sent, else through response_url."""
        if self._acked:
            self.respond(response_type="ephemeral", replace_original=False, **message)
        else:
            self._acked = True
            self.ack(**message)

    @property
    def acknowledged(self) -> bool:
        return self._acked or self.replaces

    def acknowledge(self) -> None:
        """Tell Slack the request arrived; a later reply goes through response_url."""
        if not self._acked and not self.replaces:
            self._acked = True
            self.ack()


SubHandler = Callable[[Invocation], None]


def error_message(tr: Translator, error: BotError) -> Message:
    """The error in the user's language; whatever they typed in it is escaped for mrkdwn."""
    text = tr.render(error.message, quote=escape)
    if isinstance(error, UnknownName) and error.suggestions:
        names = ", ".join(quoted(escape(s), tr.language) for s in error.suggestions)
        text += "\n" + tr.gettext("Did you mean: {names}?", names=names)
    return build_text(text)


# what a reporter (rapportör) can do: log and see their own incidents, their feedback, language
REPORTING = frozenset({Sub.HELP, Sub.INCIDENT, Sub.INCIDENTS, Sub.REPORTER, Sub.LANGUAGE})


@lru_cache(maxsize=512)
def _help(
    language: str, group_name: str | None, available: frozenset[Sub], only: bool = False
) -> Message:
    """The help depends only on these; built once each (answers must not mutate it)."""
    return build_help(translator(language), available, group_name=group_name, only=only)


def _reporting(actor: Actor) -> bool:
    return actor.member is not None and actor.member.role == "rapportör"


class Router:
    def __init__(self) -> None:
        self.routes: dict[Sub, SubHandler] = {Sub.HELP: self.help}

    def route(self, sub: Sub) -> Callable[[SubHandler], SubHandler]:
        def add(handler: SubHandler) -> SubHandler:
            self.routes[sub] = handler
            return handler

        return add

    def help_message(self, inv: Invocation) -> Message:
        group = inv.actor.group.name if inv.actor.group else None
        if _reporting(inv.actor):
            return _help(inv.tr.language, group, REPORTING & frozenset(self.routes), True)
        return _help(inv.tr.language, group, frozenset(self.routes))

    def help_blocks(
        self, tr: Translator, group_name: str | None, *, reporter: bool = False
    ) -> list[dict[str, Any]]:
        """The help for App Home (a reporter's: only what they can do)."""
        routes = REPORTING & frozenset(self.routes) if reporter else self.routes
        built = build_help(tr, routes, group_name=group_name, only=reporter)
        blocks: list[dict[str, Any]] = built["blocks"]
        return blocks

    def help(self, inv: Invocation) -> None:
        """`/est hjälp`, or one sub-command's: `/est hjälp aktivitet`."""
        asked = parse(inv.args).sub if inv.args.strip() else None
        if asked is not None and asked is not Sub.HELP:
            inv.reply(build_sub_help(inv.tr, asked))
        else:
            inv.reply(self.help_message(inv))

    def dispatch(self, command: Command, inv: Invocation) -> None:
        if command.sub is None:
            inv.reply(
                build_unknown(inv.tr, command.word, command.suggestion, self.help_message(inv))
            )
        elif command.sub is not Sub.HELP and asks_for_help(command.args):
            inv.reply(build_sub_help(inv.tr, command.sub))
        elif (handler := self.routes.get(command.sub)) is None:
            inv.reply(
                build_text(
                    inv.tr.gettext("`/est {sub}` is not available yet.", sub=command.sub.value)
                )
            )
        else:
            handler(inv)

    def listener(
        self,
        ack: Ack,
        command: dict[str, Any],
        respond: Respond,
        client: WebClient,
        services: Services,
        context: dict[str, Any],
    ) -> None:
        actor = services.groups.locate(
            command["team_id"], command["channel_id"], command["user_id"]
        )
        tr = translator(actor.language or context.get("default_language"))
        context["language"] = tr.language
        text = command.get("text") or ""
        inv = Invocation(
            services=services,
            actor=actor,
            tr=tr,
            args="",
            trigger_id=command.get("trigger_id", ""),
            ack=ack,
            respond=respond,
            client=client,
            now=services.clock.now(),
        )
        if len(text) > MAX_TEXT_LENGTH:
            too_long = tr.gettext(
                "That is too long ({n} characters; at most {max}).",
                n=len(text),
                max=MAX_TEXT_LENGTH,
            )
            inv.reply(build_refused(tr, too_long, text))
            return
        parsed = parse(text)
        inv.args = parsed.args
        with posted_after_ack(ack) as acknowledge, answering(inv, text, command):
            inv.ack = acknowledge  # what a service notifies is posted after the acknowledgement
            self.dispatch(parsed, inv)


@contextmanager
def answering(inv: Invocation, typed: str, body: dict[str, Any]) -> Iterator[None]:
    """Errors become answers to the person. An unexpected one after the acknowledgement is
    answered here too: let through, Bolt would take back an acknowledgement it had not yet
    sent, and Slack would show a timeout instead of the answer."""
    try:
        yield
    except PersonalDataError as error:  # nothing saved: hand the whole text back
        inv.reply(build_refused(inv.tr, error_message(inv.tr, error)["text"], typed))
    except InvalidInput as error:  # a word nearly one the sub-command takes is said first
        inv.reply(with_hint(inv.tr, typed, error))
    except BotError as error:
        inv.reply(error_message(inv.tr, error))
    except Exception as error:
        if not inv.acknowledged:
            raise  # the global error handler answers in the acknowledgement
        failed = error_reply(inv.tr, error, body)["text"]
        if body.get("command"):  # the whole command, as it could be sent again
            typed = f"{body['command']} {typed}".strip()
        inv.reply(build_refused(inv.tr, failed, typed))


def with_hint(tr: Translator, typed: str, error: InvalidInput) -> Message:
    """The error, after what the sub-command itself takes when the word after it nearly is one
    of its own ('Did you mean `/est aktivitet kalender [ny]`?')."""
    answer = error_message(tr, error)
    command = parse(typed)
    if command.sub is None:
        return answer
    hint = hint_for(tr, command.sub, command.args, unknown_name=isinstance(error, UnknownName))
    return build_text(f"{hint}\n{answer['text']}") if hint else answer
