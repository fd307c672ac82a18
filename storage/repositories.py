"""The unit of work: the repositories of one transaction. They add and flush; never commit."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.actions import ActionRepository
from storage.activities import ActivityRepository, CalendarFeedRepository
from storage.activity_costs import CostRepository, DocumentRepository, GrantRepository
from storage.analysis import AnalysisRepository, PeriodRepository
from storage.chart_images import ChartImageRepository
from storage.exports import ExportRepository
from storage.groups import GroupRepository, MemberRepository, OrganisationRepository
from storage.imports import ImportRepository
from storage.incidents import CategoryRepository, IncidentRepository
from storage.motivation import CandidateRepository
from storage.outbox import OutboxRepository
from storage.people import PersonRepository
from storage.places import PlaceRepository
from storage.priorities import PriorityRepository
from storage.reporters import FeedbackRepository, ReporterLinkRepository
from storage.restore import RestoreRepository
from storage.summary import SummaryRepository, WeeklySummaryRepository
from storage.trust import AuditRepository, RegistrarRepository, RetentionRepository
from storage.trust import snapshot as snapshot  # re-exported: bot/ imports it from here
from storage.weekly import MeetingRepository, PictureRepository, ReportRepository


class UnitOfWork:
    """The repositories of one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session  # private: every query goes through a repository
        self.groups = GroupRepository(session)
        self.organisations = OrganisationRepository(session)
        self.members = MemberRepository(session)
        self.people = PersonRepository(session)
        self.places = PlaceRepository(session)
        self.categories = CategoryRepository(session)
        self.incidents = IncidentRepository(session)
        self.imports = ImportRepository(session)
        self.actions = ActionRepository(session)
        self.analyses = AnalysisRepository(session)
        self.periods = PeriodRepository(session)
        self.priorities = PriorityRepository(session)
        self.activities = ActivityRepository(session)
        self.candidates = CandidateRepository(session)
        self.costs = CostRepository(session)
        self.documents = DocumentRepository(session)
        self.grants = GrantRepository(session)
        self.calendar_feeds = CalendarFeedRepository(session)
        self.reporter_links = ReporterLinkRepository(session)
        self.feedback = FeedbackRepository(session)
        self.outbox = OutboxRepository(session)
        self.chart_images = ChartImageRepository(session)
        self.audit = AuditRepository(session)
        self.retention = RetentionRepository(session)
        self.reports = ReportRepository(session)
        self.meetings = MeetingRepository(session)
        self.pictures = PictureRepository(session)
        self.summary = SummaryRepository(session)
        self.summaries = WeeklySummaryRepository(session)
        self.exports = ExportRepository(session)
        self.registrar = RegistrarRepository(session)
        self.restore = RestoreRepository(session)
        # what has been worked out once in this transaction for many uses (e.g. the views the
        # outbox sender prefetches for a sweep's rows); gone with the transaction
        self.memo: dict[str, Any] = {}

    def rollback(self) -> None:
        """Undo what this transaction did so far, e.g. after a failed statement (on PostgreSQL it
        spoils every later one). The next statement begins a new transaction; rows loaded before
        are read afresh when next used."""
        self._session.rollback()
