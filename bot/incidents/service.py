"""Incidents per place: log, list, correct, delete — each change a version and an audit event."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.actors import Actor, EstGroup
from bot.commands import fold
from bot.errors import BotError, Forbidden, InvalidInput, NotFound
from bot.i18n import N_, LazyText
from bot.incidents import hotspots
from bot.incidents.categories import IncidentCategory, match_category, seed_defaults
from bot.incidents.results import IncidentList, LoggedIncident, logged_incident
from bot.notifier import Notifier
from bot.places.service import resolve, resolve_area
from bot.privacy import ensure_no_personal_data
from bot.recording import Kind, check_time, window
from bot.rules import require, require_reporting
from bot.timeparse import Period, explain_when, read_when
from storage.db import Database
from storage.errors import Conflict
from storage.models import Incident, IncidentVersion, Persistence, Place, Role
from storage.repositories import UnitOfWork, snapshot

MAX_DESCRIPTION = 3000
RESTRICTED_WORDS = frozenset({"begransad", "restricted"})
PAGE_SIZE = 15


@dataclass(frozen=True)
class IncidentDraft:
    """What a person asked to save, before anything is checked."""

    place: str
    category: str
    description: str = ""
    place_id: int | None = None  # chosen from a list: no guessing needed
    when: str = ""  # typed Swedish time; empty = now (or `occurred_at`)
    occurred_at: datetime | None = None  # from the modal's pickers
    persistence: str | None = None
    source_channel: str | None = None
    source_ts: str | None = None
    source_link: str | None = None
    idempotency_key: str | None = None
    allow_duplicate: bool = False
    restricted: bool = False  # begränsad: only the reporter's organisation sees the text


class DuplicateMessage(BotError):
    """The message was logged before; the person must confirm a second incident."""

    def __init__(self, incident_id: int) -> None:
        super().__init__(
            N_(
                "This message is already logged as incident #{id}. Tick “Log it "
                "again” to save another one.",
                id=incident_id,
            )
        )
        self.incident_id = incident_id
        self.field = "duplicate"


def parse_quick(text: str) -> IncidentDraft:
    """`place; category; description; when; persistence` — the last three optional; a last
    field "begränsad" (or "restricted") keeps the text within the reporter's organisation."""
    parts = [p.strip() for p in text.split(";")]
    restricted = len(parts) > 2 and fold(parts[-1]) in RESTRICTED_WORDS
    if restricted:
        parts = parts[:-1]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise InvalidInput(
            N_(
                "Write: place; category; description; when — e.g. `/est händelse "
                "Fittja centrum; narkotikaförsäljning; Öppen försäljning vid tunnelbanan; "
                "igår 21:30`. Or type `/est händelse` alone for a form."
            )
        )
    if len(parts) > 5:
        parts = [*parts[:2], "; ".join(parts[2:-2]), *parts[-2:]]
    description, when, persistence = [*parts[2:], "", "", ""][:3]
    return IncidentDraft(
        parts[0],
        parts[1],
        description=description,
        when=when,
        persistence=persistence or None,
        restricted=restricted,
    )


def parse_persistence(value: str | None) -> str | None:
    if not value:
        return None
    for option in Persistence:
        if fold(value) in (fold(option.value), fold(option.value)[:3]):
            return option.value
    raise InvalidInput(
        N_("Write ny, återkommande or befäst (“{value}” is none of them).", value=value),
        field="persistence",
    )


def check_description(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            N_(
                "The description is too long ({n} characters; at most {max}).",
                n=len(text),
                max=MAX_DESCRIPTION,
            ),
            field="description",
        )
    ensure_no_personal_data(text, field="description")
    return text


def occurred(
    draft: IncidentDraft, *, now: datetime, group: EstGroup, unchanged: datetime | None = None
) -> datetime:
    """When it happened: typed text, or the pickers' time — within the recording window (the
    open grant years, from the group's start, never in the future). A correction that keeps
    the time (``unchanged``) is not checked again: the window may have closed since."""
    tz, typed = ZoneInfo(group.timezone), draft.when if draft.occurred_at is None else ""
    at = draft.occurred_at or read_when(draft.when, now=now, tz=tz)
    if unchanged is not None and at == unchanged:
        return at
    win = window(now, tz, group.started_on)
    return check_time(at, win, Kind.INCIDENT, typed=typed)


def _place(uow: UnitOfWork, actor: Actor, group_id: int, draft: IncidentDraft) -> Place:
    if draft.place_id is None:
        return resolve(uow, actor, group_id, draft.place)
    row = uow.places.get(draft.place_id)
    if row is None or row.group_id != group_id or not row.active:
        raise NotFound(N_("That place is not in this group's register any more."))
    return row


def _readable(uow: UnitOfWork, actor: Actor, group_id: int, incident_id: int) -> Incident:
    """The incident, if it is in the group and the actor may read its text (begränsad)."""
    row = uow.incidents.get(incident_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No incident #{id} in this group.", id=incident_id))
    if is_reporter(actor) and row.reporter_user_id != actor.user_id:  # as if it were not there
        raise NotFound(N_("No incident #{id} in this group.", id=incident_id))
    mine = actor.member is not None and actor.member.organisation.id == row.organisation_id
    if row.restricted and not mine:
        raise Forbidden(
            N_(
                "Incident #{id} is restricted: only the reporting organisation sees its text. "
                "It is counted in the figures per place and category.",
                id=incident_id,
            )
        )
    return row


def is_reporter(actor: Actor) -> bool:
    """A rapportör: sees the incidents they reported, and nothing else of the group."""
    return actor.member is not None and actor.member.role == Role.RAPPORTOR


def _totals(counted: list[tuple[int, int, int]]) -> tuple[dict[int, int], dict[int, int]]:
    """Per category and per place, most first (ties by id, so the order is stable)."""
    per_category: Counter[int] = Counter()
    per_place: Counter[int] = Counter()
    for place, category, n in counted:
        per_category[category] += n
        per_place[place] += n

    def ranked(totals: Counter[int]) -> dict[int, int]:
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    return ranked(per_category), ranked(per_place)


@dataclass(frozen=True)
class Logged:
    incident: LoggedIncident
    created: bool  # False when the same submission had already been saved
    reading: LazyText | None = None  # what a part of the day ("i natt") was read as


@dataclass(frozen=True)
class Understood:
    """A draft that passed every check, with what it means; only the writes are left."""

    draft: IncidentDraft
    place_id: int
    category: IncidentCategory | None  # None: the group has no categories yet (seeded on save)
    occurred_at: datetime
    description: str
    persistence: str | None
    reading: LazyText | None = None


class IncidentService:
    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    def log(self, actor: Actor, draft: IncidentDraft, *, now: datetime) -> Logged:
        understood = self.understand(actor, draft, now=now)
        if isinstance(understood, Logged):
            return understood
        return self.save(actor, understood, now=now)

    def understand(
        self, actor: Actor, draft: IncidentDraft, *, now: datetime
    ) -> Understood | Logged:
        """Every check that can refuse the draft, in a read transaction: what it means, or what
        was logged for it before. Only writes are left for `save`, so a listener can
        acknowledge Slack in between, however long the write lock takes."""
        group = require_reporting(actor)
        assert actor.member is not None
        description = check_description(draft.description)
        persistence = parse_persistence(draft.persistence)
        at = occurred(draft, now=now, group=group)
        with self.db.unit_of_work(read_only=True) as uow:
            if earlier := self._logged_before(uow, group.id, draft):
                return earlier
            place = _place(uow, actor, group.id, draft)
            assert place.id is not None
            seeded = [IncidentCategory.of(r) for r in uow.categories.of_group(group.id)]
            category = match_category(draft.category, seeded) if seeded else None
        reading = explain_when(draft.when, tz=ZoneInfo(group.timezone), at=at)
        reading = None if draft.occurred_at is not None else reading
        return Understood(draft, place.id, category, at, description, persistence, reading)

    def save(self, actor: Actor, understood: Understood, *, now: datetime) -> Logged:
        """Write what `understand` made of a draft: the incident, its version, its audit event.
        The same form saved twice at once is stored once; the second gets the first."""
        try:
            return self._save(actor, understood, now=now)
        except Conflict:  # a twin with the same idempotency key committed first
            with self.db.unit_of_work(read_only=True) as uow:
                group = require_reporting(actor)
                if earlier := self._logged_before(uow, group.id, understood.draft):
                    return earlier
            raise

    def _save(self, actor: Actor, understood: Understood, *, now: datetime) -> Logged:
        group = require_reporting(actor)
        assert actor.member is not None
        draft, category = understood.draft, understood.category
        with self.db.unit_of_work() as uow:
            if earlier := self._logged_before(uow, group.id, draft):  # a twin got in first
                return earlier
            if category is None:  # a group made before categories existed: seed, then match
                category = self._category(uow, actor, group.id, draft.category, now)
            row = uow.incidents.add(
                Incident(
                    group_id=group.id,
                    place_id=understood.place_id,
                    category_id=category.id,
                    occurred_at=understood.occurred_at,
                    description=understood.description,
                    restricted=draft.restricted,
                    persistence=understood.persistence,
                    reporter_user_id=actor.user_id,
                    organisation_id=actor.member.organisation.id,
                    source_channel=draft.source_channel,
                    source_ts=draft.source_ts,
                    source_link=draft.source_link,
                    idempotency_key=draft.idempotency_key,
                    created_at=now,
                    updated_at=now,
                )
            )
            notes = hotspots.check(uow, group, row, now=now)
            view = logged_incident(uow, row)
            # last: the audit chain's head stays locked from here to the commit
            self._version(uow, row, actor, now, None, "incident.created")
        for note in notes:
            self.notifier.notify(note)
        return Logged(view, created=True, reading=understood.reading)

    def understand_text(
        self,
        actor: Actor,
        text: str,
        *,
        place_id: int | None = None,
        category_id: int | None = None,
        now: datetime,
    ) -> Understood | Logged:
        """Quick syntax: membership is checked before the text, so strangers learn how to join.
        ``place_id`` and ``category_id`` are what the person chose when asked which one."""
        require_reporting(actor)
        draft = parse_quick(text)
        if place_id is not None:
            draft = replace(draft, place_id=place_id)
        if category_id is not None:
            draft = replace(draft, category=f"#{category_id}")
        return self.understand(actor, draft, now=now)

    def log_text(
        self, actor: Actor, text: str, *, place_id: int | None = None, now: datetime
    ) -> Logged:
        understood = self.understand_text(actor, text, place_id=place_id, now=now)
        if isinstance(understood, Logged):
            return understood
        return self.save(actor, understood, now=now)

    def correct(
        self, actor: Actor, incident_id: int, draft: IncidentDraft, *, now: datetime
    ) -> LoggedIncident:
        """The reporter or an admin changes an incident: a new version, never an overwrite."""
        group = require_reporting(actor)
        description = check_description(draft.description)
        persistence = parse_persistence(draft.persistence)
        with self.db.unit_of_work() as uow:
            row = self._editable(uow, actor, group.id, incident_id)
            at = occurred(draft, now=now, group=group, unchanged=row.occurred_at)
            before = snapshot(row)
            row.place_id = _place(uow, actor, group.id, draft).id or row.place_id
            row.category_id = self._category(uow, actor, group.id, draft.category, now).id
            row.occurred_at, row.description, row.persistence = at, description, persistence
            row.restricted = draft.restricted
            row.version, row.updated_at = row.version + 1, now
            self._version(uow, row, actor, now, before, "incident.changed")
            return logged_incident(uow, row)

    def delete(
        self, actor: Actor, incident_id: int, *, reason: str, now: datetime
    ) -> LoggedIncident:
        group = require_reporting(actor)
        reason = " ".join(reason.split())
        with self.db.unit_of_work() as uow:
            row = self._editable(uow, actor, group.id, incident_id)  # may they? before why
            if not reason:
                raise InvalidInput(N_("Say why the incident is deleted."), field="reason")
            ensure_no_personal_data(reason, field="reason")
            before = snapshot(row)
            row.deleted_at, row.delete_reason = now, reason[:500]
            row.version, row.updated_at = row.version + 1, now
            self._version(uow, row, actor, now, before, "incident.deleted", reason=reason)
            return logged_incident(uow, row)

    def get(self, actor: Actor, incident_id: int) -> LoggedIncident:
        group = require(actor, Role.RAPPORTOR)
        with self.db.unit_of_work(read_only=True) as uow:
            row = _readable(uow, actor, group.id, incident_id)
            return logged_incident(uow, row)

    def logged_from_message(self, actor: Actor, channel: str, ts: str) -> int | None:
        """The incident already logged from this Slack message, if any."""
        group = require_reporting(actor)
        with self.db.unit_of_work(read_only=True) as uow:
            earlier = uow.incidents.from_message(group.id, channel, ts)
            return earlier[0].id if earlier else None

    def history(self, actor: Actor, incident_id: int) -> tuple[IncidentVersion, ...]:
        group = require(actor, Role.RAPPORTOR)
        with self.db.unit_of_work(read_only=True) as uow:
            _readable(uow, actor, group.id, incident_id)
            return tuple(uow.incidents.versions(incident_id))

    def list(
        self,
        actor: Actor,
        period: Period,
        *,
        place: str = "",
        offset: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> IncidentList:
        """Counts per category and per place, then the newest entries from ``offset``; a
        reporter's only of what they reported themselves."""
        group = require(actor, Role.RAPPORTOR)
        reporter = actor.user_id if is_reporter(actor) else None
        with self.db.unit_of_work(read_only=True) as uow:
            area = resolve_area(uow, actor, group.id, place) if place.strip() else None
            categories = {c.id: c for c in uow.categories.of_group(group.id, active_only=False)}
            places = {p.id: p for p in uow.places.of_group(group.id, active_only=False)}
            organisations = {o.id: o for o in uow.organisations.of_group(group.id)}
            counted = uow.incidents.counts(
                period.start,
                period.end,
                place_ids=area.place_ids if area else [p for p in places if p is not None],
                category_ids=[c for c in categories if c is not None],
                reporter=reporter,
            )
            per_category, per_place = _totals(counted)
            rows = uow.incidents.newest(
                group.id,
                period.start,
                period.end,
                area.place_ids if area else None,
                offset=offset,
                limit=page_size + 1,
                organisation_id=actor.member.organisation.id if actor.member else None,
                reporter=reporter,
            )
            entries = tuple(
                logged_incident(
                    uow, r, places=places, categories=categories, organisations=organisations
                )
                for r in rows[:page_size]
            )
            return IncidentList(
                period=period,
                place=area.name if area else None,
                district=bool(area and area.is_district),
                total=sum(per_category.values()),
                by_category=tuple(
                    (IncidentCategory.of(categories[c]), n) for c, n in per_category.items()
                ),
                by_place=tuple((places[p].name, n) for p, n in per_place.items()),
                entries=entries,
                offset=offset,
                has_more=len(rows) > page_size,
            )

    # -- helpers -----------------------------------------------------------------------------

    def _logged_before(self, uow: UnitOfWork, group_id: int, draft: IncidentDraft) -> Logged | None:
        """The same form submitted again: what was logged the first time. The same message
        logged again: refused (DuplicateMessage)."""
        if draft.idempotency_key and (
            same := uow.incidents.by_idempotency_key(group_id, draft.idempotency_key)
        ):
            return Logged(logged_incident(uow, same), created=False)
        self._check_duplicate_message(uow, group_id, draft)
        return None

    @staticmethod
    def _check_duplicate_message(uow: UnitOfWork, group_id: int, draft: IncidentDraft) -> None:
        if draft.allow_duplicate or not (draft.source_channel and draft.source_ts):
            return
        earlier = uow.incidents.from_message(group_id, draft.source_channel, draft.source_ts)
        if earlier:
            assert earlier[0].id is not None
            raise DuplicateMessage(earlier[0].id)

    @staticmethod
    def _category(
        uow: UnitOfWork, actor: Actor, group_id: int, text: str, now: datetime
    ) -> IncidentCategory:
        rows = uow.categories.of_group(group_id)
        if not rows:  # a group made before categories existed
            seed_defaults(uow, group_id, actor=actor.user_id, now=now)
            rows = uow.categories.of_group(group_id)
        return match_category(text, [IncidentCategory.of(r) for r in rows])

    @staticmethod
    def _editable(uow: UnitOfWork, actor: Actor, group_id: int, incident_id: int) -> Incident:
        row = _readable(uow, actor, group_id, incident_id)
        if row.deleted_at is not None:
            raise NotFound(N_("No incident #{id} in this group.", id=incident_id))
        if row.reporter_user_id != actor.user_id and not actor.is_admin:
            raise Forbidden(
                N_("Only the reporter or an admin can change incident #{id}.", id=incident_id)
            )
        return row

    @staticmethod
    def _version(
        uow: UnitOfWork,
        row: Incident,
        actor: Actor,
        now: datetime,
        before: dict[str, object] | None,
        action: str,
        reason: str | None = None,
    ) -> None:
        uow.incidents.add_version(version_of(row, actor.user_id, now, reason))
        uow.audit.record_row(action, row, actor=actor.user_id, at=now, before=before)


VERSIONED = (
    "place_id",
    "category_id",
    "occurred_at",
    "description",
    "restricted",
    "persistence",
    "deleted_at",
)


def version_of(row: Incident, by: str, now: datetime, reason: str | None = None) -> IncidentVersion:
    """The incident's version as it is now: what a correction or a deletion can be read against."""
    after = snapshot(row)
    return IncidentVersion(
        incident_id=row.id or 0,
        version=row.version,
        content={k: after[k] for k in VERSIONED},
        changed_by=by,
        changed_at=now,
        reason=reason,
    )
