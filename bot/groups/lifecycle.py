"""What happens around the groups in Slack: people leave, channels are archived or renamed, the
app is removed. Memberships and groups follow, the admins are told, and every change is audited
with the actor ``slack``.

* A person leaves the workspace (``user_change`` with ``deleted``): their memberships end. If
  they were a group's last admin, the longest-standing active member becomes admin — a group
  always keeps one — and is told so; the other admins are told either way.
* A member's display name changes (``user_change``): the files show the new one.
* The group's channel is archived: the group is marked archived (no weekly posts to a channel
  nobody can read) and its admins get a DM; unarchived, it is active again.
* The channel is renamed: nothing breaks (a group is bound to the channel's id); it is audited.
* The app is uninstalled or its bot token revoked: the workspace's groups are archived and
  what waits in the outbox for them is cancelled (nothing can be posted any more). The data
  stays, for export and for a reinstallation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.actors import EstGroup
from bot.groups.notifications import ChannelArchived, MemberLeft
from bot.notifier import Notifier
from bot.people import clean_display_name
from storage.db import Database
from storage.models import Group, Member, MemberStatus, Role
from storage.repositories import UnitOfWork, snapshot

ACTOR = "slack"


@dataclass(frozen=True)
class Archived:
    groups: tuple[int, ...]
    cancelled: int  # outbox rows that will not be sent


class LifecycleService:
    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    def user_left(self, team_id: str, user_id: str, *, now: datetime) -> int:
        """The person left the workspace: end their memberships. Returns how many ended."""
        notes: list[MemberLeft] = []
        with self.db.unit_of_work() as uow:
            for member, group in uow.members.in_team(team_id, user_id):
                was_admin = member.role == Role.ADMIN and member.status == MemberStatus.ACTIVE
                before = snapshot(member)
                member.status, member.updated_at = MemberStatus.INACTIVE, now
                uow.audit.record_row("member.left", member, actor=ACTOR, at=now, before=before)
                promoted = _keep_an_admin(uow, group, now) if was_admin else None
                admins = _admins(uow, group)
                notes.append(MemberLeft(EstGroup.of(group), user_id, admins, promoted))
        for note in notes:
            self.notifier.notify(note)
        return len(notes)

    def name_seen(
        self, team_id: str, user_id: str, name: str, *, now: datetime, joining: bool = False
    ) -> bool:
        """Keep the person's display name, as Slack gave it. Only members' names are kept:
        ``joining`` (they join or are added) or already a member of a group here."""
        name = clean_display_name(name)
        if not name or not user_id:
            return False
        with self.db.unit_of_work() as uow:
            if not joining and not uow.members.in_team(team_id, user_id):
                return False
            return uow.people.remember(team_id, user_id, name, now=now)

    def unnamed(self, group: EstGroup, *, limit: int = 50) -> tuple[str, ...]:
        """The group's members whose names are not known (they joined before names were
        kept): the edge looks them up before a file names them."""
        with self.db.unit_of_work(read_only=True) as uow:
            ids = {m.slack_user_id for m in uow.members.of_group(group.id)}
            known = uow.people.names(group.team_id, ids)
        return tuple(sorted(ids - set(known)))[:limit]

    def channel_archived(
        self, team_id: str, channel_id: str, *, archived: bool, now: datetime
    ) -> EstGroup | None:
        """The group's channel was archived (or unarchived)."""
        with self.db.unit_of_work() as uow:
            group = uow.groups.by_channel(team_id, channel_id)
            if group is None or (group.archived_at is not None) == archived:
                return None
            self._archive(uow, group, "channel_archived" if archived else None, now)
            view, admins = EstGroup.of(group), _admins(uow, group)
        self.notifier.notify(ChannelArchived(view, admins, archived))
        return view

    def channel_renamed(self, team_id: str, channel_id: str, name: str, *, now: datetime) -> bool:
        """Audited only: the group follows the channel's id, not its name."""
        with self.db.unit_of_work() as uow:
            group = uow.groups.by_channel(team_id, channel_id)
            if group is None:
                return False
            uow.audit.record(
                "group.channel_renamed",
                entity="group",
                entity_id=group.id,
                actor=ACTOR,
                at=now,
                group_id=group.id,
                after={"channel_name": name[:80]},
            )
            return True

    def uninstalled(self, team_id: str, *, reason: str, now: datetime) -> Archived:
        """The app was removed from the workspace (or its bot token revoked)."""
        with self.db.unit_of_work() as uow:
            groups = uow.groups.of_team(team_id)
            for group in groups:
                if group.archived_at is None:
                    self._archive(uow, group, reason, now)
            ids = tuple(g.id or 0 for g in groups)
            cancelled = uow.outbox.cancel_groups(ids) if ids else 0
        return Archived(ids, cancelled)

    @staticmethod
    def _archive(uow: UnitOfWork, group: Group, reason: str | None, now: datetime) -> None:
        before = snapshot(group)
        group.archived_at = now if reason else None
        group.archived_reason, group.updated_at = reason, now
        action = "group.archived" if reason else "group.unarchived"
        uow.audit.record_row(action, group, actor=ACTOR, at=now, before=before)


def _admins(uow: UnitOfWork, group: Group) -> tuple[str, ...]:
    assert group.id is not None
    return tuple(uow.members.admins(group.id))


def _keep_an_admin(uow: UnitOfWork, group: Group, now: datetime) -> str | None:
    """If the group has no admin left, make its longest-standing active member one."""
    assert group.id is not None
    if uow.members.count_admins(group.id):
        return None
    members: Sequence[Member] = uow.members.of_group(group.id, status=MemberStatus.ACTIVE)
    chosen = next((m for m in members if m.role == Role.MEDLEM), None)
    if chosen is None:
        return None
    before = snapshot(chosen)
    chosen.role, chosen.updated_at = Role.ADMIN, now
    uow.audit.record_row("member.promoted", chosen, actor=ACTOR, at=now, before=before)
    return chosen.slack_user_id
