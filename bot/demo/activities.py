"""The real activities of domain.md §3 for the demo, moved to last December (and a Hälsodag in
September), planned through the services as they would have been: the incidents that motivated
them logged first, the follow-up the day after, the costs with their invoices. Two more are
planned for the coming weeks, so the lists, App Home and the calendar have something ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.activities.costs import CostDraft
from bot.activities.service import ActivityDraft, FollowUp
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM
from bot.incidents.service import parse_quick
from bot.services import Services

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Held:
    title: str
    kind: str
    place: str
    month: int
    day: int  # a day of the month; negative: the n-th Saturday of the month (-2: the second)
    start: time
    end: time
    owner: str
    organisers: str
    purpose: str
    motivation: str  # the incident logged two weeks before ("place; category; text")
    attendance: dict[str, int]
    method: str
    effect: str
    costs: tuple[CostDraft, ...] = ()


HELD = (
    Held(
        "Luciatåg i Fittja centrum",
        "evenemang",
        "Fittja centrum",
        12,
        13,
        time(16),
        time(17),
        "U0ANNA",
        "Fittjaskolan\nTallidsskolan\nFittjapulsen",
        "Fler vuxna i centrum under den kalla årstiden, då problemen flyttar inomhus",
        "Fittja centrum; narkotikaförsäljning; Öppen försäljning inne i centrumgallerian",
        {"barn och unga": 20, "vuxna": 100},
        "uppskattat",
        "Fler vuxna i centrum; ingen försäljning syntes under tåget",
    ),
    Held(
        "Julmarknad i Fittja",
        "evenemang",
        "Fittja centrum",
        12,
        -2,
        time(11),
        time(16),
        "U0SARA",
        "Nätverksgruppen i Fittja\nCentrumägaren\nFittja ungdomsförening; 802400-1235",
        "Ta över centrum en lördag med många vuxna och ett blandat flöde av människor",
        "Fittja centrum; narkotikaförsäljning; Langning vid tunnelbaneuppgången kvällstid",
        {"barn och unga": 300, "vuxna": 680, "arrangörer och aktörer": 20},
        "klickräknare",
        "Narkotikaförsäljningen trängdes ut ur centrum under dagen",
        (
            CostDraft(
                "3 000",
                "Arvode till två unga funktionärer",
                "Fittja ungdomsförening",
                "föreningsbidrag",
                "802400-1235",
                True,
                "F-41",
                None,
                None,
            ),
        ),
    ),
    Held(
        "Luciafirande i Hallunda",
        "evenemang",
        "Hallunda centrum",
        12,
        13,
        time(14),
        time(16),
        "U0OMAR",
        "Karsby International School\nSkolan Kastanjen",
        "Mer vuxennärvaro i Hallunda centrum och vid Folkets hus",
        "Hallunda centrum; otrygghet; Boende undviker centrum efter mörkrets inbrott",
        {"barn och unga": 40, "vuxna": 100},
        "uppskattat",
        "Mer vuxennärvaro",
    ),
    Held(
        "Julmarknad i Hallunda",
        "evenemang",
        "Hallunda Folkets hus",
        12,
        -3,
        time(11),
        time(15),
        "U0OMAR",
        "Hallunda Folkets hus\nCivilsamhällets föreningar",
        "Fler vuxna på en annars otrygg plats",
        "Hallunda Folkets hus; skadegörelse; Krossade rutor vid entrén",
        {"barn och unga": 200, "vuxna": 300},
        "uppskattat",
        "200 julklappar delades ut",
    ),
    Held(
        "Nyårsfirande på Kårsby IP",
        "aktivering av plats",
        "Kårsby IP",
        12,
        31,
        time(20),
        time(1),
        "U0ERIK",
        "Norsborg FC",
        "Trygga vuxna på plats på nyårsafton",
        "Kårsby IP; fyrverkerier; Raketer mot människor förra nyåret",
        {"vuxna": 60, "arrangörer och aktörer": 15},
        "uppskattat",
        "En brand i en papperskorg släcktes; inga andra händelser",
    ),
    Held(
        "Hälsodagen på Fittja torg",
        "evenemang",
        "Fittja torg",
        9,
        -1,
        time(11),
        time(15),
        "U0ANNA",
        "Botkyrka kommun\nRegion Stockholm",
        "Vuxennärvaro på torget",
        "Fittja torg; nedskräpning; Mycket skräp och lustgaspatroner på torget",
        {"barn och unga": 120, "vuxna": 180},
        "räknat",
        "Mer vuxennärvaro på torget",
        (
            CostDraft(
                "1 740",
                "Polistillstånd för offentlig plats",
                "Polismyndigheten",
                "statsbidrag",
                "202100-0076",
                False,
                "P-0917",
                None,
                None,
                diarienummer="S/04711",
            ),
        ),
    ),
)


def _day(year: int, month: int, day: int) -> date:
    if day > 0:
        return date(year, month, day)
    first = date(year, month, 1)
    saturday = first + timedelta(days=(5 - first.weekday()) % 7)
    return saturday + timedelta(weeks=-day - 1)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=STOCKHOLM).astimezone(UTC)


def load_demo_activities(services: Services, *, now: datetime) -> int:
    """Add the demo activities unless the demo group has some already; returns how many."""
    actor = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    if actor.group is None:
        return 0
    with services.db.unit_of_work(read_only=True) as uow:
        if uow.activities.any_in_group(actor.group.id):
            return 0
    year = now.astimezone(STOCKHOLM).year - 1
    made = 0
    for held in HELD:
        made += _held(services, held, year)
    for days, title, kind, place in (
        (9, "Trygghetsvandring vid Tumba station", "trygghetsvandring", "Tumba station"),
        (16, "Nattvandring i Fittja", "nattvandring", "Fittja centrum"),
    ):
        day = (now + timedelta(days=days)).astimezone(STOCKHOLM).date()
        services.activities.create(
            actor,
            ActivityDraft(
                title,
                kind,
                day,
                time(19),
                time(22),
                "U0OMAR",
                places=[place],
                purpose="Vuxna på plats kvällstid",
                target_group="boende",
                expected_participants=15,
            ),
            now=now,
        )
        made += 1
    return made


def _held(services: Services, held: Held, year: int) -> int:
    actor = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, held.owner)
    day = _day(year, held.month, held.day)
    planned = _local(day - timedelta(days=14), time(10))
    seen = _local(day - timedelta(days=16), time(21, 30))
    incident = services.incidents.log(
        actor,
        parse_quick(f"{held.motivation}; {seen.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"),
        now=seen + timedelta(hours=12),
    ).incident
    activity = services.activities.create(
        actor,
        ActivityDraft(
            held.title,
            held.kind,
            day,
            held.start,
            held.end,
            held.owner,
            places=[held.place],
            organisers=held.organisers,
            purpose=held.purpose,
            motivation=[f"i:{incident.id}"],
        ),
        now=planned,
    )
    services.activities.follow_up(
        actor,
        activity.id,
        FollowUp(held.attendance, held.method, 0, held.effect),
        now=_local(day + timedelta(days=1), time(10)),
    )
    for cost in held.costs:
        services.costs.add(
            actor,
            activity.id,
            replace(
                cost,
                invoice_date=day + timedelta(days=5),
                grant_year=year if cost.funding_source == "statsbidrag" else None,
                diarienummer=cost.diarienummer.replace("S/", f"S{year}/"),
            ),
            now=_local(day + timedelta(days=8), time(10)),  # when the invoice has come
        )
    return 1
