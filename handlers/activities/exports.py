"""`/est export aktivitet N` and `/est export bidrag ÅR`: files sent to the asker by DM.

The lead merges these into the `/est export` router of issue 7 (which dispatches on the first
word): ``EXPORTS`` maps each word to its handler; ``export`` is a stand-alone router for them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import documents
from bot.commands import fold
from bot.errors import BotError, InvalidInput
from bot.evidence_pdf import evidence_pdf
from bot.grant_xlsx import grant_xlsx
from bot.i18n import N_
from handlers.commands.blocks import build_text
from handlers.commands.router import Invocation, error_message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class File:
    name: str
    title: str
    content: bytes


def send_files(client: WebClient, user_id: str, comment: str, files: list[File]) -> None:
    """Upload ``files`` into the person's DM with the bot (files.getUploadURLExternal, the
    upload itself, files.completeUploadExternal — all through files_upload_v2)."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        initial_comment=comment,
        file_uploads=[{"file": f.content, "filename": f.name, "title": f.title} for f in files],
    )


def _number(rest: str, example: str) -> int:
    word = rest.strip().lstrip("#")
    if not word.isdigit():
        raise InvalidInput(N_("Write for example `/est export {example}`.", example=example))
    return int(word)


def export_activity(inv: Invocation, rest: str) -> None:
    activity_id = _number(rest, "aktivitet 17")
    inv.reply(build_text(inv.tr.gettext("Preparing the evidence pack; I send it to you by DM.")))
    pack = inv.services.evidence.activity_pack(inv.actor, activity_id, now=inv.now)
    stem = f"aktivitet-{activity_id}-{inv.now:%Y%m%d-%H%M}"
    files = [
        File(f"{stem}.pdf", f"{pack.activity.title} (PDF)", evidence_pdf(pack)),
        File(f"{stem}.xlsx", f"{pack.activity.title} (XLSX)", documents.evidence_xlsx(pack)),
    ]
    comment = inv.tr.gettext(
        "Evidence pack for activity #{id}: the activity, its motivation, costs, attendance, "
        "follow-up, before/after counts and its audit events.",
        id=activity_id,
    )
    _deliver(inv, comment, files)


def export_grant(inv: Invocation, rest: str) -> None:
    year = _number(rest, "bidrag 2026")
    inv.reply(build_text(inv.tr.gettext("Preparing the grant report; I send it to you by DM.")))
    report = inv.services.evidence.grant_report(inv.actor, year, now=inv.now)
    name = f"bidrag-{year}-{inv.now:%Y%m%d-%H%M}.xlsx"
    comment = inv.tr.gettext(
        "Grant report {year}: activities and costs per funding source and kind, spent against "
        "allocated, and the gaps to close before re-reporting.",
        year=year,
    )
    title = inv.tr.gettext("Grant year {year}", year=year) + " (XLSX)"
    _deliver(inv, comment, [File(name, title, grant_xlsx(report))])


def _deliver(inv: Invocation, comment: str, files: list[File]) -> None:
    try:
        send_files(inv.client, inv.actor.user_id, comment, files)
    except SlackApiError as error:
        log.warning("could not upload an export: %s", error.response.get("error"))
        inv.reply(build_text(inv.tr.gettext("Slack did not take the file. Try again in a while.")))


EXPORTS: dict[str, Callable[[Invocation, str], None]] = {
    "aktivitet": export_activity,
    "activity": export_activity,
    "bidrag": export_grant,
    "grant": export_grant,
}


def export(inv: Invocation) -> None:
    """`/est export <what> …`: dispatch on the first word."""
    word, _, rest = inv.args.strip().partition(" ")
    handler = EXPORTS.get(fold(word))
    if handler is None:
        inv.reply(
            build_text(
                inv.tr.gettext(
                    "Export what? `/est export aktivitet 17` (evidence pack, PDF and XLSX) or "
                    "`/est export bidrag 2026` (grant year report, XLSX)."
                )
            )
        )
        return
    try:
        handler(inv, rest)
    except BotError as error:
        inv.reply(error_message(inv.tr, error))
