"""An administrator's spreadsheet in the bot's DM: the same report as `python app.py import
händelser FIL --dry-run`, with an "Importera" button that imports it.

The file is fetched from its ``url_private`` with the bot token — only from Slack's own hosts
(the Web API's, or files.slack.com), never sending the token elsewhere — after its size is
checked, into a temporary file that is gone when the answer is sent. The button carries the
file id and the group's channel; pressing it fetches the file again (files.info) and imports it,
after the same administrator check on the server.
"""

from __future__ import annotations

import tempfile
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient

from bot.actors import Actor
from bot.errors import BotError, InvalidInput
from bot.i18n import N_, Translator, translator
from bot.incidents.imports.reading import MAX_BYTES, check_size
from bot.incidents.imports.report import ImportReport, render
from bot.incidents.imports.service import ImportRequest
from bot.services import Services
from handlers.blockkit import actions, button
from handlers.commands.router import error_message
from handlers.ids import Action, Block
from handlers.interactions import Press, pressed
from handlers.replies import Message
from handlers.text import escape

SECTION_LIMIT = 2900  # Slack: 3000 characters a section


def file_shared(
    event: dict[str, Any], say: Say, client: WebClient, context: BoltContext, services: Services
) -> None:
    """A file in the bot's DM: the dry run's report, and the button when there is anything."""
    actor = services.groups.locate(context.team_id or "", "", str(event.get("user", "")))
    tr = translator(actor.language or context.get("default_language"))
    file = (event.get("files") or [{}])[0]
    try:
        report = run_import(services, client, actor, file, dry_run=True)
    except BotError as error:
        say(**error_message(tr, error))
        return
    say(**build_import_report(tr, report, file_id=str(file.get("id", "")), group=actor))


def import_pressed(press: Press) -> None:
    file = press.client.files_info(file=press.action["value"].partition("|")[0])["file"]
    report = run_import(press.services, press.client, press.actor, file, dry_run=False)
    press.replace(build_import_report(press.tr, report, file_id="", group=press.actor))


def run_import(
    services: Services, client: WebClient, actor: Actor, file: dict[str, Any], *, dry_run: bool
) -> ImportReport:
    check_size(int(file.get("size") or 0))
    name = str(file.get("name") or "fil.csv")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / ("upload" + Path(name).suffix.lower())
        download(str(file.get("url_private", "")), client, path)
        request = ImportRequest(path, name=name, source=name)
        return services.imports.import_as(actor, request, dry_run=dry_run, now=services.clock.now())


def download(url: str, client: WebClient, path: Path) -> None:
    """The file, with the bot token, from Slack's own hosts only; at most MAX_BYTES."""
    host = urlsplit(url).hostname or ""
    if host not in (urlsplit(client.base_url).hostname, "files.slack.com"):
        raise InvalidInput(N_("The file could not be fetched from Slack; share it again."))
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})  # noqa: S310 - Slack's host, checked above
    with urllib.request.urlopen(request, timeout=30) as response, path.open("wb") as out:  # noqa: S310
        data = response.read(MAX_BYTES + 1)
        out.write(data)
    check_size(len(data))


def build_import_report(
    tr: Translator, report: ImportReport, *, file_id: str, group: Actor
) -> Message:
    lines = render(report, tr, escape)
    text = "\n".join(lines)
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 2].rsplit("\n", 1)[0] + "\n…"
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if file_id and report.imported:
        label = tr.ngettext("Import {n} incident", "Import {n} incidents", report.imported)
        value = f"{file_id}|{group.group.channel_id if group.group else ''}"
        blocks.append(
            actions(
                block_id=Block.IMPORT_FILE,
                elements=[
                    button(label, action_id=Action.IMPORT_FILE, value=value, style="primary")
                ],
            )
        )
    return {"text": lines[0][:150], "blocks": blocks}


def register(app: App) -> None:
    app.action(Action.IMPORT_FILE)(
        pressed(import_pressed, lambda payload: payload["value"].partition("|")[2] or None)
    )
