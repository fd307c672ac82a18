"""The tables. Every schema change here comes with an Alembic migration in storage/migrations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

import storage.oauth_tables  # noqa: F401 - slack_sdk's OAuth tables, on the same metadata
from storage.types import UTCDateTime


def _utc(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    return Field(sa_column=Column(UTCDateTime(), nullable=False))


class OrganisationKind(StrEnum):
    KOMMUN = "kommun"
    POLIS = "polis"
    BOSTADSBOLAG = "bostadsbolag"
    SKOLA = "skola"
    FORENING = "förening"
    REGION = "region"
    OVRIG = "övrig"


class Role(StrEnum):
    ADMIN = "admin"
    MEDLEM = "medlem"
    LASARE = "läsare"
    RAPPORTOR = "rapportör"  # logs incidents and sees only their own


class MemberStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    INACTIVE = "inactive"


class Group(SQLModel, table=True):
    """An EST group: one collaboration, bound to one Slack channel."""

    __tablename__ = "est_group"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slack_team_id: str = Field(max_length=32)
    slack_channel_id: str = Field(max_length=32)
    language: str = Field(default="sv", max_length=8)
    timezone: str = Field(default="Europe/Stockholm", max_length=64)
    hotspot_count: int = Field(default=3)  # incidents of one category at a place …
    hotspot_days: int = Field(default=7)  # … within this many days
    hotspot_factor: float = Field(default=2.0)  # or this many times the 4-week weekly average
    meeting_weekday: int = Field(default=1)  # 0 = Monday: the weekly meeting (tisdag)
    meeting_time: str = Field(default="09:00", max_length=5)
    deadline_weekday: int = Field(default=0)  # reports are due (måndag)
    deadline_time: str = Field(default="15:00", max_length=5)
    call_lead_hours: int = Field(default=24)  # the call for reports goes out this long before
    nudge_lead_hours: int = Field(default=3)  # missing organisations are nudged this long before
    summary_weekday: int = Field(default=0)  # the weekly summary is posted (måndag) …
    summary_time: str = Field(default="08:00", max_length=5)  # … at this local time
    retention_months: int = Field(default=24)  # gallring: free text older than this is cleared
    archived_at: datetime | None = _utc(nullable=True)  # the channel was archived, the app removed
    archived_reason: str | None = Field(default=None, max_length=32)
    started_on: date | None = Field(default=None)  # records may be dated from here; None: created
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    org_number: str | None = Field(default=None, max_length=16)
    reports: bool = Field(default=True)  # sends a weekly lägesrapport
    created_at: datetime = _utc()


class Member(SQLModel, table=True):
    """A Slack user in a group, through one organisation, with a role."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("group_id", "slack_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    slack_user_id: str = Field(max_length=32, index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    role: str = Field(default=Role.MEDLEM, max_length=16)
    status: str = Field(default=MemberStatus.PENDING, max_length=16)
    language: str | None = Field(default=None, max_length=8)
    feedback: bool = Field(default=True)  # the monthly återkoppling by DM (a reporter may stop it)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Place(SQLModel, table=True):
    __tablename__ = "place"
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    district: str = Field(max_length=100)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=50)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = Field(default=True)
    latitude: float | None = Field(default=None)  # WGS84, for the map; None: not placed yet
    longitude: float | None = Field(default=None)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class AuditEvent(SQLModel, table=True):
    """Append-only. ``hash`` covers the event and the previous event's hash (a chain)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int | None = Field(default=None, index=True)
    at: datetime = _utc()
    actor: str = Field(max_length=32)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    # 1: the hash covers the text itself; 2: each string through its own SHA-256, so a string
    # can be cleared (gallring) and replaced by its digest while the chain still verifies
    hash_version: int = Field(default=2)


class ClockAnchor(SQLModel, table=True):
    """One row: when a simulated bot time (``EST_CLOCK_START``/``EST_CLOCK_RATE``) began, in real
    time, so that every process started with the same settings keeps the same time."""

    __tablename__ = "clock_anchor"

    id: int = Field(default=1, primary_key=True)
    start: datetime = _utc()
    rate: float
    began: datetime = _utc()


class AuditHead(SQLModel, table=True):
    """One row: the newest link of the audit chain. Writers lock it, so the chain stays linear."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_event_id: int | None = None
    last_hash: str = Field(max_length=64)


class Persistence(StrEnum):
    NY = "ny"
    ATERKOMMANDE = "återkommande"
    BEFAST = "befäst"


class Category(SQLModel, table=True):
    """An incident category of one group. Retired categories stay on old incidents."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("group_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    key: str = Field(max_length=64)
    label_sv: str = Field(max_length=100)
    label_en: str = Field(max_length=100)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = Field(default=True)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Incident(SQLModel, table=True):
    """Something that happened at a place. ``version`` counts its corrections."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("group_id", "idempotency_key"),
        # an imported row's fingerprint: the same file imported twice adds nothing
        UniqueConstraint("group_id", "import_fingerprint", name="uq_incident_import_fingerprint"),
        # a group's counts over a period per place and category: an index-only scan
        Index(
            "ix_incident_group_time_place",
            "group_id",
            "occurred_at",
            "place_id",
            "category_id",
            "deleted_at",
        ),
        Index("ix_incident_place_time", "place_id", "occurred_at"),
        # counts per place and category over a period: one pass over this index
        Index(
            "ix_incident_place_category_time",
            "place_id",
            "category_id",
            "occurred_at",
            "deleted_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    place_id: int = Field(foreign_key="place.id")
    category_id: int = Field(foreign_key="category.id")
    occurred_at: datetime = _utc()
    description: str = Field(default="", max_length=4000)
    restricted: bool = Field(default=False)  # begränsad: text only for the reporter's organisation
    text_cleared_at: datetime | None = _utc(nullable=True)  # gallring: the free text was cleared
    persistence: str | None = Field(default=None, max_length=16)
    reporter_user_id: str = Field(max_length=32)
    organisation_id: int = Field(foreign_key="organisation.id")
    source_channel: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32, index=True)
    source_link: str | None = Field(default=None, max_length=500)
    idempotency_key: str | None = Field(default=None, max_length=64)
    import_fingerprint: str | None = Field(default=None, max_length=64)  # imported: its row's hash
    import_source: str | None = Field(default=None, max_length=100)  # imported: the source label
    version: int = Field(default=1)
    deleted_at: datetime | None = _utc(nullable=True)
    delete_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class IncidentVersion(SQLModel, table=True):
    """Every version of an incident as it was saved, with who changed it and why."""

    __tablename__ = "incident_version"
    __table_args__ = (UniqueConstraint("incident_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    version: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(max_length=32)
    changed_at: datetime = _utc()
    reason: str | None = Field(default=None, max_length=500)


class HotspotNotice(SQLModel, table=True):
    """One notice per place, category and ISO week: the unique key makes it once only."""

    __tablename__ = "hotspot_notice"
    __table_args__ = (
        UniqueConstraint("group_id", "place_id", "category_id", "iso_year", "iso_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    place_id: int = Field(foreign_key="place.id")
    category_id: int = Field(foreign_key="category.id")
    iso_year: int
    iso_week: int
    count: int
    rule: str = Field(max_length=16)
    created_at: datetime = _utc()


class AnalysisStatus(StrEnum):
    OPEN = "öppen"
    CLOSED = "avslutad"


class CauseAnalysis(SQLModel, table=True):
    """An orsaksanalys of one problem at one place, along the problem-analysis triangle.
    ``version`` counts its revisions; every version is kept in ``cause_analysis_version``."""

    __tablename__ = "cause_analysis"
    __table_args__ = (Index("ix_cause_analysis_group_place", "group_id", "place_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    place_id: int = Field(foreign_key="place.id")
    category: str = Field(max_length=100)
    description: str = Field(default="", max_length=3000)
    persistence: str = Field(default=Persistence.NY, max_length=16)
    days: str = Field(default="", max_length=200)
    hours: str = Field(default="", max_length=200)
    season: str = Field(default="", max_length=200)
    place_side: str = Field(default="", max_length=3000)
    target_side: str = Field(default="", max_length=3000)
    offender_side: str = Field(default="", max_length=3000)
    place_manager: str = Field(default="", max_length=1000)  # platsansvarig
    guardians: str = Field(default="", max_length=1000)  # kapabla väktare
    handlers: str = Field(default="", max_length=1000)  # handledare
    why_here_now: str = Field(default="", max_length=3000)
    # [{"kind": "incident" | "report" | "week" | "external", "ref": ..., "text": ...}]
    sources: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(default=AnalysisStatus.OPEN, max_length=16)
    version: int = Field(default=1)
    created_by: str = Field(max_length=32)
    updated_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class CauseAnalysisVersion(SQLModel, table=True):
    """Every version of an orsaksanalys as it was saved, with who saved it."""

    __tablename__ = "cause_analysis_version"
    __table_args__ = (UniqueConstraint("analysis_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    analysis_id: int = Field(foreign_key="cause_analysis.id", index=True)
    version: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(max_length=32)
    changed_at: datetime = _utc()


class PriorityStatus(StrEnum):
    DECIDED = "fastställd"  # recorded by an administrator or at a meeting
    PROPOSED = "förslag"  # a member's proposal, shown on the next meeting's agenda
    HANDLED = "behandlad"  # a proposal the group has since decided on


class PeriodPriority(SQLModel, table=True):
    """The group's priorities for one EST period (a quarter or a tertial): places and problems,
    each with a motivation, set from the analysis of the period before. A decided set is one
    row per group and period, revised as new versions; proposals are rows of their own."""

    __tablename__ = "period_priority"
    __table_args__ = (Index("ix_period_priority_group_days", "group_id", "first_day", "last_day"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    period: str = Field(max_length=16)  # "2026-T3", the period the priorities are for
    first_day: date
    last_day: date
    based_on: str = Field(max_length=16)  # the period analysed, "2026-T2"
    status: str = Field(default=PriorityStatus.DECIDED, max_length=16)
    # [{"place_id": int | None, "category": str | None, "motivation": str}]
    items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    version: int = Field(default=1)
    created_by: str = Field(max_length=32)
    updated_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class PeriodPriorityVersion(SQLModel, table=True):
    """Every version of a period's priorities as it was saved."""

    __tablename__ = "period_priority_version"
    __table_args__ = (UniqueConstraint("priority_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    priority_id: int = Field(foreign_key="period_priority.id", index=True)
    version: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(max_length=32)
    changed_at: datetime = _utc()


class ActionStatus(StrEnum):
    OPEN = "öppen"
    IN_PROGRESS = "pågår"
    DONE = "klar"
    CANCELLED = "avbruten"


class Action(SQLModel, table=True):
    """An åtgärd: owned work with a due date, from the lägesbild, an incident or a decision."""

    __tablename__ = "est_action"
    __table_args__ = (
        Index("ix_action_group_status_due", "group_id", "status", "due_date"),
        Index("ix_action_owner", "owner_user_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=3000)
    owner_user_id: str = Field(max_length=32)
    organisation_id: int = Field(foreign_key="organisation.id")
    horizon: str = Field(default="kort", max_length=8)  # kort / lång sikt
    status: str = Field(default=ActionStatus.OPEN, max_length=16)
    due_date: date
    iso_year: int | None = None  # the lägesbild week it came from
    iso_week: int | None = None
    decision_ref: str | None = Field(default=None, max_length=64)
    analysis_id: int | None = Field(default=None, foreign_key="cause_analysis.id")
    created_by: str = Field(max_length=32)
    escalated_at: datetime | None = _utc(nullable=True)
    done_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ActionPlace(SQLModel, table=True):
    __tablename__ = "action_place"

    action_id: int = Field(foreign_key="est_action.id", primary_key=True)
    place_id: int = Field(foreign_key="place.id", primary_key=True)


class ActionIncident(SQLModel, table=True):
    __tablename__ = "action_incident"

    action_id: int = Field(foreign_key="est_action.id", primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", primary_key=True)


class ActionNote(SQLModel, table=True):
    """Progress notes, status changes, postponements and reassignments, with author and time."""

    __tablename__ = "action_note"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="est_action.id", index=True)
    author_user_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # note / status / postpone / reassign
    text: str = Field(default="", max_length=3000)
    created_at: datetime = _utc()


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # Slack said no for good (no such user, archived channel): admins are told
    CANCELLED = "cancelled"  # no longer relevant (the action was done before its reminder)


OPEN_STATUSES = (OutboxStatus.PENDING, OutboxStatus.SENDING)  # not yet sent, failed or cancelled
OPEN_ROWS = "status IN ({})".format(", ".join(f"'{s.value}'" for s in OPEN_STATUSES))


class Outbox(SQLModel, table=True):
    """What must be sent, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_ready", "status", "next_attempt_at"),
        # the rows still to send, per person: claiming asks "is an earlier one still open?"
        # for every due row, and that must not read a person's whole history
        Index(
            "ix_outbox_open",
            "recipient",
            "id",
            sqlite_where=text(OPEN_ROWS),
            postgresql_where=text(OPEN_ROWS),
        ),
        # the pending rows in id order: a claim reads the first due ones and stops, instead of
        # every due row of a Monday morning sorted anew for each batch of 200
        Index(
            "ix_outbox_pending_id",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int | None = Field(default=None, foreign_key="est_group.id")
    recipient: str = Field(max_length=32)  # a channel or a user id
    kind: str = Field(max_length=32)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    attempts: int = Field(default=0)  # times claimed: a row tried once holds back later ones
    # answers that Slack could not take it (5xx, timeouts): the backoff counts these, never a
    # 429 (that waits as Slack says) and never a try that was never made
    failures: int = Field(default=0)
    next_attempt_at: datetime = _utc()
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = _utc(nullable=True)
    sent_at: datetime | None = _utc(nullable=True)
    slack_ts: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = _utc()


class ChartImage(SQLModel, table=True):
    """A chart drawn ahead of its outbox row's send (the weekly summary's): claimed by one clock
    (``png`` None while it draws; empty when there was nothing to draw), gone once the row is
    closed, or with the row."""

    __tablename__ = "chart_image"

    outbox_id: int = Field(
        sa_column=Column(Integer, ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True)
    )
    png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    drawn_by: str = Field(max_length=64)
    claimed_at: datetime = _utc()


class Level(StrEnum):
    LUGNT = "lugnt"
    OROLIGT = "oroligt"
    ALLVARLIGT = "allvarligt"


class Trend(StrEnum):
    BATTRE = "bättre"
    OFORANDRAT = "oförändrat"
    SAMRE = "sämre"


class SituationReport(SQLModel, table=True):
    """One organisation's lägesrapport for one ISO week; saving again makes a new version."""

    __tablename__ = "situation_report"
    __table_args__ = (UniqueConstraint("group_id", "organisation_id", "iso_year", "iso_week"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    iso_year: int
    iso_week: int
    version: int = Field(default=1)
    notes: str = Field(default="", max_length=3000)
    submitted_by: str = Field(max_length=32)
    late: bool = Field(default=False)
    text_cleared_at: datetime | None = _utc(nullable=True)  # gallring: notes, observations
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ReportEntry(SQLModel, table=True):
    """The organisation's view of one place in a report."""

    __tablename__ = "report_entry"
    __table_args__ = (UniqueConstraint("report_id", "place_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="situation_report.id", index=True)
    place_id: int = Field(foreign_key="place.id")
    level: str = Field(max_length=16)
    trend: str = Field(max_length=16)
    observations: str = Field(default="", max_length=3000)


class ReportVersion(SQLModel, table=True):
    """Every saved version of a report, as it was."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("report_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="situation_report.id", index=True)
    version: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    saved_by: str = Field(max_length=32)
    saved_at: datetime = _utc()


class Meeting(SQLModel, table=True):
    """The weekly lägesbildsmöte of a group."""

    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("group_id", "iso_year", "iso_week"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    iso_year: int
    iso_week: int
    status: str = Field(default="open", max_length=16)  # open / closed
    opened_by: str = Field(max_length=32)
    opened_at: datetime = _utc()
    closed_at: datetime | None = _utc(nullable=True)


class Decision(SQLModel, table=True):
    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    text: str = Field(max_length=3000)
    place_id: int | None = Field(default=None, foreign_key="place.id")
    owner_user_id: str | None = Field(default=None, max_length=32)
    due_date: date | None = None
    action_id: int | None = Field(default=None, foreign_key="est_action.id")
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()


class JointLevel(SQLModel, table=True):
    """The level the meeting agreed for a place and week (the most serious reported, if unset)."""

    __tablename__ = "joint_level"
    __table_args__ = (UniqueConstraint("group_id", "iso_year", "iso_week", "place_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    iso_year: int
    iso_week: int
    place_id: int = Field(foreign_key="place.id")
    level: str = Field(max_length=16)
    set_by: str = Field(max_length=32)
    set_at: datetime = _utc()


class PictureSnapshot(SQLModel, table=True):
    """A week's lägesbild frozen when the meeting closed; a later change is a new version."""

    __tablename__ = "picture_snapshot"
    __table_args__ = (UniqueConstraint("group_id", "iso_year", "iso_week", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    iso_year: int
    iso_week: int
    version: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    reason: str | None = Field(default=None, max_length=500)
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()


class WeeklySummary(SQLModel, table=True):
    """A week's summary as first computed: posting it again posts the same content."""

    __tablename__ = "weekly_summary"
    __table_args__ = (UniqueConstraint("group_id", "iso_year", "iso_week"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    iso_year: int
    iso_week: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()


class ActivityKind(StrEnum):
    AKTIVERING = "aktivering av plats"
    EVENEMANG = "evenemang"
    TRYGGHETSVANDRING = "trygghetsvandring"
    NATTVANDRING = "nattvandring"
    UTSATTNING = "gemensam utsättning"
    LOVAKTIVITET = "lovaktivitet"
    UTBILDNING = "utbildning"
    ANNAT = "annat"


class ActivityStatus(StrEnum):
    PLANERAD = "planerad"
    GENOMFORD = "genomförd"
    INSTALLD = "inställd"


class Activity(SQLModel, table=True):
    """An aktivitet at one or more places, motivated by dated records, with its follow-up."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_group_start", "group_id", "start_at"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    title: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    owner_user_id: str = Field(max_length=32)
    organisation_id: int = Field(foreign_key="organisation.id")
    start_at: datetime = _utc()
    end_at: datetime = _utc()
    target_group: str = Field(default="", max_length=200)
    purpose: str = Field(default="", max_length=3000)
    expected_participants: int | None = None
    # [{"name": ..., "org_number": ...}]: organisations and associations that run it
    organisers: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(default=ActivityStatus.PLANERAD, max_length=16)
    cancel_reason: str | None = Field(default=None, max_length=500)
    # follow-up: attendance per category, how it was counted, incidents during, effect seen
    attendance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    counting_method: str | None = Field(default=None, max_length=16)
    incidents_during: int | None = None
    effect: str = Field(default="", max_length=3000)
    followed_up_by: str | None = Field(default=None, max_length=32)
    followed_up_at: datetime | None = _utc(nullable=True)
    analysis_id: int | None = Field(default=None, foreign_key="cause_analysis.id")
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ActivityPlace(SQLModel, table=True):
    __tablename__ = "activity_place"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    place_id: int = Field(foreign_key="place.id", primary_key=True, index=True)


class ActivityMotivation(SQLModel, table=True):
    """A dated record (an incident or a situation-report entry) that motivated an activity.

    ``record_at`` is the record's server creation time, checked to be before the activity was
    planned; ``summary`` is the record as it read when it was linked."""

    __tablename__ = "activity_motivation"
    __table_args__ = (UniqueConstraint("activity_id", "kind", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    kind: str = Field(max_length=16)  # incident / report
    record_id: int
    place_id: int = Field(foreign_key="place.id")
    record_at: datetime = _utc()
    happened_at: datetime | None = _utc(nullable=True)  # when it happened (a report: its week)
    summary: str = Field(max_length=500)
    linked_by: str = Field(max_length=32)
    linked_at: datetime = _utc()


class FundingSource(StrEnum):
    STATSBIDRAG = "statsbidrag"
    LOVBIDRAG = "lovbidrag"
    FORENINGSBIDRAG = "föreningsbidrag"
    EGEN_BUDGET = "egen budget"
    ANNAT = "annat"


class ActivityCost(SQLModel, table=True):
    """One cost line of an activity; the amount in öre, so kronor and öre add up exactly."""

    __tablename__ = "activity_cost"
    __table_args__ = (Index("ix_activity_cost_group_year", "group_id", "grant_year"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    activity_id: int = Field(foreign_key="activity.id", index=True)
    amount_ore: int
    description: str = Field(max_length=1000)
    supplier: str = Field(max_length=200)
    supplier_org_number: str | None = Field(default=None, max_length=16)
    to_association: bool = Field(default=False)
    invoice_number: str = Field(default="", max_length=64)
    invoice_date: date | None = None
    funding_source: str = Field(max_length=32)
    grant_year: int | None = None
    diarienummer: str = Field(default="", max_length=64)
    project_code: str = Field(default="", max_length=64)
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ActivityDocument(SQLModel, table=True):
    """A document behind an activity (contract, invoice, permit): its own date (signed or
    issued, not printed) apart from when it was registered here, and where the original is."""

    __tablename__ = "activity_document"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    activity_id: int = Field(foreign_key="activity.id", index=True)
    kind: str = Field(max_length=32)
    title: str = Field(max_length=200)
    document_date: date
    reference: str = Field(default="", max_length=300)  # diarienummer, file name or link
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class GrantAllocation(SQLModel, table=True):
    """Money allocated to the group from one funding source for one year (for spent/unspent)."""

    __tablename__ = "grant_allocation"
    __table_args__ = (UniqueConstraint("group_id", "year", "funding_source"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id")
    year: int
    funding_source: str = Field(max_length=32)
    amount_ore: int
    diarienummer: str = Field(default="", max_length=64)
    set_by: str = Field(max_length=32)
    set_at: datetime = _utc()


class CalendarFeed(SQLModel, table=True):
    """The secret token of a group's iCalendar feed; a new token makes the old URL stop."""

    __tablename__ = "calendar_feed"

    group_id: int = Field(foreign_key="est_group.id", primary_key=True)
    token: str = Field(max_length=64, unique=True)
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()


class SlackEventReceipt(SQLModel, table=True):
    """An Events API delivery that was handled: Slack sends an event again (``X-Slack-Retry-Num``,
    the same ``event_id``) when it did not see the answer, and the repeat must change nothing."""

    __tablename__ = "slack_event_receipt"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class EnterpriseTeam(SQLModel, table=True):
    """A workspace of an Enterprise Grid organisation whose app is installed for the whole
    organisation: that installation has no team, so the clock finds its token through here."""

    __tablename__ = "slack_enterprise_team"

    team_id: str = Field(primary_key=True, max_length=32)
    enterprise_id: str = Field(max_length=32)
    seen_at: datetime = _utc()


class Person(SQLModel, table=True):
    """A Slack user's display name, as ``users.info`` last gave it: the files and the console
    show people by name (a Slack message mentions them instead)."""

    __tablename__ = "person"

    team_id: str = Field(primary_key=True, max_length=32)
    slack_user_id: str = Field(primary_key=True, max_length=32)
    display_name: str = Field(max_length=200)
    updated_at: datetime = _utc()


class ReporterLink(SQLModel, table=True):
    """A personal reporting link for someone outside Slack. Only a hash of its token is kept:
    the link is shown once, to the admin who made it. ``form_key`` signs the web form's CSRF
    tokens; ``window_*`` count the link's requests for its rate limit (every web process sees
    the same count)."""

    __tablename__ = "reporter_link"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="est_group.id", index=True)
    name: str = Field(max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id")
    token_hash: str = Field(max_length=64, unique=True)
    form_key: str = Field(max_length=64)
    feedback: bool = Field(default=True)
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc()
    revoked_at: datetime | None = _utc(nullable=True)
    revoked_by: str | None = Field(default=None, max_length=32)
    window_start: datetime | None = _utc(nullable=True)
    window_hits: int = Field(default=0)


class DeliveryCount(SQLModel, table=True):
    """How Slack answered the outbox's sends, by result (ok, 429, error), summed over every clock
    process's life: ``/metrics`` reads it, whichever web process is asked."""

    __tablename__ = "delivery_count"

    result: str = Field(primary_key=True, max_length=16)
    total: int = Field(default=0, sa_type=BigInteger)
