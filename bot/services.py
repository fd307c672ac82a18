"""The services, built once per process in app.py and handed to the edge through Bolt's context."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions.service import ActionService
from bot.activities.calendar import CalendarService
from bot.activities.costs import CostService
from bot.activities.documents import DocumentService
from bot.activities.evidence import EvidenceService
from bot.activities.service import ActivityService
from bot.analysis.chain import ChainService
from bot.analysis.period_posts import PeriodPostService
from bot.analysis.priorities import PriorityService
from bot.analysis.service import AnalysisService
from bot.analysis.timing import PatternService
from bot.exports.service import ExportService
from bot.groups.lifecycle import LifecycleService
from bot.groups.service import GroupService
from bot.groups.start import StartService
from bot.incidents.categories import CategoryService
from bot.incidents.imports.service import ImportService
from bot.incidents.service import IncidentService
from bot.maps.service import MapService
from bot.notifier import Notifier
from bot.places.service import PlaceService
from bot.reporters.links import ReporterLinks
from bot.reporters.webform import WebForm
from bot.summary.posts import SummaryService
from bot.timekeeping import BotClock, Clock
from bot.trust.audit import AuditService
from bot.trust.retention import RetentionService
from bot.weekly.meetings import MeetingService
from bot.weekly.reports import ReportService
from bot.weekly.settings import MeetingSettingsService
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
    analyses: AnalysisService
    patterns: PatternService
    periods: PeriodPostService
    priorities: PriorityService
    chains: ChainService
    clock: Clock
    group_start: StartService
    reporters: ReporterLinks
    webform: WebForm
    imports: ImportService
    maps: MapService

    @classmethod
    def build(cls, db: Database, notifier: Notifier, clock: Clock | None = None) -> Services:
        """The services over ``db``; ``clock`` is the bot's one clock (the real time if None)."""
        actions = ActionService(db)
        audit = AuditService(db)
        evidence = EvidenceService(db, audit)
        patterns = PatternService(db)
        incidents, places, categories = (
            IncidentService(db, notifier),
            PlaceService(db),
            CategoryService(db),
        )
        meetings = MeetingService(db, actions)
        periods = PeriodPostService(db)
        return cls(
            db=db,
            groups=GroupService(db, notifier),
            audit=audit,
            places=places,
            categories=categories,
            incidents=incidents,
            actions=actions,
            reports=ReportService(db),
            meetings=meetings,
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
            analyses=AnalysisService(db, patterns),
            patterns=patterns,
            periods=periods,
            priorities=PriorityService(db),
            chains=ChainService(db),
            clock=clock or BotClock(),
            group_start=StartService(db),
            reporters=ReporterLinks(db),
            webform=WebForm(db, incidents, places, categories),
            imports=ImportService(db),
            maps=MapService(db, meetings, periods),
        )
