"""The services, built once per process in app.py and handed to the edge through Bolt's context."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions import ActionService
from bot.activities import ActivityService
from bot.activity_documents import DocumentService
from bot.audit import AuditService
from bot.calendar import CalendarService
from bot.categories import CategoryService
from bot.costs import CostService
from bot.evidence import EvidenceService
from bot.exports import ExportService
from bot.groups import GroupService
from bot.incidents import IncidentService
from bot.lifecycle import LifecycleService
from bot.meeting_settings import MeetingSettingsService
from bot.meetings import MeetingService
from bot.notifier import Notifier
from bot.places import PlaceService
from bot.reports import ReportService
from bot.retention import RetentionService
from bot.summary_posts import SummaryService
from storage.db import Database


@dataclass(frozen=True)
class Services:
    db: Database
    groups: GroupService
    audit: AuditService
    places: PlaceService
    categories: CategoryService
    incidents: IncidentService
    actions: ActionService
    reports: ReportService
    meetings: MeetingService
    meeting_settings: MeetingSettingsService
    summaries: SummaryService
    exports: ExportService
    retention: RetentionService
    lifecycle: LifecycleService
    activities: ActivityService
    costs: CostService
    documents: DocumentService
    calendar: CalendarService
    evidence: EvidenceService

    @classmethod
    def build(cls, db: Database, notifier: Notifier) -> Services:
        actions = ActionService(db)
        audit = AuditService(db)
        evidence = EvidenceService(db, audit)
        return cls(
            db=db,
            groups=GroupService(db, notifier),
            audit=audit,
            places=PlaceService(db),
            categories=CategoryService(db),
            incidents=IncidentService(db, notifier),
            actions=actions,
            reports=ReportService(db),
            meetings=MeetingService(db, actions),
            meeting_settings=MeetingSettingsService(db),
            summaries=SummaryService(db),
            exports=ExportService(db, evidence),
            retention=RetentionService(db),
            lifecycle=LifecycleService(db, notifier),
            activities=ActivityService(db),
            costs=CostService(db),
            documents=DocumentService(db),
            calendar=CalendarService(db),
            evidence=evidence,
        )
