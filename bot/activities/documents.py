"""Documents behind an activity (contracts, invoices, permits), each with its own date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.activities.results import DOCUMENT_KINDS, FiledDocument, filed_document
from bot.activities.service import changeable
from bot.actors import Actor
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.rules import check_text, require
from storage.db import Database
from storage.models import ActivityDocument, Role
from storage.repositories import snapshot


@dataclass(frozen=True)
class DocumentDraft:
    kind: str
    title: str
    document_date: date | None
    reference: str = ""


class DocumentService:
    """Documents behind an activity: a contract's signing date, not its print date, is what an
    auditor asks for; registering one records the server time apart from it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, actor: Actor, activity_id: int, draft: DocumentDraft, *, now: datetime
    ) -> FiledDocument:
        group = require(actor, Role.MEDLEM)
        if draft.kind not in DOCUMENT_KINDS:
            raise InvalidInput(
                N_("Choose a kind of document: {kinds}.", kinds=", ".join(DOCUMENT_KINDS)),
                field="kind",
            )
        title = check_text(" ".join(draft.title.split()), "title", 200)
        if not title:
            raise InvalidInput(N_("Name the document."), field="title")
        reference = check_text(draft.reference, "reference", 300)
        today = now.astimezone(ZoneInfo(group.timezone)).date()
        if draft.document_date is None or draft.document_date > today:
            raise InvalidInput(
                N_("Give the date the document was signed or issued (not a future date)."),
                field="date",
            )
        with self.db.unit_of_work() as uow:
            changeable(uow, actor, group.id, activity_id)
            row = uow.documents.add(
                ActivityDocument(
                    group_id=group.id,
                    activity_id=activity_id,
                    kind=draft.kind,
                    title=title,
                    document_date=draft.document_date,
                    reference=reference,
                    created_by=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            uow.audit.record_row("document.created", row, actor=actor.user_id, at=now)
            return filed_document(row)

    def move(
        self, actor: Actor, document_id: int, to_activity: int, reason: str, *, now: datetime
    ) -> FiledDocument:
        """File a document under another activity: only with a reason, which the audit keeps."""
        group = require(actor, Role.MEDLEM)
        reason = check_text(reason, "reason", 500)
        if not reason:
            raise InvalidInput(
                N_("Say why the document moves to another activity."), field="reason"
            )
        with self.db.unit_of_work() as uow:
            row = uow.documents.get(document_id)
            if row is None or row.group_id != group.id:
                raise NotFound(N_("No document #{id} in this group.", id=document_id))
            if row.activity_id == to_activity:
                raise InvalidInput(
                    N_("The document already belongs to activity #{id}.", id=to_activity)
                )
            changeable(uow, actor, group.id, row.activity_id)
            changeable(uow, actor, group.id, to_activity)
            before = snapshot(row)
            row.activity_id, row.updated_at = to_activity, now
            uow.documents.save(row)
            uow.audit.record_row(
                "document.moved",
                row,
                actor=actor.user_id,
                at=now,
                before=before,
                extra={"reason": reason},
            )
            return filed_document(row)
