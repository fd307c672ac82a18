"""The Botkyrka demo workspace (domain.md §3): one group, three organisations, members, places."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.actors import Actor, EstGroup
from bot.groups.service import GroupService
from storage.db import Database
from storage.models import Place

DEMO_TEAM = "T0EST"
DEMO_CHANNEL = "C0EST"
DEMO_GROUP = "EST Botkyrka"

# (user id, display name, organisation, role)
DEMO_MEMBERS = (
    ("U0ANNA", "Anna Lindqvist, trygghetssamordnare", "Botkyrka kommun", "admin"),
    ("U0ERIK", "Erik Johansson, kommunpolis", "Polisen lokalpolisområde Botkyrka", "medlem"),
    ("U0SARA", "Sara Ahmed, trygghetsvärd", "Botkyrkabyggen", "medlem"),
    ("U0OMAR", "Omar Hassan, fältare", "Botkyrka kommun", "medlem"),
    ("U0BRA", "Lena Berg, Brå-styrgruppen", "Botkyrka kommun", "läsare"),
)
DEMO_ORGANISATIONS = (
    ("Polisen lokalpolisområde Botkyrka", "polis"),
    ("Botkyrkabyggen", "bostadsbolag"),
)

# (district, name, kind, aliases)
PLACES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Fittja", "Fittja centrum", "centrum", ("Fittja C", "Fittja centrum inne och ute")),
    ("Fittja", "Fittja tunnelbanestation", "station", ("Fittja T-bana", "Fittja tunnelbana")),
    ("Fittja", "Fittja torg", "torg", ()),
    ("Fittja", "Botkyrka konsthall", "kultur", ("Konsthallen",)),
    ("Fittja", "Fittja äng", "park", ("Fittjaängen",)),
    ("Fittja", "Fittjaskolan", "skola", ()),
    ("Fittja", "Tallidsskolan", "skola", ()),
    ("Alby", "Albys hjärta", "torg", ("Alby centrum",)),
    ("Hallunda/Norsborg", "Hallunda centrum", "centrum", ("Hallunda C",)),
    ("Hallunda/Norsborg", "Hallunda Folkets hus", "kultur", ("Folkets hus Hallunda",)),
    ("Hallunda/Norsborg", "Parken vid Hallunda Folkets hus", "park", ("Folkets hus-parken",)),
    ("Hallunda/Norsborg", "Hallunda bibliotek", "bibliotek", ()),
    ("Hallunda/Norsborg", "Norsborg centrum", "centrum", ("Norsborgs centrum",)),
    ("Hallunda/Norsborg", "Kårsby IP", "idrottsplats", ("Karsby IP", "Kårsby idrottsplats")),
    ("Hallunda/Norsborg", "Karsby International School", "skola", ("KIS",)),
    ("Hallunda/Norsborg", "Skolan Kastanjen", "skola", ("Kastanjen",)),
    ("Tumba", "Tumba station", "station", ("Tumba pendeltåg",)),
    ("Tumba", "Trappan till Munkhättevägen", "gångväg", ("Munkhättetrappan",)),
    ("Tumba", "Gymnasieparken", "park", ("Parken vid kommunalhuset",)),
    ("Tumba", "Tunaskolans gård", "skola", ("Tunaskolan",)),
    ("Tumba", "Storvreten", "bostadsområde", ("Storvretens centrum",)),
    ("Vårsta/Grödinge", "4H-gården Hågelby", "fritidsgård", ("Hågelby",)),
    ("Tullinge", "Lida friluftsgård", "friluftsområde", ("Lida",)),
)

# WGS84 (latitude, longitude) of the demo places, for the map: read off public maps of Botkyrka,
# each within a couple of hundred metres of the place (the school yards, centres and stations)
COORDINATES: dict[str, tuple[float, float]] = {
    "Fittja centrum": (59.2475, 17.8610),
    "Fittja tunnelbanestation": (59.2470, 17.8598),
    "Fittja torg": (59.2479, 17.8619),
    "Botkyrka konsthall": (59.2468, 17.8630),
    "Fittja äng": (59.2503, 17.8588),
    "Fittjaskolan": (59.2490, 17.8563),
    "Tallidsskolan": (59.2446, 17.8661),
    "Albys hjärta": (59.2393, 17.8453),
    "Hallunda centrum": (59.2434, 17.8254),
    "Hallunda Folkets hus": (59.2441, 17.8270),
    "Parken vid Hallunda Folkets hus": (59.2447, 17.8284),
    "Hallunda bibliotek": (59.2438, 17.8265),
    "Norsborg centrum": (59.2437, 17.8146),
    "Kårsby IP": (59.2486, 17.8192),
    "Karsby International School": (59.2452, 17.8221),
    "Skolan Kastanjen": (59.2420, 17.8180),
    "Tumba station": (59.1995, 17.8355),
    "Trappan till Munkhättevägen": (59.2010, 17.8301),
    "Gymnasieparken": (59.2003, 17.8281),
    "Tunaskolans gård": (59.2035, 17.8325),
    "Storvreten": (59.1920, 17.8390),
    "4H-gården Hågelby": (59.2185, 17.8505),
    "Lida friluftsgård": (59.1850, 17.8760),
}


@dataclass(frozen=True)
class DemoResult:
    group: EstGroup
    created: bool


def load_demo(db: Database, groups: GroupService, *, now: datetime) -> DemoResult:
    """Create the demo group unless it exists. Idempotent: a second load changes nothing."""
    admin = Actor(DEMO_TEAM, DEMO_MEMBERS[0][0], DEMO_CHANNEL)
    existing = groups.locate(DEMO_TEAM, DEMO_CHANNEL, admin.user_id)
    if existing.group is not None:
        return DemoResult(existing.group, created=False)
    group = groups.create_group(
        admin,
        name=DEMO_GROUP,
        organisation="Botkyrka kommun",
        kind="kommun",
        language="sv",
        now=now,
    )
    actor = groups.locate(DEMO_TEAM, DEMO_CHANNEL, admin.user_id)
    for name, kind in DEMO_ORGANISATIONS:
        groups.add_organisation(actor, name=name, kind=kind, now=now)
    for user_id, _name, org, role in DEMO_MEMBERS[1:]:
        groups.add_member(actor, user_id=user_id, organisation=org, role=role, now=now)
    with db.unit_of_work() as uow:
        for user_id, label, _org, _role in DEMO_MEMBERS:  # as users.info would name them
            uow.people.remember(DEMO_TEAM, user_id, label.partition(", ")[0], now=now)
        row = uow.groups.get(group.id)
        assert row is not None
        row.started_on = date(now.year - 3, 1, 1)  # an established group: records go years back
        for district, name, kind, aliases in PLACES:
            place = uow.places.add(
                Place(
                    group_id=group.id,
                    district=district,
                    name=name,
                    kind=kind,
                    aliases=list(aliases),
                    latitude=COORDINATES[name][0],
                    longitude=COORDINATES[name][1],
                    created_at=now,
                    updated_at=now,
                )
            )
            uow.audit.record_row("place.created", place, actor=admin.user_id, at=now)
    return DemoResult(replace(group, started_on=date(now.year - 3, 1, 1)), created=True)


def demo_user_names() -> dict[str, str]:
    return {user_id: name for user_id, name, _org, _role in DEMO_MEMBERS}
