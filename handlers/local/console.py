"""The console: type `/est …` as in Slack; the bot answers in the terminal.

It drives the same Bolt app through the same dispatch path as Slack (signed requests, the same
listeners). Only the Web API is replaced, by the local stand-in, whose calls are printed here.
Modals become forms filled in at the prompt; buttons get numbers you press with `:N`.
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.clock import PREFETCH, PREPARERS, ClockContext, on_failure, plan
from bot.delivery import OutboxSender
from bot.demo.activities import load_demo_activities
from bot.demo.workspace import DEMO_CHANNEL, DEMO_MEMBERS, DEMO_TEAM, demo_user_names, load_demo
from bot.services import Services
from handlers.bolt import build_app
from handlers.local import slack_requests as sr
from handlers.local.answers import state_entry
from handlers.local.localslack import ApiCall, LocalSlack
from handlers.local.render import Field, render_message, render_view, view_fields
from handlers.notifier import SlackNotifier
from handlers.transport import SlackTransport
from storage.db import Database, make_engine
from storage.migrate import upgrade

HELP = """Konsolen: skriv som i Slack, t.ex. /est hjälp
  :N            tryck på knapp N
  :som U0ERIK   byt användare (demo: {users})
  :kanal C0EST  byt kanal (en kanal som börjar med D är ett DM)
  :demo         ladda Botkyrka-demon
  :demo aktiviteter  ladda också demons aktiviteter (förra december, och två kommande)
  :klocka       visa konsolens klocka
  :spola 2d     spola fram klockan (30m, 3h, 2d, 1w eller 2026-11-25 08:00): påminnelser som
                blir aktuella skickas
  Filer som boten laddar upp (diagram, exporter) sparas på den här datorn; sökvägen visas.
  :q            avsluta"""


@dataclass
class Button:
    label: str
    action_id: str
    value: str | None
    block_id: str
    channel: str
    message: dict[str, Any]


@dataclass
class Console:
    app: App
    slack: LocalSlack
    services: Services
    secret: str
    user: str
    channel: str
    out: TextIO = sys.stdout
    ask: Callable[[str], str] = input
    sender: OutboxSender | None = None
    offset: timedelta = timedelta(0)
    buttons: list[Button] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    _responses_seen: int = 0

    # ------------------------------------------------------------------ what the bot sends

    def on_call(self, call: ApiCall) -> None:
        if call.response.get("ok") is False and call.status == 200:  # refused, as Slack would
            why = "; ".join(call.response.get("response_metadata", {}).get("messages", []))
            self.print(f"(Slack vägrade {call.method}: {call.response.get('error')} {why})")
            return
        args = {k: _json(v) for k, v in call.args.items()}
        if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            target = str(args.get("channel", ""))
            where = f"DM till {target}" if target.startswith(("U", "D")) else f"#{target}"
            self._show(where, args, target)
        elif call.method in ("views.open", "views.push"):
            self.views.append(args["view"] | {"id": call.response.get("view", {}).get("id")})
        elif call.method == "views.publish":
            self.print(f"[Hem-fliken för {args.get('user_id')}]\n" + render_view(args["view"]))
        elif call.method == "files.completeUploadExternal" and call.status == 200:
            self._show_files(call)

    def _show_files(self, call: ApiCall) -> None:
        """A file the bot uploaded: saved on this computer, its path printed."""
        folder = Path(tempfile.gettempdir()) / "est-console"
        folder.mkdir(exist_ok=True)
        said = False  # one upload has one comment, however many files it carries
        for answered in call.response.get("files", []):
            shared = self.slack.files.get(answered["id"])
            if shared is None:
                continue
            path = folder / shared.name
            path.write_bytes(shared.content)
            channel = shared.channel or ""
            where = f"DM till {channel}" if channel.startswith(("U", "D")) else f"#{channel}"
            where += ", i tråden" if shared.thread_ts else ""
            comment = f"{shared.initial_comment}\n" if shared.initial_comment and not said else ""
            said = True
            self.print(f"[{where}]\n{comment}📎 {shared.name}: {path}")

    def _show(self, where: str, message: dict[str, Any], channel: str) -> None:
        self.print(f"[{where}]\n{render_message(message)}")
        self._collect_buttons(message, channel)

    def _collect_buttons(self, message: dict[str, Any], channel: str) -> None:
        for block in message.get("blocks") or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("type") == "button":
                    label = element["text"]["text"]
                    self.buttons.append(
                        Button(
                            label,
                            element["action_id"],
                            element.get("value"),
                            block.get("block_id", ""),
                            channel,
                            message,
                        )
                    )
                    self.print(f"  :{len(self.buttons)} = [{label}]")

    def print(self, text: str) -> None:
        names = demo_user_names()
        for user_id, name in names.items():
            text = text.replace(f"@{user_id}", f"@{name.split(',')[0]}")
        print(text, file=self.out, flush=True)

    # --------------------------------------------------------------- what the person does

    def dispatch(self, request: sr.SignedRequest) -> dict[str, Any]:
        response = self.app.dispatch(
            BoltRequest(body=request.body.decode(), headers=dict[str, Any](request.headers))
        )
        body = json.loads(response.body) if response.body.startswith("{") else {}
        if response.status >= 400:
            self.print(f"(Slack skulle ha fått {response.status})")
        elif body.get("text") or body.get("blocks"):
            self._show("bara för dig", body, self.channel)
        self._show_responses()
        self._fill_views()
        return body

    def _show_responses(self) -> None:
        for _url, message in self.slack.response_urls[self._responses_seen :]:
            self._show("bara för dig", message, self.channel)
        self._responses_seen = len(self.slack.response_urls)

    def command(self, text: str) -> None:
        name, _, rest = text.partition(" ")
        self.dispatch(
            sr.slash_command(
                rest,
                secret=self.secret,
                user_id=self.user,
                channel_id=self.channel,
                team_id=DEMO_TEAM,
                command=name,
                response_url=self.slack.response_url(),
            )
        )

    def press(self, number: int) -> None:
        if not 0 < number <= len(self.buttons):
            self.print(f"Det finns ingen knapp {number}.")
            return
        b = self.buttons[number - 1]
        self.dispatch(
            sr.block_action(
                b.action_id,
                b.value,
                secret=self.secret,
                user_id=self.user,
                channel_id=b.channel,
                team_id=DEMO_TEAM,
                block_id=b.block_id,
                message=b.message,
                response_url=self.slack.response_url(),
            )
        )

    def _fill_views(self) -> None:
        while self.views:
            view = self.views.pop(0)
            self.print(render_view(view))
            values = self._answers(view_fields(view), {})
            if values is None:
                self.print("(formuläret avbröts)")
                continue
            body = self.dispatch(
                sr.view_submission(
                    view, values, secret=self.secret, user_id=self.user, team_id=DEMO_TEAM
                )
            )
            while body.get("response_action") == "errors":
                for block_id, message in body["errors"].items():
                    self.print(f"⚠ {block_id}: {message}")
                fields = [f for f in view_fields(view) if f.block_id in body["errors"]]
                answered = self._answers(fields, values)
                if answered is None:
                    break
                body = self.dispatch(
                    sr.view_submission(
                        view, answered, secret=self.secret, user_id=self.user, team_id=DEMO_TEAM
                    )
                )
            if body.get("response_action") in ("update", "push"):  # the form goes on
                self.views.insert(0, body["view"] | {"id": view.get("id")})

    def _answers(self, fields: list[Field], values: dict[str, Any]) -> dict[str, Any] | None:
        values = dict(values)
        for number, f in enumerate(fields, 1):
            while True:
                answer = self.ask(f"{number}. {f.label}: ").strip()
                if answer == ":avbryt":
                    return None
                try:
                    values[f.block_id] = {f.action_id: state_entry(f, answer)}
                    break
                except ValueError as error:
                    self.print(f"  {error}")
        return values

    # ---------------------------------------------------------------------------- loop

    @property
    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def deliver(self) -> None:
        """What the clock would do now: plan reminders and send what is due."""
        if self.sender is None:
            return
        plan(ClockContext(self.services, self.sender), self.now)  # the clock's own planning
        for _ in range(100):
            if self.sender.sweep(now=self.now).claimed == 0:
                return

    def fast_forward(self, text: str) -> None:
        step = _duration(text)
        if step is None:
            try:
                moment = datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)
            except ValueError:
                self.print("Skriv t.ex. :spola 2d, :spola 3h eller :spola 2026-11-25 08:00")
                return
            step = moment - self.now
        until = self.offset + max(step, timedelta(0))
        while self.offset < until:  # as the clock would: every half hour on the way
            self.offset = min(self.offset + CLOCK_STEP, until)
            self.deliver()
        self.print(f"Klockan är nu {self.now.astimezone(STOCKHOLM):%Y-%m-%d %H:%M} (Stockholm).")

    def handle(self, line: str) -> bool:
        """One line typed at the prompt; False ends the console."""
        line = line.strip()
        keep_going = self._handle(line)
        self.deliver()
        return keep_going

    def _handle(self, line: str) -> bool:
        if line in (":q", ":quit", "exit", "quit"):
            return False
        if line.startswith("/"):
            self.command(line)
        elif line.startswith(":som "):
            self.user = line.split(maxsplit=1)[1]
        elif line.startswith(":kanal "):
            self.channel = line.split(maxsplit=1)[1]
        elif line == ":demo":
            result = load_demo(self.services.db, self.services.groups, now=datetime.now(UTC))
            self.print(f"{result.group.name} är laddad. Du är {self.user} i {self.channel}.")
        elif line in (":demo aktiviteter", ":demo activities"):
            load_demo(self.services.db, self.services.groups, now=datetime.now(UTC))
            made = load_demo_activities(self.services, now=datetime.now(UTC))
            self.print(
                f"{made} aktiviteter laddade: Lucia, julmarknader och vandringar. "
                "Prova /est aktivitet."
            )
        elif line == ":klocka":
            self.print(f"Klockan är {self.now.astimezone(STOCKHOLM):%Y-%m-%d %H:%M} (Stockholm).")
        elif line.startswith(":spola"):
            self.fast_forward(line.removeprefix(":spola").strip())
        elif line[1:].isdigit() and line.startswith(":"):
            self.press(int(line[1:]))
        elif line:
            users = ", ".join(user_id for user_id, *_ in DEMO_MEMBERS)
            self.print(HELP.format(users=users))
        return True

    def loop(self) -> None:
        while True:
            try:
                line = self.ask(f"{self.user} i {self.channel}> ")
                if not self.handle(line):
                    return
            except EOFError:  # input ran out, also in the middle of a form
                return


STOCKHOLM = ZoneInfo("Europe/Stockholm")
CLOCK_STEP = timedelta(minutes=30)
_UNITS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "v": timedelta(weeks=1),
}


def _duration(text: str) -> timedelta | None:
    """'30m', '3h', '2d', '1w' (or '1v' for vecka) → a timedelta; anything else → None."""
    text = text.strip().lower()
    if len(text) >= 2 and text[:-1].isdigit() and text[-1] in _UNITS:
        return int(text[:-1]) * _UNITS[text[-1]]
    return None


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def run_console(
    database_url: str,
    *,
    language: str,
    user: str | None,
    channel: str | None,
    load_demo: bool = False,
) -> int:
    engine = make_engine(database_url)
    upgrade(engine)
    slack = LocalSlack()
    console_ref: list[Console] = []
    slack.on_call = lambda call: console_ref[0].on_call(call) if console_ref else None
    slack.start()
    client = WebClient(token="xoxb-console", base_url=slack.api_url)  # noqa: S106 - the stand-in
    services = Services.build(Database(engine), SlackNotifier(client))
    secret = secrets.token_hex(16)
    app = build_app(
        services=services,
        client=client,
        signing_secret=secret,
        default_language=language,
        process_before_response=True,
    )
    console = Console(
        app, slack, services, secret, user or DEMO_MEMBERS[0][0], channel or DEMO_CHANNEL
    )
    console.sender = OutboxSender(
        services.db,
        SlackTransport(client),
        PREPARERS,
        worker="console",
        on_failure=on_failure,
        prefetch=PREFETCH,
    )
    console_ref.append(console)
    if load_demo:
        console.handle(":demo")
    elif services.groups.locate(DEMO_TEAM, console.channel, console.user).group is None:
        console.print(
            "Ingen EST-grupp här ännu. Skriv :demo för Botkyrka-demon, "
            "eller /est inställningar för att skapa en grupp."
        )
    console.print("EST-bot i konsolen. Skriv /est hjälp, eller : för konsolens kommandon.")
    try:
        console.loop()
    finally:
        slack.stop()
    return 0
