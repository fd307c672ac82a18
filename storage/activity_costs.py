"""Queries over what an auditor follows from an activity: its cost lines, the documents behind
them, and what each funding source allocated for a year."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from storage.models import ActivityCost, ActivityDocument, GrantAllocation


class CostRepository:
    """The cost lines of activities, amounts in öre."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, cost: ActivityCost) -> ActivityCost:
        self.session.add(cost)
        self.session.flush()
        return cost

    def save(self, cost: ActivityCost) -> ActivityCost:
        """Write the changes made to a loaded cost line (moved to another activity)."""
        self.session.add(cost)
        self.session.flush()
        return cost

    def get(self, cost_id: int) -> ActivityCost | None:
        return self.session.get(ActivityCost, cost_id)

    def of_activity(self, activity_id: int) -> Sequence[ActivityCost]:
        """The activity's cost lines, in the order they were added."""
        return self.of_activities([activity_id])

    def of_activities(self, activity_ids: Collection[int]) -> Sequence[ActivityCost]:
        """The cost lines of these activities, in the order they were added, in one query."""
        query = (
            select(ActivityCost)
            .where(col(ActivityCost.activity_id).in_(list(activity_ids)))
            .order_by(col(ActivityCost.id))
        )
        return self.session.exec(query).all()

    def of_group(self, group_id: int) -> Sequence[ActivityCost]:
        """Every cost line of the group, by activity, then in the order they were added."""
        query = (
            select(ActivityCost)
            .where(ActivityCost.group_id == group_id)
            .order_by(col(ActivityCost.activity_id), col(ActivityCost.id))
        )
        return self.session.exec(query).all()


class DocumentRepository:
    """The documents filed under activities (contracts, invoices, permits), each dated."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, document: ActivityDocument) -> ActivityDocument:
        self.session.add(document)
        self.session.flush()
        return document

    def save(self, document: ActivityDocument) -> ActivityDocument:
        """Write the changes made to a loaded document (filed under another activity)."""
        self.session.add(document)
        self.session.flush()
        return document

    def get(self, document_id: int) -> ActivityDocument | None:
        return self.session.get(ActivityDocument, document_id)

    def of_activity(self, activity_id: int) -> Sequence[ActivityDocument]:
        """The activity's documents, oldest first by their own date."""
        return self.of_activities([activity_id])

    def of_activities(self, activity_ids: Collection[int]) -> Sequence[ActivityDocument]:
        """The documents of these activities, oldest first by their own date, in one query."""
        query = (
            select(ActivityDocument)
            .where(col(ActivityDocument.activity_id).in_(list(activity_ids)))
            .order_by(col(ActivityDocument.document_date), col(ActivityDocument.id))
        )
        return self.session.exec(query).all()


class GrantRepository:
    """What each funding source allocated to a group for a year."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_year(self, group_id: int, year: int) -> Sequence[GrantAllocation]:
        """The year's allocations, by funding source."""
        query = select(GrantAllocation).where(
            GrantAllocation.group_id == group_id, GrantAllocation.year == year
        )
        return self.session.exec(query.order_by(col(GrantAllocation.funding_source))).all()

    def allocation(self, group_id: int, year: int, source: str) -> GrantAllocation | None:
        query = select(GrantAllocation).where(
            GrantAllocation.group_id == group_id,
            GrantAllocation.year == year,
            GrantAllocation.funding_source == source,
        )
        return self.session.exec(query).first()

    def save(self, allocation: GrantAllocation) -> GrantAllocation:
        """Store a new allocation, or the changes made to a loaded one."""
        self.session.add(allocation)
        self.session.flush()
        return allocation
