"""What the cause-analysis services return: frozen values, never live rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.analysis.rules import Source
from storage.models import Action, Activity, AnalysisStatus, Category, CauseAnalysis, Place
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class Tie:
    """An action or activity that grew out of the analysis, with its status and outcome."""

    kind: str  # "action" or "activity"
    id: int
    title: str
    status: str
    outcome: str = ""  # an activity's effect as followed up; an action's nothing

    @classmethod
    def of_action(cls, row: Action) -> Tie:
        return cls("action", row.id or 0, row.title, row.status)

    @classmethod
    def of_activity(cls, row: Activity) -> Tie:
        return cls("activity", row.id or 0, row.title, row.status, row.effect)


@dataclass(frozen=True)
class AnalysisView:
    id: int
    group_id: int
    place_id: int
    place: str
    district: str
    category_key: str
    category_sv: str
    category_en: str
    description: str
    persistence: str
    days: str
    hours: str
    season: str
    place_side: str
    target_side: str
    offender_side: str
    place_manager: str
    guardians: str
    handlers: str
    why_here_now: str
    sources: tuple[Source, ...]
    status: str
    version: int
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime
    ties: tuple[Tie, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status == AnalysisStatus.OPEN

    def category(self, language: str) -> str:
        return (self.category_en if language == "en" else self.category_sv) or self.category_key


def analysis_view(uow: UnitOfWork, row: CauseAnalysis, *, with_ties: bool = False) -> AnalysisView:
    return analysis_views(uow, [row], with_ties=with_ties)[0]


def analysis_views(
    uow: UnitOfWork, rows: list[CauseAnalysis], *, with_ties: bool = False
) -> list[AnalysisView]:
    if not rows:
        return []
    places = uow.pictures.places({r.place_id for r in rows})
    categories = {c.key: c for c in uow.categories.of_group(rows[0].group_id, active_only=False)}
    views = []
    for row in rows:
        ties: tuple[Tie, ...] = ()
        if with_ties and row.id is not None:
            ties = tuple(Tie.of_action(a) for a in uow.analyses.actions(row.id))
            ties += tuple(Tie.of_activity(a) for a in uow.analyses.activities(row.id))
        views.append(_view(row, places[row.place_id], categories.get(row.category), ties))
    return views


def _view(
    row: CauseAnalysis, place: Place, category: Category | None, ties: tuple[Tie, ...]
) -> AnalysisView:
    assert row.id is not None
    return AnalysisView(
        id=row.id,
        group_id=row.group_id,
        place_id=row.place_id,
        place=place.name,
        district=place.district,
        category_key=row.category,
        category_sv=category.label_sv if category else row.category,
        category_en=category.label_en if category else row.category,
        description=row.description,
        persistence=row.persistence,
        days=row.days,
        hours=row.hours,
        season=row.season,
        place_side=row.place_side,
        target_side=row.target_side,
        offender_side=row.offender_side,
        place_manager=row.place_manager,
        guardians=row.guardians,
        handlers=row.handlers,
        why_here_now=row.why_here_now,
        sources=tuple(Source.from_json(s) for s in row.sources),
        status=row.status,
        version=row.version,
        created_by=row.created_by,
        updated_by=row.updated_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        ties=ties,
    )
