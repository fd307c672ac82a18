"""Rules for groups: who may do what, and what counts as a valid name, role or type."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.actors import Actor, EstGroup
from bot.commands import fold
from bot.errors import Forbidden, InvalidInput, NoGroupHere, NotAMember
from bot.i18n import N_
from bot.privacy import ensure_no_personal_data
from storage.models import Member, MemberStatus, OrganisationKind, Role
from storage.repositories import UnitOfWork

MAX_NAME = 200
MAX_TEXT = 3000  # free text: descriptions, notes, reasons, observations


def check_text(value: str, field_name: str, limit: int = MAX_TEXT) -> str:
    """Free text as it will be saved: trimmed, not too long, and without personal data."""
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(
            N_("The text is too long ({n} characters; at most {max}).", n=len(value), max=limit),
            field=field_name,
        )
    ensure_no_personal_data(value, field=field_name)
    return value


def owner_member(uow: UnitOfWork, group_id: int, user_id: str) -> Member:
    """Who may own an action or an activity: an active member who is not a reader."""
    member = uow.members.find(group_id, user_id.strip().lstrip("@"))
    if (
        member is None
        or member.status != MemberStatus.ACTIVE
        or member.role in (Role.LASARE, Role.RAPPORTOR)
    ):
        raise InvalidInput(
            N_("The owner must be a member of the group (not a reader)."), field="owner"
        )
    return member


def check_hotspot(count: int, days: int, factor: float) -> tuple[int, int, float]:
    """Hotspot thresholds a group may choose: sensible ranges, so notices stay meaningful."""
    if not 2 <= count <= 50:
        raise InvalidInput(N_("Choose between 2 and 50 incidents."), field="hotspot_count")
    if not 1 <= days <= 60:
        raise InvalidInput(N_("Choose between 1 and 60 days."), field="hotspot_days")
    if not 1.0 < factor <= 10.0:
        raise InvalidInput(N_("Choose a factor above 1 and at most 10."), field="hotspot_factor")
    return count, days, factor


def parse_kind(value: str) -> OrganisationKind:
    """'polis', 'Polisen', 'forening', 'police' → the organisation kind, else InvalidInput."""
    english = {
        "municipality": "kommun",
        "police": "polis",
        "housing": "bostadsbolag",
        "school": "skola",
        "association": "förening",
        "other": "övrig",
    }
    key = fold(value.strip())
    for kind in OrganisationKind:
        if key in (fold(kind.value), fold(english.get(key, "")), fold(kind.value) + "en"):
            return kind
    if key in english:
        return OrganisationKind(english[key])
    kinds = ", ".join(k.value for k in OrganisationKind)
    raise InvalidInput(
        N_(
            "Unknown organisation type “{value}”. Choose one of: {kinds}.", value=value, kinds=kinds
        ),
        field="kind",
    )


def clean_name(value: str, field: str) -> str:
    """A name or title on one line, not too long, with no personal data in it."""
    name = " ".join(value.split())
    if not name:
        raise InvalidInput(N_("The name is missing."), field=field)
    if len(name) > MAX_NAME:
        raise InvalidInput(
            N_("The name is too long (at most {n} characters).", n=MAX_NAME), field=field
        )
    ensure_no_personal_data(name, field=field)
    return name


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            N_("Unknown time zone “{value}”, e.g. Europe/Stockholm.", value=value), field="timezone"
        ) from None
    return value


_RANK = {Role.RAPPORTOR: -1, Role.LASARE: 0, Role.MEDLEM: 1, Role.ADMIN: 2}


def require(actor: Actor, role: Role) -> EstGroup:
    """The actor's group, if they are an active member with at least ``role``."""
    if actor.group is None:
        raise NoGroupHere()
    if not actor.is_active_member or actor.member is None:
        raise NotAMember(
            N_(
                "You are not a member of {group}. Ask to join with "
                "`/est gå med <your organisation>`.",
                group=actor.group.name,
            )
        )
    if _RANK[Role(actor.member.role)] < _RANK[role]:
        if actor.member.role == Role.RAPPORTOR:  # a reporter: their own incidents, nothing else
            raise Forbidden(
                N_(
                    "As a reporter you can log incidents and see the ones you reported "
                    "(`/est händelse`, `/est händelser`); the rest is for the group's members."
                )
            )
        if role == Role.MEDLEM:  # a reader: members may, not only admins
            raise Forbidden(
                N_("Only the group's members can do that; as a reader you can read, not change.")
            )
        raise Forbidden(N_("Only the group's admins can do that."))
    return actor.group


def require_reporting(actor: Actor) -> EstGroup:
    """Who may log (and correct their own) incidents: members and reporters, not readers. The
    roles are not one ladder: a reporter writes incidents but reads nothing else, a reader reads
    everything but writes nothing."""
    if actor.member is not None and actor.member.role == Role.RAPPORTOR:
        return require(actor, Role.RAPPORTOR)
    return require(actor, Role.MEDLEM)


def parse_role(value: str) -> Role:
    roles = {
        "admin": Role.ADMIN,
        "medlem": Role.MEDLEM,
        "member": Role.MEDLEM,
        "läsare": Role.LASARE,
        "lasare": Role.LASARE,
        "reader": Role.LASARE,
        "rapportör": Role.RAPPORTOR,
        "rapportor": Role.RAPPORTOR,
        "reporter": Role.RAPPORTOR,
    }
    if (role := roles.get(value.strip().casefold())) is None:
        raise InvalidInput(
            N_("Unknown role “{value}”: admin, medlem, läsare or rapportör.", value=value),
            field="role",
        )
    return role
