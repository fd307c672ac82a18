"""Personal reporting links: an admin makes one per reporter outside Slack, lists and revokes
them; the web form finds its reporter by the link's token.

Only a hash of the token is stored (SHA-256: the token is random, 192 bits, so no salt or slow
hash is needed), so the link is shown once, to the admin who made it. A web reporter acts as a
``rapportör`` of the link's organisation, as ``webb:<id>`` in the incidents and the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.actors import Actor, EstGroup, Membership, Party
from bot.commands import fold
from bot.errors import NotFound
from bot.groups.service import find_organisation
from bot.i18n import N_
from bot.rules import clean_name, require
from storage.db import Database
from storage.models import Organisation, ReporterLink, Role
from storage.repositories import UnitOfWork, snapshot

WEB_PREFIX = "webb:"  # a web reporter's "user id" in incidents and the audit log
MAX_TOKEN = 64
RATE_WINDOW = timedelta(minutes=10)
RATE_LIMIT = 30  # requests per link and window: a phone needs a handful


@dataclass(frozen=True)
class LinkView:
    id: int
    name: str
    organisation: str
    created_at: datetime
    created_by: str
    feedback: bool


@dataclass(frozen=True)
class CreatedLink:
    link: LinkView
    token: str  # shown once: only its hash is kept


@dataclass(frozen=True)
class WebReporter:
    """The reporter behind a link, as the web form acts for them."""

    link_id: int
    name: str
    form_key: str
    feedback: bool
    actor: Actor


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def web_user(link_id: int) -> str:
    return f"{WEB_PREFIX}{link_id}"


def _view(row: ReporterLink, org: Organisation) -> LinkView:
    assert row.id is not None
    return LinkView(row.id, row.name, org.name, row.created_at, row.created_by, row.feedback)


def _split(uow: UnitOfWork, group_id: int, text: str) -> tuple[str, Organisation | None]:
    """'Nattvandrarna Fittja; Botkyrka kommun' or 'Sara Botkyrkabyggen' → (name, organisation):
    after a semicolon, or the longest run of last words that is an organisation's name."""
    if ";" in text:
        name, typed = (p.strip() for p in text.split(";", 1))
        return name, find_organisation(uow, group_id, typed) if typed else None
    words = text.split()
    names = {fold(o.name): o for o in uow.organisations.of_group(group_id)}
    for cut in range(1, len(words)):
        if (org := names.get(fold(" ".join(words[cut:])))) is not None:
            return " ".join(words[:cut]), org
    return text.strip(), None


class ReporterLinks:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, actor: Actor, text: str, *, now: datetime) -> CreatedLink:
        """`/est rapportör länk <namn> [organisation]` (admins): a new personal link; the
        organisation is the admin's own when none is named."""
        group = require(actor, Role.ADMIN)
        assert actor.member is not None
        with self.db.unit_of_work() as uow:
            typed, org = _split(uow, group.id, text)
            name = clean_name(typed, "name")
            org = org or uow.organisations.get(actor.member.organisation.id)
            assert org is not None and org.id is not None
            token = secrets.token_urlsafe(24)
            row = uow.reporter_links.add(
                ReporterLink(
                    group_id=group.id,
                    name=name,
                    organisation_id=org.id,
                    token_hash=token_hash(token),
                    form_key=secrets.token_hex(32),
                    created_by=actor.user_id,
                    created_at=now,
                )
            )
            _audit(uow, "reporter_link.created", row, actor.user_id, now, None)
            return CreatedLink(_view(row, org), token)

    def list(self, actor: Actor) -> tuple[LinkView, ...]:
        """The group's live links, oldest first (admins)."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work(read_only=True) as uow:
            orgs = {o.id: o for o in uow.organisations.of_group(group.id)}
            rows = uow.reporter_links.of_group(group.id)
            return tuple(_view(r, orgs[r.organisation_id]) for r in rows)

    def revoke(self, actor: Actor, ref: str, *, now: datetime) -> LinkView:
        """`/est rapportör återkalla <namn|N>` (admins): the link stops working at once."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work() as uow:
            rows = uow.reporter_links.of_group(group.id)
            key = fold(" ".join(ref.split()).lstrip("#"))
            found = [r for r in rows if str(r.id) == key or fold(r.name) == key]
            if len(found) != 1:
                raise NotFound(
                    N_(
                        "No live reporting link “{ref}”. `/est rapportör` lists them.",
                        ref=ref,
                    )
                )
            row = found[0]
            before = _public(row)
            row.revoked_at, row.revoked_by = now, actor.user_id
            uow.reporter_links.save(row)
            _audit(uow, "reporter_link.revoked", row, actor.user_id, now, before)
            org = uow.organisations.get(row.organisation_id)
            assert org is not None
            return _view(row, org)

    def set_own_feedback(self, actor: Actor, on: bool, *, now: datetime) -> bool:
        """`/est rapportör återkoppling av|på` (or the DM's button): the person's own monthly
        feedback DM, off or on again; any active member or reporter may."""
        group = require(actor, Role.RAPPORTOR)
        assert actor.member is not None
        with self.db.unit_of_work() as uow:
            member = uow.members.get(actor.member.id)
            assert member is not None and member.group_id == group.id
            before = snapshot(member)
            member.feedback, member.updated_at = on, now
            uow.members.add(member)
            uow.audit.record_row(
                "member.changed", member, actor=actor.user_id, at=now, before=before
            )
        return on

    def reporter(self, token: str) -> WebReporter | None:
        """The live link's reporter for ``token``; None for an unknown or revoked one."""
        if not token or len(token) > MAX_TOKEN:
            return None
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.reporter_links.by_hash(token_hash(token))
            if row is None or row.revoked_at is not None or row.id is None:
                return None
            group, org = uow.groups.get(row.group_id), uow.organisations.get(row.organisation_id)
            if group is None or org is None or group.archived_at is not None:
                return None
            return _web_reporter(row, EstGroup.of(group), Party.of(org))

    def revoked(self, token: str) -> bool:
        """Whether ``token`` was a link that has been revoked (410, not 404)."""
        if not token or len(token) > MAX_TOKEN:
            return False
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.reporter_links.by_hash(token_hash(token))
            return row is not None and row.revoked_at is not None

    def hit(self, reporter: WebReporter, *, now: datetime) -> float:
        """Count a request; 0 when within the limit, else the seconds until the next window."""
        with self.db.unit_of_work() as uow:
            hits, start = uow.reporter_links.hit(reporter.link_id, now=now, window=RATE_WINDOW)
        if hits <= RATE_LIMIT:
            return 0.0
        return max((start + RATE_WINDOW - now).total_seconds(), 1.0)

    def set_feedback(self, reporter: WebReporter, on: bool, *, now: datetime) -> None:
        """The web reporter switches the monthly feedback on or off."""
        with self.db.unit_of_work() as uow:
            row = uow.reporter_links.get(reporter.link_id)
            assert row is not None
            before = _public(row)
            row.feedback = on
            uow.reporter_links.save(row)
            _audit(uow, "reporter_link.changed", row, reporter.actor.user_id, now, before)


def _public(row: ReporterLink) -> dict[str, object]:
    """The link as the audit log keeps it: never the token's hash or the form key."""
    return {
        "name": row.name,
        "organisation_id": row.organisation_id,
        "feedback": row.feedback,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


def _audit(
    uow: UnitOfWork,
    action: str,
    row: ReporterLink,
    actor: str,
    now: datetime,
    before: dict[str, object] | None,
) -> None:
    uow.audit.record(
        action,
        entity="reporter_link",
        entity_id=row.id,
        actor=actor,
        at=now,
        group_id=row.group_id,
        before=before,
        after=_public(row),
    )


def _web_reporter(row: ReporterLink, group: EstGroup, org: Party) -> WebReporter:
    assert row.id is not None
    user = web_user(row.id)
    member = Membership(0, user, org, Role.RAPPORTOR, "active", group.language)
    actor = Actor(group.team_id, user, group.channel_id, group, member)
    return WebReporter(row.id, row.name, row.form_key, row.feedback, actor)
