"""What the activity services return: frozen values, never live rows."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.activities.associations import is_association
from storage.models import (
    Activity,
    ActivityCost,
    ActivityDocument,
    ActivityStatus,
    FundingSource,
)
from storage.repositories import UnitOfWork

# attendance is counted in these categories (keys as stored), in this order
ATTENDANCE = ("barn och unga", "vuxna", "arrangörer och aktörer")
COUNTING_METHODS = ("räknat", "uppskattat", "klickräknare")
DOCUMENT_KINDS = ("avtal", "faktura", "tillstånd", "kvitto", "beslut", "annat")
EFFECT_WEEKS = (1, 4)


@dataclass(frozen=True)
class Organiser:
    name: str
    org_number: str | None = None


@dataclass(frozen=True)
class MotivatingRecord:
    kind: str  # incident / report
    record_id: int
    place: str
    record_at: datetime  # when the record was saved (server time)
    summary: str
    linked_at: datetime
    happened_at: datetime | None = None  # None: linked before the time was kept


@dataclass(frozen=True)
class CostItem:
    id: int
    activity_id: int
    amount_ore: int
    description: str
    supplier: str
    supplier_org_number: str | None
    to_association: bool
    invoice_number: str
    invoice_date: date | None
    funding_source: str
    grant_year: int | None
    diarienummer: str
    project_code: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    cost_date: date  # the invoice date, else the activity's day

    @property
    def outside_year(self) -> bool:
        """Dated outside the year of its funding source (next year's cost on this year's grant)."""
        return self.grant_year is not None and self.cost_date.year != self.grant_year

    @property
    def association(self) -> bool:
        """Paid to an association: ticked, or recognised by its organisation number or name."""
        return is_association(self.supplier, self.supplier_org_number, self.to_association)

    @property
    def gaps(self) -> tuple[str, ...]:
        """Its weaknesses, as the grant report lists them (see ``bot.activities.weaknesses``)."""
        found = []
        if not self.description.strip():
            found.append("description")
        if not self.invoice_number.strip():
            found.append("invoice")
        if self.association and not self.supplier_org_number:
            found.append("association")
        if self.outside_year:
            found.append("year")
        return tuple(found)


@dataclass(frozen=True)
class FiledDocument:
    id: int
    activity_id: int
    kind: str
    title: str
    document_date: date  # signed or issued: the document's own date
    reference: str
    created_by: str
    created_at: datetime  # registered here (server time)
    updated_at: datetime


@dataclass(frozen=True)
class ObservedEffect:
    """Incidents at the activity's places in the ``weeks`` before it and the ``weeks`` after."""

    weeks: int
    before: int
    after: int


@dataclass(frozen=True)
class PlannedActivity:
    id: int
    group_id: int
    title: str
    kind: str
    owner_user_id: str
    organisation: str
    places: tuple[str, ...]
    place_ids: tuple[int, ...]
    start_at: datetime
    end_at: datetime
    target_group: str
    purpose: str
    expected_participants: int | None
    organisers: tuple[Organiser, ...]
    status: str
    cancel_reason: str | None
    motivations: tuple[MotivatingRecord, ...]
    attendance: tuple[tuple[str, int], ...]
    counting_method: str | None
    incidents_during: int | None
    effect: str
    followed_up_by: str | None
    followed_up_at: datetime | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    costs: tuple[CostItem, ...] = ()
    effects: tuple[ObservedEffect, ...] = ()
    exported_at: datetime | None = None  # the last evidence pack, from the audit log
    documents: tuple[FiledDocument, ...] = ()

    @property
    def motivated(self) -> bool:
        return bool(self.motivations)

    @property
    def followed_up(self) -> bool:
        return self.followed_up_at is not None

    @property
    def attendance_total(self) -> int | None:
        return sum(n for _c, n in self.attendance) if self.attendance else None

    @property
    def total_cost_ore(self) -> int:
        return sum(c.amount_ore for c in self.costs)

    @property
    def cancelled(self) -> bool:
        return self.status == ActivityStatus.INSTALLD


@dataclass(frozen=True)
class ActivityLine:
    """One activity in a summary or a report: plain values only (see ``activity_lines``)."""

    id: int
    title: str
    kind: str
    places: tuple[str, ...]
    start_at: datetime
    end_at: datetime
    status: str
    motivated: bool
    expected_participants: int | None
    attendance_total: int | None  # None until followed up
    counting_method: str | None
    place_ids: tuple[int, ...] = ()  # in the order of ``places``


def activity_lines(uow: UnitOfWork, rows: Sequence[Activity]) -> list[ActivityLine]:
    """Lines of ``rows``, in their order, in two queries however many (their places, and which
    are motivated): for summaries and reports, where the full view's costs, documents and audit
    trail are not needed."""
    ids = [row.id for row in rows if row.id is not None]
    places = uow.activities.places_of(ids)
    motivated = uow.activities.motivated_among(ids)
    lines = []
    for row in rows:
        assert row.id is not None
        counted = [int(n) for c, n in (row.attendance or {}).items() if c in ATTENDANCE]
        lines.append(
            ActivityLine(
                row.id,
                row.title,
                row.kind,
                tuple(name for _id, name in places.get(row.id, ())),
                row.start_at,
                row.end_at,
                row.status,
                row.id in motivated,
                row.expected_participants,
                sum(counted) if counted else None,
                row.counting_method,
                tuple(place_id for place_id, _name in places.get(row.id, ())),
            )
        )
    return lines


@dataclass(frozen=True)
class ActivityWeek:
    """For the weekly summary: what was held in the week (with attendance) and what is coming
    in the two weeks after it."""

    iso_year: int
    iso_week: int
    held: tuple[ActivityLine, ...]
    coming: tuple[ActivityLine, ...]


def cost_item(row: ActivityCost, activity_day: date) -> CostItem:
    assert row.id is not None
    return CostItem(
        id=row.id,
        activity_id=row.activity_id,
        amount_ore=row.amount_ore,
        description=row.description,
        supplier=row.supplier,
        supplier_org_number=row.supplier_org_number,
        to_association=row.to_association,
        invoice_number=row.invoice_number,
        invoice_date=row.invoice_date,
        funding_source=row.funding_source,
        grant_year=row.grant_year,
        diarienummer=row.diarienummer,
        project_code=row.project_code,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        cost_date=row.invoice_date or activity_day,
    )


def planned_activity(
    uow: UnitOfWork, row: Activity, *, now: datetime | None = None, tz: ZoneInfo | None = None
) -> PlannedActivity:
    """The whole activity; with ``now`` also the before/after counts due by then."""
    return planned_activities(uow, [row], now=now, tz=tz)[0]


def planned_activities(
    uow: UnitOfWork,
    rows: Sequence[Activity],
    *,
    now: datetime | None = None,
    tz: ZoneInfo | None = None,
) -> list[PlannedActivity]:
    """Whole views of ``rows``, in their order, in seven queries at most however many: their
    places, organisations, motivations, costs, documents and last exports, and with ``now`` the
    incidents behind the before/after counts due by then. A cost without an invoice date is
    dated on its activity's day in ``tz`` (in UTC without)."""
    ids = [row.id for row in rows if row.id is not None]
    if not ids:
        return []
    places = uow.activities.places_of(ids)
    owners = uow.activities.organisation_names({row.organisation_id for row in rows})
    parts = _Parts(places, owners)
    for m, place in uow.activities.motivations_of(ids):
        parts.motivations[m.activity_id].append(
            MotivatingRecord(
                m.kind, m.record_id, place or "", m.record_at, m.summary, m.linked_at, m.happened_at
            )
        )
    for cost in uow.costs.of_activities(ids):
        parts.costs[cost.activity_id].append(cost)
    for document in uow.documents.of_activities(ids):
        parts.documents[document.activity_id].append(filed_document(document))
    parts.exported = uow.activities.last_exported(ids)
    if now is not None:
        parts.effects = _effects(uow, rows, places, now)
    return [_view(row, parts, tz) for row in rows]


@dataclass
class _Parts:
    """What ``planned_activities`` reads for all its rows at once, by activity id."""

    places: dict[int, list[tuple[int, str]]]  # (place id, name), by name
    organisations: dict[int, str]  # by organisation id
    motivations: dict[int, list[MotivatingRecord]] = field(
        default_factory=lambda: defaultdict(list)
    )
    costs: dict[int, list[ActivityCost]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[int, list[FiledDocument]] = field(default_factory=lambda: defaultdict(list))
    exported: dict[int, datetime] = field(default_factory=dict)
    effects: dict[int, tuple[ObservedEffect, ...]] = field(default_factory=dict)


def _view(row: Activity, parts: _Parts, tz: ZoneInfo | None) -> PlannedActivity:
    assert row.id is not None
    day = row.start_at.astimezone(tz).date() if tz is not None else row.start_at.date()
    attendance = row.attendance or {}
    places = parts.places.get(row.id, [])
    return PlannedActivity(
        id=row.id,
        group_id=row.group_id,
        title=row.title,
        kind=row.kind,
        owner_user_id=row.owner_user_id,
        organisation=parts.organisations.get(row.organisation_id, ""),
        places=tuple(name for _id, name in places),
        place_ids=tuple(place_id for place_id, _name in places),
        start_at=row.start_at,
        end_at=row.end_at,
        target_group=row.target_group,
        purpose=row.purpose,
        expected_participants=row.expected_participants,
        organisers=tuple(
            Organiser(str(o.get("name", "")), o.get("org_number")) for o in row.organisers
        ),
        status=row.status,
        cancel_reason=row.cancel_reason,
        motivations=tuple(parts.motivations.get(row.id, ())),
        attendance=tuple((c, int(attendance[c])) for c in ATTENDANCE if c in attendance),
        counting_method=row.counting_method,
        incidents_during=row.incidents_during,
        effect=row.effect,
        followed_up_by=row.followed_up_by,
        followed_up_at=row.followed_up_at,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        costs=tuple(cost_item(c, day) for c in parts.costs.get(row.id, ())),
        effects=parts.effects.get(row.id, ()),
        exported_at=parts.exported.get(row.id),
        documents=tuple(parts.documents.get(row.id, ())),
    )


def _passed(row: Activity, now: datetime) -> list[int]:
    """The before/after periods (in weeks) that have fully passed by ``now``."""
    passed = []
    for weeks in EFFECT_WEEKS:
        if now < row.end_at + timedelta(weeks=weeks):
            break
        passed.append(weeks)
    return passed


def _effects(
    uow: UnitOfWork,
    rows: Sequence[Activity],
    places: dict[int, list[tuple[int, str]]],
    now: datetime,
) -> dict[int, tuple[ObservedEffect, ...]]:
    """Incidents at each activity's places in the weeks before it and the weeks after, for each
    period that has fully passed: read once over the span they all need, counted here."""
    due = [(row, row.id or 0, passed) for row in rows if (passed := _passed(row, now))]
    if not due:
        return {}
    widest = [(row, timedelta(weeks=passed[-1])) for row, _id, passed in due]
    times: dict[int, list[datetime]] = defaultdict(list)
    for place_id, at in uow.incidents.times_at_places(
        {place_id for _row, row_id, _p in due for place_id, _name in places.get(row_id, ())},
        min(row.start_at - span for row, span in widest),
        max(row.end_at + span for row, span in widest),
    ):
        times[place_id].append(at)
    for found in times.values():
        found.sort()

    def count(place_ids: list[int], start: datetime, end: datetime) -> int:
        """Live incidents at these places in [start, end)."""
        return sum(
            bisect_left(times[p], end) - bisect_left(times[p], start)
            for p in place_ids
            if p in times
        )

    effects = {}
    for row, row_id, passed in due:
        place_ids = [place_id for place_id, _name in places.get(row_id, ())]
        effects[row_id] = tuple(
            ObservedEffect(
                weeks,
                count(place_ids, row.start_at - timedelta(weeks=weeks), row.start_at),
                count(place_ids, row.end_at, row.end_at + timedelta(weeks=weeks)),
            )
            for weeks in passed
        )
    return effects


def filed_document(row: ActivityDocument) -> FiledDocument:
    assert row.id is not None
    return FiledDocument(
        row.id,
        row.activity_id,
        row.kind,
        row.title,
        row.document_date,
        row.reference,
        row.created_by,
        row.created_at,
        row.updated_at,
    )


FUNDING_SOURCES = tuple(s.value for s in FundingSource)
