"""What groups tell people at once: a new group, join requests and decisions, members who
left, an archived channel."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actors import Membership
from bot.notifier import Notification


@dataclass(frozen=True)
class GroupCreated(Notification):
    admin_user_id: str

    def recipients(self) -> tuple[str, ...]:
        return (self.group.channel_id,)


@dataclass(frozen=True)
class JoinRequested(Notification):
    member: Membership
    admin_user_ids: tuple[str, ...]

    def recipients(self) -> tuple[str, ...]:
        return self.admin_user_ids


@dataclass(frozen=True)
class JoinDecided(Notification):
    member: Membership
    approved: bool
    decided_by: str

    def recipients(self) -> tuple[str, ...]:
        return (self.member.user_id,)


@dataclass(frozen=True)
class MemberAdded(Notification):
    member: Membership
    added_by: str

    def recipients(self) -> tuple[str, ...]:
        return (self.member.user_id,)


@dataclass(frozen=True)
class MemberLeft(Notification):
    """A member left the workspace; ``promoted`` became admin so the group keeps one."""

    user_id: str
    admin_user_ids: tuple[str, ...]
    promoted: str | None

    def recipients(self) -> tuple[str, ...]:
        promoted = (self.promoted,) if self.promoted else ()
        return tuple(dict.fromkeys((*self.admin_user_ids, *promoted)))


@dataclass(frozen=True)
class ChannelArchived(Notification):
    admin_user_ids: tuple[str, ...]
    archived: bool  # False: unarchived again

    def recipients(self) -> tuple[str, ...]:
        return self.admin_user_ids
