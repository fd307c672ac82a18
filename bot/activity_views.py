"""What the activity services return: frozen views, never live rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from storage.models import (
    Activity,
    ActivityCost,
    ActivityDocument,
    ActivityMotivation,
    ActivityPlace,
    ActivityStatus,
    AuditEvent,
    FundingSource,
    Place,
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
class MotivationView:
    kind: str  # incident / report
    record_id: int
    place: str
    record_at: datetime  # when the record was saved (server time)
    summary: str
    linked_at: datetime


@dataclass(frozen=True)
class CostView:
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
    def gaps(self) -> tuple[str, ...]:
        found = []
        if not self.description.strip():
            found.append("description")
        if not self.invoice_number.strip():
            found.append("invoice")
        if self.outside_year:
            found.append("year")
        return tuple(found)


@dataclass(frozen=True)
class DocumentView:
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
class EffectView:
    """Incidents at the activity's places in the ``weeks`` before it and the ``weeks`` after."""

    weeks: int
    before: int
    after: int


@dataclass(frozen=True)
class ActivityView:
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
    motivations: tuple[MotivationView, ...]
    attendance: tuple[tuple[str, int], ...]
    counting_method: str | None
    incidents_during: int | None
    effect: str
    followed_up_by: str | None
    followed_up_at: datetime | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    costs: tuple[CostView, ...] = ()
    effects: tuple[EffectView, ...] = ()
    exported_at: datetime | None = None  # the last evidence pack, from the audit log
    documents: tuple[DocumentView, ...] = ()

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
    ids = [row.id for row in rows]
    places: dict[int, list[tuple[int, str]]] = {}
    for activity_id, place_id, name in uow.session.exec(
        select(ActivityPlace.activity_id, Place.id, Place.name)
        .join(Place, col(Place.id) == col(ActivityPlace.place_id))
        .where(col(ActivityPlace.activity_id).in_(ids))
        .order_by(col(Place.name))
    ):
        places.setdefault(activity_id, []).append((place_id or 0, name))
    motivated = set(
        uow.session.exec(
            select(ActivityMotivation.activity_id)
            .where(col(ActivityMotivation.activity_id).in_(ids))
            .distinct()
        )
    )
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


def cost_view(row: ActivityCost, activity_day: date) -> CostView:
    assert row.id is not None
    return CostView(
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


def effects(
    uow: UnitOfWork, row: Activity, place_ids: Sequence[int], now: datetime
) -> tuple[EffectView, ...]:
    """Before/after incident counts for each period that has fully passed."""
    found = []
    for weeks in EFFECT_WEEKS:
        span = timedelta(weeks=weeks)
        if now < row.end_at + span:
            break
        before = uow.incidents.count_at_places(place_ids, row.start_at - span, row.start_at)
        after = uow.incidents.count_at_places(place_ids, row.end_at, row.end_at + span)
        found.append(EffectView(weeks, before, after))
    return tuple(found)


def _motivation(uow: UnitOfWork, m: ActivityMotivation) -> MotivationView:
    place = uow.places.get(m.place_id)
    return MotivationView(
        m.kind, m.record_id, place.name if place else "", m.record_at, m.summary, m.linked_at
    )


def activity_view(
    uow: UnitOfWork, row: Activity, *, now: datetime | None = None, tz_day: date | None = None
) -> ActivityView:
    """The whole activity; with ``now`` also the before/after counts that are due by then."""
    assert row.id is not None
    places = uow.activities.places(row.id)
    place_ids = tuple(p.id or 0 for p in places)
    organisation = uow.organisations.get(row.organisation_id)
    day = tz_day or row.start_at.date()
    attendance = row.attendance or {}
    return ActivityView(
        id=row.id,
        group_id=row.group_id,
        title=row.title,
        kind=row.kind,
        owner_user_id=row.owner_user_id,
        organisation=organisation.name if organisation else "",
        places=tuple(p.name for p in places),
        place_ids=place_ids,
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
        motivations=tuple(_motivation(uow, m) for m in uow.activities.motivations(row.id)),
        attendance=tuple((c, int(attendance[c])) for c in ATTENDANCE if c in attendance),
        counting_method=row.counting_method,
        incidents_during=row.incidents_during,
        effect=row.effect,
        followed_up_by=row.followed_up_by,
        followed_up_at=row.followed_up_at,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        costs=tuple(cost_view(c, day) for c in uow.activities.costs(row.id)),
        effects=effects(uow, row, place_ids, now) if now is not None else (),
        exported_at=_last_export(uow, row.id),
        documents=tuple(document_view(d) for d in uow.activities.documents(row.id)),
    )


def document_view(row: ActivityDocument) -> DocumentView:
    assert row.id is not None
    return DocumentView(
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


def _last_export(uow: UnitOfWork, activity_id: int) -> datetime | None:
    query = (
        select(AuditEvent.at)
        .where(
            AuditEvent.entity == "activity",
            AuditEvent.entity_id == activity_id,
            AuditEvent.action == "activity.exported",
        )
        .order_by(col(AuditEvent.id).desc())
    )
    return uow.session.exec(query).first()


FUNDING_SOURCES = tuple(s.value for s in FundingSource)
