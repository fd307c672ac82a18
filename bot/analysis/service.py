"""Cause analyses (orsaksanalyser): one problem at one place, along the problem-analysis
triangle — the place, the target and the offender, and who can control each side.

Members write and revise them; readers read them. Every version is kept, and every change is in
the audit log. Each text is checked by the personal-data guard before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.actors import Actor, EstGroup
from bot.analysis.results import AnalysisView, analysis_view, analysis_views
from bot.analysis.rules import Source, check_fields, parse_persistence, parse_sources
from bot.analysis.timing import PatternReport, PatternService
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.i18n import N_
from bot.incidents.categories import IncidentCategory, match_category
from bot.places.service import place_in, resolve
from bot.rules import require
from storage.db import Database
from storage.models import AnalysisStatus, CauseAnalysis, CauseAnalysisVersion, Place, Role
from storage.repositories import UnitOfWork, snapshot


@dataclass(frozen=True)
class AnalysisDraft:
    """What the form (or a revision) holds. ``texts`` is keyed by ``rules.LIMITS``."""

    category: str
    texts: dict[str, str] = field(default_factory=dict)
    persistence: str = "ny"
    sources: str = ""  # one a line, see ``rules.parse_sources``
    place: str = ""  # typed
    place_id: int | None = None  # chosen from a list


@dataclass(frozen=True)
class AnalysisStart:
    """What the form opens with: the group's categories, the place if it is known (with its
    pattern in time over the last year), or the analysis a revision starts from."""

    categories: tuple[IncidentCategory, ...]
    place: tuple[int, str] | None = None
    pattern: PatternReport | None = None
    current: AnalysisView | None = None


class AnalysisService:
    def __init__(self, db: Database, patterns: PatternService) -> None:
        self.db = db
        self.patterns = patterns

    def start(self, actor: Actor, place_text: str, *, now: datetime) -> AnalysisStart:
        """The new-analysis form: for members; a place named must exist."""
        group = _writer(actor)
        with self.db.unit_of_work(read_only=True) as uow:
            categories = tuple(IncidentCategory.of(c) for c in uow.categories.of_group(group.id))
            place = resolve(uow, actor, group.id, place_text) if place_text.strip() else None
        if place is None or place.id is None:
            return AnalysisStart(categories)
        pattern = self.patterns.of_place(actor, place.id, now=now)
        return AnalysisStart(categories, (place.id, place.name), pattern)

    def start_revision(self, actor: Actor, analysis_id: int) -> AnalysisStart:
        group = _writer(actor)
        with self.db.unit_of_work(read_only=True) as uow:
            categories = tuple(IncidentCategory.of(c) for c in uow.categories.of_group(group.id))
            current = analysis_view(uow, _analysis_in(uow, group.id, analysis_id))
        return AnalysisStart(categories, current=current)

    def create(self, actor: Actor, draft: AnalysisDraft, *, now: datetime) -> AnalysisView:
        group = _writer(actor)
        content = _content(draft, now, group.timezone)
        with self.db.unit_of_work() as uow:
            place = _place(uow, actor, group.id, draft)
            content["category"] = _category(uow, group.id, draft.category)
            _check_sources(uow, group.id, content["sources"])
            row = uow.analyses.add(
                CauseAnalysis(
                    group_id=group.id,
                    place_id=place.id or 0,
                    **content,
                    created_by=actor.user_id,
                    updated_by=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            _keep_version(uow, row, now)
            uow.audit.record_row("cause_analysis.created", row, actor=actor.user_id, at=now)
            return analysis_view(uow, row, with_ties=True)

    def revise(
        self, actor: Actor, analysis_id: int, draft: AnalysisDraft, *, now: datetime
    ) -> AnalysisView:
        """A new version (at a meeting, or when more is known); the place stays."""
        group = _writer(actor)
        content = _content(draft, now, group.timezone)
        with self.db.unit_of_work() as uow:
            row = _analysis_in(uow, group.id, analysis_id)
            content["category"] = _category(uow, group.id, draft.category)
            _check_sources(uow, group.id, content["sources"])
            before = snapshot(row)
            for name, value in content.items():
                setattr(row, name, value)
            row.version += 1
            row.updated_by, row.updated_at = actor.user_id, now
            uow.analyses.add(row)
            _keep_version(uow, row, now)
            uow.audit.record_row(
                "cause_analysis.revised", row, actor=actor.user_id, at=now, before=before
            )
            return analysis_view(uow, row, with_ties=True)

    def set_open(
        self, actor: Actor, analysis_id: int, is_open: bool, *, now: datetime
    ) -> AnalysisView:
        """Close an analysis (its problem is dealt with) or open it again: its author or an
        admin."""
        group = _writer(actor)
        with self.db.unit_of_work() as uow:
            row = _analysis_in(uow, group.id, analysis_id)
            if actor.user_id != row.created_by and not actor.is_admin:
                raise Forbidden(
                    N_("Only its author or an admin can close cause analysis #{id}.", id=row.id)
                )
            before = snapshot(row)
            row.status = AnalysisStatus.OPEN if is_open else AnalysisStatus.CLOSED
            row.updated_by, row.updated_at = actor.user_id, now
            uow.analyses.add(row)
            uow.audit.record_row(
                "cause_analysis.changed", row, actor=actor.user_id, at=now, before=before
            )
            return analysis_view(uow, row, with_ties=True)

    def get(self, actor: Actor, analysis_id: int) -> AnalysisView:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            return analysis_view(uow, _analysis_in(uow, group.id, analysis_id), with_ties=True)

    def of_group(self, actor: Actor) -> tuple[AnalysisView, ...]:
        """The group's analyses, open first."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            return tuple(analysis_views(uow, list(uow.analyses.of_group(group.id))))

    def versions(self, actor: Actor, analysis_id: int) -> tuple[tuple[int, str, datetime], ...]:
        """(version, who saved it, when), oldest first."""
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            row = _analysis_in(uow, group.id, analysis_id)
            return tuple(
                (v.version, v.changed_by, v.changed_at) for v in uow.analyses.versions(row.id or 0)
            )


def _writer(actor: Actor) -> EstGroup:
    """The group of a member who may write analyses (readers read them)."""
    group = require(actor, Role.LASARE)
    if actor.member is not None and actor.member.role == Role.LASARE:
        raise Forbidden(N_("Readers read cause analyses; members write them."))
    return group


def _content(draft: AnalysisDraft, now: datetime, timezone: str) -> dict[str, Any]:
    """The draft's texts as they will be saved: guarded, within their limits."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    content: dict[str, Any] = dict(check_fields(draft.texts))
    content["persistence"] = parse_persistence(draft.persistence).value
    content["sources"] = [s.to_json() for s in parse_sources(draft.sources, today=today)]
    return content


def _place(uow: UnitOfWork, actor: Actor, group_id: int, draft: AnalysisDraft) -> Place:
    if draft.place_id is not None:
        return place_in(uow, group_id, draft.place_id)
    if not draft.place.strip():
        raise InvalidInput(N_("Choose the place."), field="place")
    return resolve(uow, actor, group_id, draft.place)


def _category(uow: UnitOfWork, group_id: int, text: str) -> str:
    if not text.strip():
        raise InvalidInput(N_("Choose the problem's category."), field="category")
    categories = [IncidentCategory.of(c) for c in uow.categories.of_group(group_id)]
    return match_category(text.strip(), categories).key


def _check_sources(uow: UnitOfWork, group_id: int, sources: list[dict[str, Any]]) -> None:
    """Every incident and report a source names is a record of this group."""
    typed = [Source.from_json(s) for s in sources]
    for kind, known in (
        ("incident", uow.analyses.known_incidents),
        ("report", uow.analyses.known_reports),
    ):
        ids = {int(s.ref) for s in typed if s.kind == kind}
        if missing := sorted(ids - known(group_id, ids)):
            message = (
                N_("No incident #{id} in this group.", id=missing[0])
                if kind == "incident"
                else N_("No situation report #{id} in this group.", id=missing[0])
            )
            raise InvalidInput(message, field="sources")


def _keep_version(uow: UnitOfWork, row: CauseAnalysis, now: datetime) -> None:
    assert row.id is not None
    uow.analyses.add_version(
        CauseAnalysisVersion(
            analysis_id=row.id,
            version=row.version,
            content=snapshot(row),
            changed_by=row.updated_by,
            changed_at=now,
        )
    )


def tied_analysis(uow: UnitOfWork, group_id: int, analysis_id: int | None) -> int | None:
    """The analysis an action or activity grows out of, if it is one of this group's."""
    return None if analysis_id is None else _analysis_in(uow, group_id, analysis_id).id


def _analysis_in(uow: UnitOfWork, group_id: int, analysis_id: int) -> CauseAnalysis:
    row = uow.analyses.get(analysis_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No cause analysis #{id} in this group.", id=analysis_id))
    return row
