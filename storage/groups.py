"""Queries over EST groups, their organisations and their members, and the one read every Slack
request starts with (``membership_query``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from storage.models import Group, Member, MemberStatus, Organisation, Role


class GroupRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, group: Group) -> Group:
        self.session.add(group)
        self.session.flush()
        return group

    def get(self, group_id: int) -> Group | None:
        return self.session.get(Group, group_id)

    def try_lock(self, group_id: int, *, job: int) -> bool:
        """Whether this transaction may do ``job`` (a constant of the caller's) for the group
        now: on PostgreSQL a transaction-scoped advisory lock, False while another transaction
        (another clock) holds it, so two clocks share a planning instead of both doing all of
        it; SQLite's writers take turns anyway, so there it is always True."""
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        taken = self.session.execute(
            text("SELECT pg_try_advisory_xact_lock(:job, :group_id)"),
            {"job": job, "group_id": group_id},
        ).scalar()
        return bool(taken)

    def by_channel(self, team_id: str, channel_id: str) -> Group | None:
        query = select(Group).where(
            Group.slack_team_id == team_id, Group.slack_channel_id == channel_id
        )
        return self.session.exec(query).first()

    def by_name(self, name: str) -> Group | None:
        return self.session.exec(select(Group).where(Group.name == name)).first()

    def of_team(self, team_id: str) -> Sequence[Group]:
        """Every group of a workspace, archived ones too."""
        return self.session.exec(select(Group).where(Group.slack_team_id == team_id)).all()

    def live(self, ids: Collection[int] | None = None) -> Sequence[Group]:
        """Groups not archived (channel archived, app removed), in id order; with ``ids``, only
        those among them. The clock plans nothing (rhythm, reminders, summaries, activity
        messages) for the others."""
        if ids is not None and not ids:
            return []
        query = select(Group).where(col(Group.archived_at).is_(None))
        if ids is not None:
            query = query.where(col(Group.id).in_(ids))
        return self.session.exec(query.order_by(col(Group.id))).all()

    def of_user(self, team_id: str, user_id: str) -> Sequence[Group]:
        """Groups in which the user is an active member."""
        query = (
            select(Group)
            .join(Member, col(Member.group_id) == col(Group.id))
            .where(
                Group.slack_team_id == team_id,
                Member.slack_user_id == user_id,
                Member.status == MemberStatus.ACTIVE,
            )
            .order_by(col(Group.id))
        )
        return self.session.exec(query).all()


@cache
def membership_query() -> Select[Any]:
    """A channel's group and a user's membership in it, as plain columns (parameters: team,
    channel, user). Every Slack request starts here, so it is built once and skips the ORM."""
    g, m, o = Group.__table__.c, Member.__table__.c, Organisation.__table__.c  # type: ignore[attr-defined]
    return (
        core_select(
            g.id,
            g.name,
            g.slack_team_id,
            g.slack_channel_id,
            g.language,
            g.timezone,
            g.hotspot_count,
            g.hotspot_days,
            g.hotspot_factor,
            g.started_on,
            g.created_at,
            m.id.label("member_id"),
            m.role,
            m.status,
            m.language.label("member_language"),
            o.id.label("organisation_id"),
            o.name.label("organisation_name"),
            o.kind.label("organisation_kind"),
        )
        .select_from(Group.__table__)  # type: ignore[attr-defined]
        .outerjoin(
            Member.__table__,  # type: ignore[attr-defined]
            and_(m.group_id == g.id, m.slack_user_id == bindparam("user")),
        )
        .outerjoin(Organisation.__table__, o.id == m.organisation_id)  # type: ignore[attr-defined]
        .where(g.slack_team_id == bindparam("team"), g.slack_channel_id == bindparam("channel"))
    )


class OrganisationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, organisation: Organisation) -> Organisation:
        self.session.add(organisation)
        self.session.flush()
        return organisation

    def get(self, organisation_id: int) -> Organisation | None:
        return self.session.get(Organisation, organisation_id)

    def many(self, organisation_ids: Collection[int]) -> Sequence[Organisation]:
        """The organisations with these ids (those that exist), loaded in one query."""
        query = select(Organisation).where(col(Organisation.id).in_(list(organisation_ids)))
        return self.session.exec(query).all()

    def of_group(self, group_id: int) -> Sequence[Organisation]:
        query = (
            select(Organisation)
            .where(Organisation.group_id == group_id)
            .order_by(col(Organisation.name))
        )
        return self.session.exec(query).all()


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def in_team(self, team_id: str, user_id: str) -> Sequence[tuple[Member, Group]]:
        """The person's memberships, active or asked for, in every group of a workspace."""
        query = (
            select(Member, Group)
            .join(Group, col(Group.id) == col(Member.group_id))
            .where(
                Group.slack_team_id == team_id,
                Member.slack_user_id == user_id,
                Member.status != MemberStatus.INACTIVE,
            )
        )
        return self.session.exec(query).all()

    def add(self, member: Member) -> Member:
        """Store a new member, or the changes of one already stored."""
        self.session.add(member)
        self.session.flush()
        return member

    def get(self, member_id: int) -> Member | None:
        return self.session.get(Member, member_id)

    def find(self, group_id: int, user_id: str) -> Member | None:
        query = select(Member).where(Member.group_id == group_id, Member.slack_user_id == user_id)
        return self.session.exec(query).first()

    def of_group(self, group_id: int, *, status: str | None = None) -> Sequence[Member]:
        query = select(Member).where(Member.group_id == group_id)
        if status is not None:
            query = query.where(Member.status == status)
        return self.session.exec(query.order_by(col(Member.id))).all()

    def admins(self, group_id: int) -> list[str]:
        """The Slack user ids of the group's active admins, in the order they became members."""
        query = (
            select(Member.slack_user_id)
            .where(
                Member.group_id == group_id,
                Member.role == Role.ADMIN,
                Member.status == MemberStatus.ACTIVE,
            )
            .order_by(col(Member.id))
        )
        return list(self.session.exec(query).all())

    def count_admins(self, group_id: int) -> int:
        """Active admins of the group, the changes of this transaction included."""
        self.session.flush()
        query = (
            select(func.count())
            .select_from(Member)
            .where(
                Member.group_id == group_id,
                Member.role == Role.ADMIN,
                Member.status == MemberStatus.ACTIVE,
            )
        )
        return int(self.session.exec(query).one())
