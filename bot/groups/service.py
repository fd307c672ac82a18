"""EST groups, their organisations and members: setup, joining, roles, language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.actors import Actor, EstGroup, GroupOverview, Membership, Party, start_day
from bot.commands import fold
from bot.errors import (
    Conflict,
    InvalidInput,
    NoGroupHere,
    NotFound,
    UnknownName,
)
from bot.groups.notifications import GroupCreated, JoinDecided, JoinRequested, MemberAdded
from bot.i18n import N_, normalize_language
from bot.incidents.categories import seed_defaults
from bot.notifier import Notifier
from bot.rules import check_hotspot, check_timezone, clean_name, parse_kind, parse_role, require
from storage.db import Database
from storage.groups import membership_query
from storage.models import Group, Member, MemberStatus, Organisation, OrganisationKind, Role
from storage.repositories import UnitOfWork, snapshot


class GroupService:
    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    def locate(self, team_id: str, channel_id: str, user_id: str) -> Actor:
        """The group of this channel (or the user's only group, from a DM) and the membership."""
        params = {"team": team_id, "channel": channel_id, "user": user_id}
        found = self.db.read_one(membership_query(), params)
        if found is None and (not channel_id or channel_id.startswith("D")):
            with self.db.unit_of_work(read_only=True) as uow:
                mine = uow.groups.of_user(team_id, user_id)
            if len(mine) == 1:  # from a DM: the one group the person belongs to
                params["channel"] = mine[0].slack_channel_id
                found = self.db.read_one(membership_query(), params)
        if found is None:
            return Actor(team_id, user_id, channel_id)
        return Actor(team_id, user_id, channel_id, *_views(found, user_id))

    def create_group(
        self, actor: Actor, *, name: str, organisation: str, kind: str, language: str, now: datetime
    ) -> EstGroup:
        """Bind a new group to the actor's channel; the actor becomes its first admin."""
        lang = normalize_language(language) or "sv"
        org_kind = parse_kind(kind)
        with self.db.unit_of_work() as uow:
            if uow.groups.by_channel(actor.team_id, actor.channel_id) is not None:
                raise Conflict(N_("This channel already has an EST group."))
            group = uow.groups.add(
                Group(
                    name=clean_name(name, "name"),
                    slack_team_id=actor.team_id,
                    slack_channel_id=actor.channel_id,
                    language=lang,
                    created_by=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            assert group.id is not None
            _audit(uow, "group.created", group, actor.user_id, now)
            org = _add_organisation(uow, group.id, organisation, org_kind, actor.user_id, now)
            admin, active = Role.ADMIN, MemberStatus.ACTIVE
            _upsert_member(uow, group.id, actor.user_id, org, admin, active, actor.user_id, now)
            seed_defaults(uow, group.id, actor=actor.user_id, now=now)
            view = EstGroup.of(group)
        self.notifier.notify(GroupCreated(view, actor.user_id))
        return view

    def add_organisation(self, actor: Actor, *, name: str, kind: str, now: datetime) -> Party:
        group = require(actor, Role.ADMIN)
        org_kind = parse_kind(kind)
        with self.db.unit_of_work() as uow:
            org = _add_organisation(uow, group.id, name, org_kind, actor.user_id, now)
            return Party.of(org)

    def request_join(
        self, actor: Actor, *, organisation: str | int, role: str = "medlem", now: datetime
    ) -> Membership:
        """Ask to join the group through an organisation (its name as typed, or its id from a
        form), as a member or as a reporter (rapportör); the admins are asked to approve."""
        asked = parse_role(role)
        if asked not in (Role.MEDLEM, Role.RAPPORTOR):
            raise InvalidInput(N_("Ask to join as a member or as a reporter (rapportör)."))
        if actor.group is None:
            raise NoGroupHere()
        if actor.member is not None and actor.member.status != MemberStatus.INACTIVE:
            raise Conflict(
                N_(
                    "You are already a member of {group}, or your request is waiting for an admin.",
                    group=actor.group.name,
                )
            )
        with self.db.unit_of_work() as uow:
            org = find_organisation(uow, actor.group.id, organisation)
            member = _upsert_member(
                uow,
                actor.group.id,
                actor.user_id,
                org,
                asked,
                MemberStatus.PENDING,
                actor.user_id,
                now,
            )
            view = Membership.of(member, org)
            admins = tuple(uow.members.admins(actor.group.id))
        self.notifier.notify(JoinRequested(actor.group, view, admins))
        return view

    def decide_join(
        self, actor: Actor, member_id: int, *, approve: bool, now: datetime
    ) -> Membership:
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work() as uow:
            member = _member_in(uow, group.id, member_id)
            if member.status != MemberStatus.PENDING:
                raise Conflict(N_("That request has already been handled."))
            before = snapshot(member)
            member.status = MemberStatus.ACTIVE if approve else MemberStatus.INACTIVE
            member.updated_at = now
            action = "member.approved" if approve else "member.rejected"
            _audit(uow, action, member, actor.user_id, now, before)
            org = uow.organisations.get(member.organisation_id)
            assert org is not None
            view = Membership.of(member, org)
        self.notifier.notify(JoinDecided(group, view, approve, actor.user_id))
        return view

    def add_member(
        self, actor: Actor, *, user_id: str, organisation: str | int, role: str, now: datetime
    ) -> Membership:
        """An admin adds (or re-activates) a member directly; ``organisation`` by name or id."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work() as uow:
            org = find_organisation(uow, group.id, organisation)
            role_ = parse_role(role)
            member = _upsert_member(
                uow, group.id, user_id, org, role_, MemberStatus.ACTIVE, actor.user_id, now
            )
            _keeps_an_admin(uow, group.id)
            view = Membership.of(member, org)
        self.notifier.notify(MemberAdded(group, view, actor.user_id))
        return view

    def change_member(
        self,
        actor: Actor,
        member_id: int,
        *,
        role: str | None = None,
        active: bool | None = None,
        now: datetime,
    ) -> Membership:
        """Change a member's role or remove them; the group always keeps an admin."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work() as uow:
            member = _member_in(uow, group.id, member_id)
            before = snapshot(member)
            if role is not None:
                member.role = parse_role(role)
            if active is not None:
                member.status = MemberStatus.ACTIVE if active else MemberStatus.INACTIVE
            member.updated_at = now
            _keeps_an_admin(uow, group.id)
            _audit(uow, "member.changed", member, actor.user_id, now, before)
            org = uow.organisations.get(member.organisation_id)
            assert org is not None
            return Membership.of(member, org)

    def change_member_of(
        self, actor: Actor, user_id: str, choice: str, *, now: datetime
    ) -> Membership:
        """The "change member" form: a new role for ``user_id``, or "remove" (ta bort)."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work(read_only=True) as uow:
            member = uow.members.find(group.id, user_id)
            if member is None or member.id is None:
                raise NotFound(N_("No such member in this group."))
            member_id = member.id
        if fold(choice) in ("ta bort", "remove"):
            return self.change_member(actor, member_id, active=False, now=now)
        return self.change_member(actor, member_id, role=choice, active=True, now=now)

    def set_language(self, actor: Actor, language: str, *, now: datetime) -> str:
        """The actor's own language in this group (a reporter's too)."""
        group = require(actor, Role.RAPPORTOR)
        lang = normalize_language(language)
        if lang is None:
            raise InvalidInput(N_("Choose “sv” (svenska) or “en” (English)."))
        with self.db.unit_of_work() as uow:
            member = _member_in(uow, group.id, actor.member.id if actor.member else 0)
            before = snapshot(member)
            member.language, member.updated_at = lang, now
            _audit(uow, "member.changed", member, actor.user_id, now, before)
        return lang

    def update_group(
        self,
        actor: Actor,
        *,
        name: str,
        language: str,
        timezone: str,
        hotspot: tuple[int, int, float] | None = None,
        now: datetime,
    ) -> EstGroup:
        """Name, language, time zone and the hotspot thresholds (count, days, factor)."""
        group = require(actor, Role.ADMIN)
        lang = normalize_language(language)
        if lang is None:
            raise InvalidInput(N_("Choose “sv” (svenska) or “en” (English)."), field="language")
        with self.db.unit_of_work() as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            before = snapshot(row)
            row.name, row.language = clean_name(name, "name"), lang
            row.timezone, row.updated_at = check_timezone(timezone), now
            if hotspot is not None:
                row.hotspot_count, row.hotspot_days, row.hotspot_factor = check_hotspot(*hotspot)
            _audit(uow, "group.changed", row, actor.user_id, now, before)
            return EstGroup.of(row)

    def joinable_organisations(self, actor: Actor) -> tuple[Party, ...]:
        """The organisations one can join through (names only; no members, no data)."""
        if actor.group is None:
            raise NoGroupHere()
        with self.db.unit_of_work(read_only=True) as uow:
            return tuple(Party.of(o) for o in uow.organisations.of_group(actor.group.id))

    def search_organisations(
        self, actor: Actor, text: str, *, limit: int = 100
    ) -> tuple[Party, ...]:
        """The organisations whose name holds what was typed (all, for nothing typed), by name,
        at most ``limit``: the typeahead of a form when the group has more than a menu holds."""
        key = fold(" ".join(text.split()))
        found = [o for o in self.joinable_organisations(actor) if key in fold(o.name)]
        return tuple(sorted(found, key=lambda o: fold(o.name))[:limit])

    def overview(self, actor: Actor) -> GroupOverview:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            orgs = {o.id: o for o in uow.organisations.of_group(group.id)}
            members = tuple(
                Membership.of(m, orgs[m.organisation_id]) for m in uow.members.of_group(group.id)
            )
            return GroupOverview(group, tuple(Party.of(o) for o in orgs.values()), members)


def _keeps_an_admin(uow: UnitOfWork, group_id: int) -> None:
    if uow.members.count_admins(group_id) == 0:
        raise Conflict(N_("The group must keep at least one admin. Make someone else admin first."))


def _member_in(uow: UnitOfWork, group_id: int, member_id: int) -> Member:
    member = uow.members.get(member_id)
    if member is None or member.group_id != group_id:
        raise NotFound(N_("No such member in this group."))
    return member


def _views(row: Mapping[str, Any], user_id: str) -> tuple[EstGroup, Membership | None]:
    group = EstGroup(
        row["id"],
        row["name"],
        row["slack_team_id"],
        row["slack_channel_id"],
        row["language"],
        row["timezone"],
        row["hotspot_count"],
        row["hotspot_days"],
        row["hotspot_factor"],
        start_day(row["started_on"], row["created_at"], row["timezone"]),
    )
    if row["member_id"] is None:
        return group, None
    organisation = Party(row["organisation_id"], row["organisation_name"], row["organisation_kind"])
    member = Membership(
        row["member_id"], user_id, organisation, row["role"], row["status"], row["member_language"]
    )
    return group, member


def find_organisation(uow: UnitOfWork, group_id: int, text: str | int) -> Organisation:
    """The group's organisation with this id (from a form), or called this (typed; the nearest
    name will do when only one is near)."""
    if isinstance(text, int):
        found = uow.organisations.get(text)
        if found is None or found.group_id != group_id:
            raise InvalidInput(N_("That organisation is not in this group."), field="organisation")
        return found
    orgs = {fold(o.name): o for o in uow.organisations.of_group(group_id)}
    key = fold(" ".join(text.split()))
    if key in orgs:
        return orgs[key]
    matches = process.extract(key, list(orgs), scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    if len(matches) == 1 or (matches and matches[0][1] >= 90 > matches[1][1]):
        return orgs[matches[0][0]]
    names = [orgs[m[0]].name for m in matches] or [o.name for o in orgs.values()]
    raise UnknownName(
        N_("No organisation called “{text}” in this group.", text=text),
        suggestions=names,
        field="organisation",
    )


def _add_organisation(
    uow: UnitOfWork, group_id: int, name: str, kind: OrganisationKind, actor: str, now: datetime
) -> Organisation:
    clean = clean_name(name, "organisation")
    if any(fold(o.name) == fold(clean) for o in uow.organisations.of_group(group_id)):
        raise Conflict(N_("The group already has an organisation called “{name}”.", name=clean))
    org = uow.organisations.add(
        Organisation(group_id=group_id, name=clean, kind=kind, created_at=now)
    )
    _audit(uow, "organisation.created", org, actor, now)
    return org


def _upsert_member(
    uow: UnitOfWork,
    group_id: int,
    user_id: str,
    org: Organisation,
    role: Role,
    status: MemberStatus,
    actor: str,
    now: datetime,
) -> Member:
    assert org.id is not None
    member = uow.members.find(group_id, user_id)
    before = snapshot(member) if member is not None else None
    if member is None:
        member = Member(
            group_id=group_id,
            slack_user_id=user_id,
            organisation_id=org.id,
            created_at=now,
            updated_at=now,
        )
    member.organisation_id, member.role, member.status = org.id, role, status
    member.updated_at = now
    uow.members.add(member)
    action = "member.added" if before is None else "member.changed"
    _audit(uow, action, member, actor, now, before)
    return member


def _audit(
    uow: UnitOfWork,
    action: str,
    row: Group | Organisation | Member,
    actor: str,
    now: datetime,
    before: dict[str, object] | None = None,
) -> None:
    uow.audit.record_row(action, row, actor=actor, at=now, before=before)
