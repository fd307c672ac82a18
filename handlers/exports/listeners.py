"""`/est export <vad> …`: files to the requester by DM. The first word picks the export
(``forms.Export``); each export is one entry in ``EXPORTERS``, a function from the invocation and
the rest of the text to the files. Members whose names are not known yet (they joined before
names were kept) are looked up first, after the acknowledgement, so the files name them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands import Sub
from bot.errors import BotError
from bot.exports.formats import ExportFile
from bot.i18n import Translator
from handlers.commands.router import Invocation, Router, error_message
from handlers.exports import forms
from handlers.exports.forms import Export
from handlers.groups.lifecycle import learn_name
from handlers.replies import build_text

log = logging.getLogger(__name__)

Exporter = Callable[[Invocation, str], list[ExportFile]]


def incidents(inv: Invocation, args: str) -> list[ExportFile]:
    return inv.services.exports.incidents(inv.actor, args, now=inv.now)


def yearly_picture(inv: Invocation, args: str) -> list[ExportFile]:
    return inv.services.exports.yearly_picture(inv.actor, args, now=inv.now)


def activity(inv: Invocation, args: str) -> list[ExportFile]:
    return inv.services.exports.activity(inv.actor, args, now=inv.now)


def grant(inv: Invocation, args: str) -> list[ExportFile]:
    return inv.services.exports.grant(inv.actor, args, now=inv.now)


def period_analysis(inv: Invocation, args: str) -> list[ExportFile]:
    return inv.services.exports.period(inv.actor, args, now=inv.now)


EXPORTERS: dict[Export, Exporter] = {
    Export.INCIDENTS: incidents,
    Export.PICTURE: yearly_picture,
    Export.ACTIVITY: activity,
    Export.GRANT: grant,
    Export.ANALYSIS: period_analysis,
}


def export(inv: Invocation) -> None:
    request = forms.export_command(inv.args)
    if request is None:
        inv.reply(build_text(inv.tr.gettext("What should I export?") + "\n" + forms.usages()))
        return
    inv.acknowledge()  # at once: the files may take longer than Slack's three seconds
    _learn_names(inv)
    try:
        files = EXPORTERS[request.export](inv, request.args)
    except BotError as error:
        inv.reply(error_message(inv.tr, error))
        return
    if send(inv, files):
        inv.reply(build_text(inv.tr.gettext("The files are in your direct messages with me.")))


def _learn_names(inv: Invocation) -> None:
    """Members whose names are not known yet are looked up, so the files name them."""
    if inv.actor.group is None:
        return
    for user_id in inv.services.lifecycle.unnamed(inv.actor.group):
        learn_name(inv.client, inv.services, inv.actor.team_id, user_id)


def send(inv: Invocation, files: list[ExportFile]) -> bool:
    """The files in one DM to the person who asked; False (and the person told) if Slack
    refused."""
    if deliver(inv.client, inv.actor.user_id, inv.tr, files):
        return True
    inv.reply(build_text(inv.tr.gettext("The files could not be sent. Try again in a while.")))
    return False


def deliver(client: WebClient, user_id: str, tr: Translator, files: list[ExportFile]) -> bool:
    """The files in one DM to ``user_id``; False if Slack refused (logged)."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            file_uploads=[
                {"content": f.content, "filename": f.filename, "title": f.title} for f in files
            ],
            initial_comment=tr.gettext("Your export: {title}", title=files[0].title),
        )
    except SlackApiError as error:
        log.warning("export to %s failed: %s", user_id, error.response.get("error"))
        return False
    return True


def register(app: App, router: Router) -> None:
    router.route(Sub.EXPORT)(export)
