"""Thirteen weeks of plausible incidents for the demo, worked out from a seeded random generator.

What the domain describes (domain.md §2–3): most incidents in the evening, most of them at Fittja
centrum, Hallunda centrum and Alby; open drug dealing and laughing gas the most common problems;
the cold season (November–February) moves them indoors, into the centres and the stations, the
warm season out onto squares and into parks; fireworks and fires around New Year's Eve. The last
two weeks bring more laughing gas at Hallunda centrum, so that the summary has a rising place.
Pure: the same ``now`` gives the same incidents; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HISTORY_WEEKS = 13
SEED = 20231213  # the Lucia procession in Fittja centrum
DAILY_RATE = 1.6  # incidents a day on a weekday; Friday and Saturday more
COLD_MONTHS = frozenset({11, 12, 1, 2})
RISING_PLACE = "Hallunda centrum"
RISING_DAYS = 14

# name: (how often things happen there, indoors?, where in the place)
PLACES: dict[str, tuple[float, bool, tuple[str, ...]]] = {
    "Fittja centrum": (10, True, ("inne i gallerian", "vid entrén", "vid tunnelbaneuppgången")),
    "Hallunda centrum": (8, True, ("inne i centrumhuset", "vid entrén", "vid tunnelbanan")),
    "Albys hjärta": (8, False, ("på torget", "vid bänkarna", "vid tunnelbaneuppgången")),
    "Fittja tunnelbanestation": (5, True, ("på perrongen", "i biljetthallen", "vid spärrarna")),
    "Norsborg centrum": (4, True, ("inne i centrum", "vid entrén")),
    "Tumba station": (4, True, ("i biljetthallen", "på perrongen", "vid cykelparkeringen")),
    "Hallunda bibliotek": (2, True, ("i läsesalen", "vid entrén")),
    "Hallunda Folkets hus": (2, True, ("i foajén", "vid entrén")),
    "Botkyrka konsthall": (1, True, ("vid entrén",)),
    "Fittja torg": (4, False, ("på torget", "vid fontänen")),
    "Parken vid Hallunda Folkets hus": (3, False, ("vid lekplatsen", "på gångvägen genom parken")),
    "Fittja äng": (2, False, ("på ängen", "vid grillplatsen")),
    "Kårsby IP": (2, False, ("vid omklädningsrummen", "på läktaren", "vid parkeringen")),
    "Gymnasieparken": (2, False, ("i parken", "vid bänkarna")),
    "Trappan till Munkhättevägen": (2, False, ("i trappan", "nedanför trappan")),
    "Storvreten": (2, False, ("i trapphusen", "vid tvättstugorna", "på gården")),
    "Tunaskolans gård": (1, False, ("på skolgården",)),
}

# category as people type it: (warm weight, cold weight, who reports it, descriptions)
CATEGORIES: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...]]] = {
    "Öppen narkotikaförsäljning": (
        9,
        9,
        ("U0ERIK", "U0ERIK", "U0OMAR"),
        (
            "Öppen försäljning {spot}, köpare kom och gick",
            "Langning {spot} under kvällen",
            "Unga säljer {spot}, köpare från andra områden",
        ),
    ),
    "Lustgas": (
        8,
        5,
        ("U0OMAR", "U0OMAR", "U0SARA"),
        (
            "Grupp använder lustgas {spot}, patroner på marken",
            "Lustgaspatroner och ballonger {spot}",
            "Försäljning av lustgas {spot}",
        ),
    ),
    "Ordningsstörning": (
        4,
        4,
        ("U0SARA", "U0ERIK"),
        ("Stökigt {spot}, hög musik och skrik sent", "Grupp unga stör {spot}"),
    ),
    "Skadegörelse": (
        3,
        3,
        ("U0SARA",),
        ("Krossad ruta {spot}", "Sönderslagen belysning {spot}"),
    ),
    "Klotter": (2, 2, ("U0SARA",), ("Nytt klotter {spot}",)),
    "Nedskräpning": (3, 1, ("U0SARA", "U0ANNA"), ("Mycket skräp {spot} efter kvällen",)),
    "Otrygghet": (
        2,
        3,
        ("U0ANNA", "U0OMAR"),
        (
            "Boende undviker att gå {spot} efter mörkrets inbrott",
            "Föräldrar låter inte barnen gå ensamma {spot}",
        ),
    ),
    "Konflikt i offentlig miljö": (
        2,
        2,
        ("U0OMAR", "U0ERIK"),
        ("Bråk mellan två grupper unga {spot}",),
    ),
    "Buskörning": (2, 0, ("U0ERIK", "U0SARA"), ("Mopeder kör i hög fart {spot}",)),
    "Brand": (1, 1, ("U0SARA",), ("Brand i papperskorg {spot}, släckt",)),
    "Hot": (1, 1, ("U0SARA", "U0ERIK"), ("Personal hotad {spot} efter en tillsägelse",)),
    "Rekrytering av barn och unga": (
        1.5,
        1.5,
        ("U0OMAR",),
        ("Fältarna ser yngre barn springa ärenden åt äldre {spot}",),
    ),
    "Narkotikahantering": (2, 2, ("U0ERIK",), ("Påsar med narkotikarester hittade {spot}",)),
    "Stöld": (1, 1.5, ("U0ERIK",), ("Stölder ur butiker {spot}",)),
    "Grovt våld / gatuvåld": (0.7, 0.7, ("U0ERIK",), ("Misshandel {spot}, polis på plats",)),
    "Fyrverkerier": (0.2, 0.4, ("U0ERIK", "U0SARA"), ("Smällare kastade {spot}",)),
}

# the hour an incident begins: (first hour, last hour, weight) — most in the evening
HOURS = ((18, 22, 72), (23, 24, 10), (15, 17, 12), (10, 14, 6))


@dataclass(frozen=True)
class DemoIncident:
    place: str
    category: str
    description: str
    at: datetime  # aware UTC
    reported_at: datetime  # aware UTC: when it was logged, after it happened
    reporter: str  # a demo member's user id


def history_start(now: datetime) -> date:
    """The first day of the history: thirteen weeks before ``now``'s day, local."""
    return now.astimezone(STOCKHOLM).date() - timedelta(weeks=HISTORY_WEEKS)


def plan_incidents(now: datetime) -> tuple[DemoIncident, ...]:
    """The incidents of the thirteen weeks before ``now``, in the order they were logged."""
    rng = Random(SEED)  # noqa: S311 - demo data, not secrets; seeded on purpose
    first, today = history_start(now), now.astimezone(STOCKHOLM).date()
    planned: list[DemoIncident] = []
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        busy = 1.6 if day.weekday() in (4, 5) else 1.0
        for _ in range(_count(rng, DAILY_RATE * busy)):
            planned.append(_incident(rng, day, _place(rng, day), _category(rng, day)))
        if (today - day).days < RISING_DAYS and rng.random() < 0.6:
            planned.append(_incident(rng, day, RISING_PLACE, "Lustgas"))
        planned.extend(_new_year(rng, day))
    latest = now - timedelta(minutes=5)
    kept = [i for i in planned if i.at < latest - timedelta(minutes=15)]
    kept = [i if i.reported_at <= latest else _reported(i, latest) for i in kept]
    return tuple(sorted(kept, key=lambda i: (i.reported_at, i.at)))


def _reported(incident: DemoIncident, at: datetime) -> DemoIncident:
    return DemoIncident(
        incident.place, incident.category, incident.description, incident.at, at, incident.reporter
    )


def _count(rng: Random, rate: float) -> int:
    """About ``rate`` a day (binomial over eight chances)."""
    return sum(1 for _ in range(8) if rng.random() < rate / 8)


def _cold(day: date) -> bool:
    return day.month in COLD_MONTHS


def _place(rng: Random, day: date) -> str:
    cold = _cold(day)
    names = list(PLACES)
    weights = [w * ((1.6 if cold else 0.8) if inside else (0.5 if cold else 1.3))
               for w, inside, _spots in PLACES.values()]  # fmt: skip
    return rng.choices(names, weights)[0]


def _category(rng: Random, day: date) -> str:
    names = list(CATEGORIES)
    weights = [cold if _cold(day) else warm for warm, cold, _r, _d in CATEGORIES.values()]
    return rng.choices(names, weights)[0]


def _incident(
    rng: Random, day: date, place: str, category: str, hour: int | None = None
) -> DemoIncident:
    _warm, _cold_w, reporters, texts = CATEGORIES[category]
    spot = rng.choice(PLACES[place][2])
    if hour is None:
        low, high, _w = rng.choices(HOURS, [w for _l, _h, w in HOURS])[0]
        hour = rng.randint(low, high)
    moment = datetime.combine(day, time(0), tzinfo=STOCKHOLM) + timedelta(
        hours=hour, minutes=rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
    )
    at = moment.astimezone(UTC)
    reported = at + timedelta(minutes=rng.randint(20, 14 * 60))
    text = rng.choice(texts).format(spot=spot)
    return DemoIncident(place, category, text, at, reported, rng.choice(reporters))


NEW_YEAR_PLACES = ("Kårsby IP", "Fittja centrum", "Albys hjärta", "Hallunda centrum", "Storvreten")


def _new_year(rng: Random, day: date) -> list[DemoIncident]:
    """New Year's Eve: fireworks at people and fires, from the evening into the night; the
    days between Christmas and New Year already bring fireworks."""
    if (day.month, day.day) == (12, 31):
        fireworks = [
            _incident(rng, day, place, "Fyrverkerier", rng.randint(20, 25))
            for place in NEW_YEAR_PLACES
            for _ in range(2)
        ]
        fires = [_incident(rng, day, p, "Brand", rng.randint(22, 25)) for p in NEW_YEAR_PLACES[:3]]
        return [_firework_text(i) for i in fireworks] + fires
    if day.month == 12 and day.day >= 26 and rng.random() < 0.7:
        return [_incident(rng, day, rng.choice(NEW_YEAR_PLACES), "Fyrverkerier")]
    return []


def _firework_text(incident: DemoIncident) -> DemoIncident:
    text = incident.description.replace("Smällare kastade", "Raketer avfyrade mot människor")
    return DemoIncident(
        incident.place, incident.category, text, incident.at, incident.reported_at,
        incident.reporter,
    )  # fmt: skip
