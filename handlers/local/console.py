"""The console: type `/est …` as in Slack; the bot answers in the terminal.

It drives the same Bolt app through the same dispatch path as Slack (signed requests, the same
listeners). Only the Web API is replaced, by the local stand-in, whose calls are printed here.
Modals become forms filled in at the prompt; buttons, the choices of overflow menus and selects
get numbers you press with `:N`. People are shown and chosen by name.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.clock import PREFETCH, PREPARERS, ClockContext, on_failure, plan
from bot.delivery import OutboxSender
from bot.demo.loader import load_full_demo
from bot.demo.workspace import DEMO_CHANNEL, DEMO_MEMBERS, DEMO_TEAM
from bot.demo.workspace import load_demo as load_workspace
from bot.services import Services
from bot.timekeeping import BotClock, MovableClock
from handlers.bolt import build_app
from handlers.local import slack_requests as sr
from handlers.local.filling import FormFiller
from handlers.local.localslack import ApiCall, LocalSlack
from handlers.local.people import (
    Person,
    add_demo_people,
    channel_id,
    directory,
    identity,
    with_names,
)
from handlers.local.render import render_message, render_view
from handlers.local.targets import Target, Targets
from handlers.notifier import SlackNotifier
from handlers.transport import SlackTransport
from storage.db import Database, make_engine
from storage.migrate import upgrade

HELP = """Konsolen: skriv som i Slack, t.ex. /est hjälp
  :N            tryck på det som har nummer N (en knapp, ett val i en ⋯-meny, en väljare)
  :som Erik     byt användare, med namn eller Slack-id
                ({users})
  :kanal est-botkyrka  byt kanal, med namn eller id (ett id som börjar med D är ett DM)
  :demo         ladda Botkyrka-demon: gruppen, tretton veckors historik, möten och aktiviteter
  :demo tom     bara demogruppen, utan historik: att börja från tomt
  :klocka       visa konsolens klocka
  :spola 2d     spola fram klockan (30m, 3h, 2d, 1w eller 2026-11-25 08:00): påminnelser som
                blir aktuella skickas
  I formulär: tomt svar behåller förvalet, :avbryt avbryter.
  Filer som boten skickar (diagram, exporter) sparas i {files}.
  :q            avsluta"""


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
    clock: MovableClock = field(default_factory=BotClock)  # the same clock as the services'
    files: Path = Path("est-filer")
    people: dict[str, Person] = field(default_factory=dict)
    targets: Targets = field(default_factory=Targets)
    views: list[dict[str, Any]] = field(default_factory=list)
    _responses_seen: int = 0
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _forwarding: bool = False  # during :spola each message says when, in the bot's time, it came
    _pressed: Target | None = None  # what was pressed, while its request is handled

    # ------------------------------------------------------------------ what the bot sends

    def on_call(self, call: ApiCall) -> None:
        """A Web API call the bot made. The clock sends to several people at once, so calls
        arrive on several threads: each is shown whole, and numbered, one after another."""
        with self._lock:
            self._on_call(call)

    def _on_call(self, call: ApiCall) -> None:
        if call.response.get("ok") is False and call.status == 200:  # refused, as Slack would
            why = "; ".join(call.response.get("response_metadata", {}).get("messages", []))
            self.print(f"(Slack vägrade {call.method}: {call.response.get('error')} {why})")
            return
        args = {k: _json(v) for k, v in call.args.items()}
        if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            target = str(args.get("channel", ""))
            where = self._where(target)
            if call.method == "chat.postEphemeral":  # shown in the channel to one person only
                where += f", bara för @{args.get('user', '')}"
            updated = ", uppdaterat" if call.method == "chat.update" else ""
            when = f" · {_stamp(self.now)}" if self._forwarding else ""
            self._show(where + updated + when, args, target, where=where)
        elif call.method in ("views.open", "views.push"):
            self.views.append(args["view"] | {"id": call.response.get("view", {}).get("id")})
        elif call.method == "views.publish":
            view = args["view"] | {"id": call.response.get("view", {}).get("id")}
            number = self.targets.numberer(self.channel, view=view)
            shown = render_view(view, number=number)
            self.print(f"[Hem-fliken för @{args.get('user_id')}]\n{shown}")
        elif call.method == "files.completeUploadExternal" and call.status == 200:
            self._show_files(call)

    def _where(self, channel: str) -> str:
        if channel.startswith("D") and channel[1:] in self.people:
            channel = channel[1:]  # the local Slack's DM channel with a person is D + their id
        return f"DM till @{channel}" if channel.startswith(("U", "W", "D")) else f"#{channel}"

    def _show_files(self, call: ApiCall) -> None:
        """A file the bot uploaded: saved in the console's folder for files, its path printed."""
        self.files.mkdir(parents=True, exist_ok=True)
        said = False  # one upload has one comment, however many files it carries
        for answered in call.response.get("files", []):
            shared = self.slack.files.get(answered["id"])
            if shared is None:
                continue
            path = _free_path(self.files / Path(shared.name).name, shared.content)
            path.write_bytes(shared.content)
            where = self._where(shared.channel or "") + (", i tråden" if shared.thread_ts else "")
            comment = f"{shared.initial_comment}\n" if shared.initial_comment and not said else ""
            said = True
            self.print(f"[{where}]\n{comment}📎 {shared.name}: {path}")

    def _show(
        self, shown: str, message: dict[str, Any], channel: str, where: str | None = None
    ) -> None:
        """A message under its heading `shown`; `where` it is (if the heading says more), for
        what replaces it. A message the bot posts to a person (channel U…) lands in their DM
        with the bot, and what is pressed there comes from that DM's channel (D…), as in Slack."""
        dm = channel.startswith(("U", "W"))
        number = self.targets.numberer(
            "D" + channel if dm else channel, message=message, where=where or shown
        )
        self.print(f"[{shown}]\n{render_message(message, number=number)}")

    def print(self, text: str) -> None:
        with self._lock:
            print(with_names(text, self.people), file=self.out, flush=True)

    # --------------------------------------------------------------- what the person does

    def dispatch(self, request: sr.SignedRequest) -> dict[str, Any]:
        body = self.send(request)
        if body.get("text") or body.get("blocks"):
            self._show("bara för dig", body, self.channel)
        self._show_responses()
        return body

    def send(self, request: sr.SignedRequest) -> dict[str, Any]:
        """One request to the bot, as Slack would send it; its answer (the acknowledgement)."""
        response = self.app.dispatch(
            BoltRequest(body=request.body.decode(), headers=dict[str, Any](request.headers))
        )
        if response.status >= 400:
            self.print(f"(Slack skulle ha visat ett fel: boten svarade HTTP {response.status})")
        answer = json.loads(response.body) if response.body.startswith("{") else {}
        return answer if isinstance(answer, dict) else {}

    def _show_responses(self) -> None:
        """What the bot posted to the response_url: a new message only for the person, one in
        the channel, or the pressed message replaced (where it was) or deleted."""
        for _url, message in self.slack.response_urls[self._responses_seen :]:
            self._responses_seen += 1
            pressed = self._pressed
            if message.get("delete_original"):
                self.print("(meddelandet togs bort)")
            elif message.get("replace_original") is True and pressed is not None:
                where = pressed.where or "#" + pressed.channel
                self._show(f"{where}, ersatt", message, pressed.channel, where=where)
            elif message.get("response_type") == "in_channel":
                self._show(f"#{self.channel}", message, self.channel)
            else:
                self._show("bara för dig", message, self.channel)

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
        self.fill_views()

    def press(self, number: int, answer: str = "") -> None:
        target = self.targets.get(number)
        if target is None:
            self.print(f"Det finns inget nummer {number} att trycka på.")
            return
        chosen = self.forms().choose(target, answer)
        if chosen is None:
            return
        self._pressed = target
        try:
            self.dispatch(self._action(target, chosen))
        finally:
            self._pressed = None
        self.fill_views()

    def _action(self, target: Target, chosen: dict[str, Any]) -> sr.SignedRequest:
        element = target.element
        return sr.block_action(
            str(element.get("action_id", "")),
            element.get("value") if target.kind == "button" else None,
            secret=self.secret,
            user_id=self.user,
            channel_id=target.channel,
            team_id=DEMO_TEAM,
            block_id=target.block_id,
            view=target.view,
            message=target.message,
            response_url=self.slack.response_url(),
            action_fields=chosen,
        )

    def forms(self) -> FormFiller:
        return FormFiller(self)

    def fill_views(self) -> None:
        while self.views:
            self.forms().fill(self.views.pop(0))

    # ---------------------------------------------------------------------------- loop

    @property
    def now(self) -> datetime:
        return self.clock.now()

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
        left = max(step, timedelta(0))
        self._forwarding = True
        try:
            while left > timedelta(0):  # as the clock would: every half hour on the way
                self.clock.advance(min(CLOCK_STEP, left))
                left -= CLOCK_STEP
                self.deliver()
        finally:
            self._forwarding = False
        self.print(f"Klockan är nu {self.now.astimezone(STOCKHOLM):%Y-%m-%d %H:%M} (Stockholm).")

    def become(self, who: str) -> None:
        """`:som Erik` or `:som U0ERIK`: act as that person, and say who that is here."""
        try:
            self.user = self.forms().person(who)
        except ValueError as error:
            known = "\n".join(f"  {n}) {p.label}" for n, p in enumerate(self.people.values(), 1))
            self.print(f"{error}\n{known}" if known else str(error))
            return
        actor = self.services.groups.locate(DEMO_TEAM, self.channel, self.user)
        self.print(identity(actor, self.people.get(self.user)))

    def handle(self, line: str) -> bool:
        """One line typed at the prompt; False ends the console."""
        line = line.strip()
        keep_going = self._handle(line)
        self.deliver()
        return keep_going

    def load_demo(self, *, history: bool = True) -> None:
        """The whole demo, relative to the console's clock: the workspace and its history;
        without ``history``, the workspace alone (an empty group to start from)."""
        if history:
            loaded = load_full_demo(self.services, now=self.now)
            group, incidents = loaded.workspace.group.name, loaded.incidents
        else:
            group = load_workspace(self.services.db, self.services.groups, now=self.now).group.name
            incidents = 0
        self.print(f"{group} är laddad. Du är @{self.user} i #{self.channel}.")
        if incidents:
            self.print(
                f"Med historik: {incidents} händelser de senaste tretton veckorna, "
                "lägesrapporter, två stängda möten med åtgärder och aktiviteter. "
                "Prova /est lägesbild, /est sammanfattning eller /est åtgärd försenade."
            )

    def _handle(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        if line in (":q", ":quit", "exit", "quit"):
            return False
        if line.startswith("/"):
            self.command(line)
        elif word == ":som" and rest:
            self.become(rest.strip())
        elif word == ":kanal" and rest:
            self.channel = channel_id(rest)
        elif line in (":demo", ":demo aktiviteter", ":demo activities"):
            self.load_demo()
        elif line in (":demo tom", ":demo empty"):
            self.load_demo(history=False)
        elif line == ":klocka":
            self.print(f"Klockan är {self.now.astimezone(STOCKHOLM):%Y-%m-%d %H:%M} (Stockholm).")
        elif word == ":spola":
            self.fast_forward(rest.strip())
        elif word[1:].isdigit() and word.startswith(":"):
            self.press(int(word[1:]), rest.strip())
        elif line:
            users = ", ".join(p.name for p in self.people.values()) or "U…"
            self.print(HELP.format(users=users, files=self.files))
        return True

    @property
    def prompt(self) -> str:
        person = self.people.get(self.user)
        return with_names(f"{person.name if person else self.user} i #{self.channel}> ", {})

    def loop(self) -> None:
        while True:
            try:
                line = self.ask(self.prompt)
                if not self.handle(line):
                    return
            except EOFError:  # input ran out, also in the middle of a form
                return


STOCKHOLM = ZoneInfo("Europe/Stockholm")
CLOCK_STEP = timedelta(minutes=30)


def _stamp(at: datetime) -> str:
    """'tis 8 dec. 08:00': when a message came, in the bot's time, said as in Slack's margin."""
    return format_datetime(at.astimezone(STOCKHOLM), "EEE d MMM HH:mm", locale="sv_SE")


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


def _free_path(path: Path, content: bytes) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext` … when a different file already has that name."""
    candidate, n = path, 1
    while candidate.exists() and candidate.read_bytes() != content:
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _echoing(stdin: TextIO, out: TextIO) -> Callable[[str], str]:
    """A prompt for input that is not a terminal: what was read is written after the prompt,
    so the output reads as the session did."""

    def ask(prompt: str) -> str:
        line = stdin.readline()
        if not line:
            raise EOFError
        print(prompt + line.rstrip("\n"), file=out, flush=True)
        return line

    return ask


def build_console(
    database_url: str,
    *,
    language: str,
    files: Path,
    user: str | None = None,
    channel: str | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    clock: MovableClock | None = None,
) -> Console:
    """The console on this database, with its local Slack started (stop it with
    ``console.slack.stop()``). Read from ``stdin`` (when it is not a terminal, what was read is
    echoed after the prompt), written to ``out``."""
    engine = make_engine(database_url)
    upgrade(engine)
    slack = LocalSlack()
    add_demo_people(slack)
    console_ref: list[Console] = []
    slack.on_call = lambda call: console_ref[0].on_call(call) if console_ref else None
    slack.start()
    client = WebClient(token="xoxb-console", base_url=slack.api_url)  # noqa: S106 - the stand-in
    clock = clock or BotClock()
    services = Services.build(Database(engine), SlackNotifier(client), clock)
    secret = secrets.token_hex(16)
    app = build_app(
        services=services,
        client=client,
        signing_secret=secret,
        default_language=language,
        process_before_response=True,
    )
    stdin, out = stdin or sys.stdin, out or sys.stdout
    console = Console(
        app,
        slack,
        services,
        secret,
        user or DEMO_MEMBERS[0][0],
        channel or DEMO_CHANNEL,
        out=out,
        ask=input if stdin is sys.stdin and stdin.isatty() else _echoing(stdin, out),
        files=files,
        people=directory(client),
        clock=clock,
    )
    console.sender = OutboxSender(
        services.db,
        SlackTransport(client),
        PREPARERS,
        worker="console",
        on_failure=on_failure,
        prefetch=PREFETCH,
        rate=clock.rate,
    )
    console_ref.append(console)
    return console


def run_console(
    database_url: str,
    *,
    language: str,
    files: Path,
    user: str | None,
    channel: str | None,
    load_demo: bool = False,
    clock: MovableClock | None = None,
) -> int:
    console = build_console(
        database_url, language=language, files=files, user=user, channel=channel, clock=clock
    )
    if load_demo:
        console.handle(":demo")
    elif console.services.groups.locate(DEMO_TEAM, console.channel, console.user).group is None:
        console.print(
            "Ingen EST-grupp här ännu. Skriv :demo för Botkyrka-demon, "
            "eller /est inställningar för att skapa en grupp."
        )
    console.print("EST-bot i konsolen. Skriv /est hjälp, eller : för konsolens kommandon.")
    try:
        console.loop()
    finally:
        console.slack.stop()
    return 0
