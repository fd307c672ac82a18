"""The records an activity can cite as its motivation: incidents and the entries of situation
reports, found by place, category, week and words across the whole history of a group."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from storage.models import Incident, Organisation, Place, ReportEntry, SituationReport

# a situation report's entry as it motivates an activity: who reported what, where
CitedEntry = tuple[ReportEntry, SituationReport, Organisation, Place]


@dataclass(frozen=True)
class TypedWord:
    """One word typed into the picker: lower case, and the places and categories it names."""

    text: str
    places: tuple[int, ...] = ()
    categories: tuple[int, ...] = ()


@dataclass(frozen=True)
class RecordQuery:
    """What a person typed into the motivation picker, made into filters. Places and
    categories are matched by the bot (diacritics folded); words are searched in the text."""

    group_id: int
    until: datetime  # saved by then: nothing registered after the activity was planned
    place_ids: Collection[int]  # the places the activity is at (every place of the group)
    words: Sequence[TypedWord] = ()  # each must be in the text, or name the place or category
    week: tuple[int, int] | None = None  # a week typed (ISO year, week) …
    happened: tuple[datetime, datetime] | None = None  # … as instants: [start, end)
    limit: int = 100


class CandidateRepository:
    """The dated records at a group's places that an activity can cite as its motivation:
    incidents and the entries of situation reports."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def report_entry(self, group_id: int, entry_id: int) -> CitedEntry | None:
        """The entry with its report, the reporting organisation and the place, if the entry
        is in one of the group's reports."""
        query = _cited_entries().where(
            ReportEntry.id == entry_id, SituationReport.group_id == group_id
        )
        return self.session.exec(query).first()

    def incidents_at(
        self,
        group_id: int,
        place_ids: Collection[int],
        *,
        since: datetime,
        until: datetime,
        limit: int,
    ) -> Sequence[Incident]:
        """Live incidents at these places that happened from ``since`` on and were saved by
        ``until``: the ``limit`` latest to happen, latest first."""
        query = (
            select(Incident)
            .where(
                col(Incident.group_id) == group_id,
                col(Incident.place_id).in_(list(place_ids)),
                col(Incident.deleted_at).is_(None),
                col(Incident.created_at) <= until,
                col(Incident.occurred_at) >= since,
            )
            .order_by(col(Incident.occurred_at).desc())
            .limit(limit)
        )
        return self.session.exec(query).all()

    def report_entries_at(
        self,
        group_id: int,
        place_ids: Collection[int],
        *,
        since: datetime,
        until: datetime,
        limit: int,
    ) -> Sequence[CitedEntry]:
        """Entries about these places in reports last saved in [since, until]: at most
        ``limit``, those of the latest saved reports first."""
        query = (
            _cited_entries()
            .where(
                SituationReport.group_id == group_id,
                col(ReportEntry.place_id).in_(list(place_ids)),
                col(SituationReport.updated_at) <= until,
                col(SituationReport.updated_at) >= since,
            )
            .order_by(col(SituationReport.updated_at).desc())
            .limit(limit)
        )
        return self.session.exec(query).all()

    def search_incidents(self, q: RecordQuery) -> Sequence[Incident]:
        """Live incidents at the places, saved by ``q.until``, that match every typed word (in
        the text, unless restricted, or by place or category), latest to happen first."""
        query = select(Incident).where(
            col(Incident.group_id) == q.group_id,
            col(Incident.place_id).in_(list(q.place_ids)),
            col(Incident.deleted_at).is_(None),
            col(Incident.created_at) <= q.until,
        )
        if q.happened is not None:
            start, end = q.happened
            query = query.where(col(Incident.occurred_at) >= start, col(Incident.occurred_at) < end)
        for word in q.words:
            in_text = and_(col(Incident.restricted).is_(False), _says(Incident.description, word))
            named = [col(Incident.place_id).in_(word.places)] if word.places else []
            if word.categories:
                named.append(col(Incident.category_id).in_(word.categories))
            query = query.where(or_(in_text, *named))
        query = query.order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc())
        return self.session.exec(query.limit(q.limit)).all()

    def search_entries(self, q: RecordQuery) -> Sequence[CitedEntry]:
        """Entries of reports saved by ``q.until`` about the places, matching every typed word
        (in the observations or the organisation's name, or by place), newest report first."""
        query = _cited_entries().where(
            SituationReport.group_id == q.group_id,
            col(ReportEntry.place_id).in_(list(q.place_ids)),
            col(SituationReport.updated_at) <= q.until,
        )
        if q.week is not None:
            query = query.where(
                SituationReport.iso_year == q.week[0], SituationReport.iso_week == q.week[1]
            )
        for word in q.words:
            said = [_says(ReportEntry.observations, word), _says(Organisation.name, word)]
            said.append(_says(ReportEntry.level, word))
            if word.places:
                said.append(col(ReportEntry.place_id).in_(word.places))
            query = query.where(or_(*said))
        query = query.order_by(col(SituationReport.updated_at).desc(), col(ReportEntry.id).desc())
        return self.session.exec(query.limit(q.limit)).all()


def _says(column: Any, word: TypedWord) -> ColumnElement[bool]:
    """The text holds the word, in any case. SQLite lowers only A–Z, so a word starting with
    å, ä or ö is also looked for capitalised, as it begins a sentence."""
    text = func.lower(func.coalesce(col(column), ""))
    found = [text.contains(word.text, autoescape=True)]
    if word.text and word.text[0] in "åäöéü":
        found.append(text.contains(word.text[:1].upper() + word.text[1:], autoescape=True))
    return or_(*found)


def _cited_entries() -> Select[ReportEntry, SituationReport, Organisation, Place]:
    """Entries joined to their report, the reporting organisation and the place."""
    return (
        select(ReportEntry, SituationReport, Organisation, Place)
        .join(SituationReport, col(SituationReport.id) == col(ReportEntry.report_id))
        .join(Organisation, col(Organisation.id) == col(SituationReport.organisation_id))
        .join(Place, col(Place.id) == col(ReportEntry.place_id))
    )
