"""The demo history's two closed meetings and the activities the group held in its weeks.

The older meeting decided three actions: two are done, one (the lighting at Hallunda centrum) is
overdue. The newer one decided two with due dates still ahead, one already under way. Between
them the group held a night walk in Fittja centrum; weeks before, a football evening at Kårsby
IP; both followed up with attendance and effect, and motivated by a logged incident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.activities.service import ActivityDraft, FollowUp
from bot.demo.history import History, Timeline, level_of
from bot.demo.incidents import STOCKHOLM, history_start

OPENED_AFTER = timedelta(minutes=2)
CLOSED_AFTER = timedelta(minutes=70)


@dataclass(frozen=True)
class Decided:
    text: str
    place: str | None = None
    owner: str | None = None
    due_days: int = 0  # after the meeting's day
    done_after: timedelta | None = None  # after the meeting: marked klar then
    status: str = "klar"
    comment: str = ""


OLDER = (
    Decided(
        "Gemensam utsättning av polis och fältare i Fittja centrum fredag och lördag kväll",
        "Fittja centrum",
        "U0ERIK",
        4,
        timedelta(days=5, hours=1),
        comment="Genomförd båda kvällarna",
    ),
    Decided(
        "Bovärdarna byter den trasiga belysningen vid entrén till Hallunda centrum",
        "Hallunda centrum",
        "U0SARA",
        3,
    ),
    Decided(
        "Fältarna följer upp lustgasen vid Albys hjärta och berättar vid nästa möte",
        "Albys hjärta",
        "U0OMAR",
        6,
        timedelta(days=6, hours=7),
        comment="Fler vuxna på torget kvällstid; patronerna färre",
    ),
    Decided("Lägesbilden för Fittja centrum skickas till centrumägaren", "Fittja centrum"),
)
NEWER = (
    Decided(
        "Tillsyn av lustgasförsäljningen i Hallunda centrum tillsammans med centrumägaren",
        "Hallunda centrum",
        "U0ANNA",
        14,
        timedelta(hours=2),
        status="pågår",
        comment="Centrumägaren är kontaktad",
    ),
    Decided(
        "Nattvandring i Hallunda centrum fredag kväll med föreningarna",
        "Hallunda centrum",
        "U0OMAR",
        10,
    ),
    Decided("Polisen återkommer med sin bedömning av rekryteringen i Fittja", "Fittja centrum"),
)


def plan_meetings(history: History, timeline: Timeline) -> None:
    for (_year, _week, moment, _due), decided in zip(
        history.closed(), (OLDER, NEWER), strict=False
    ):
        timeline.at(moment + OPENED_AFTER, _meeting(history, moment, decided))


def _meeting(
    history: History, moment: datetime, decided: tuple[Decided, ...]
) -> Callable[[], None]:
    def hold() -> None:
        anna = history.actor("U0ANNA")
        meetings, at = history.services.meetings, moment + OPENED_AFTER
        meeting_id, _agenda = meetings.open(anna, now=at)
        seen = history.counts(moment - timedelta(days=7), moment, moment)
        for place, n in sorted(seen.items(), key=lambda c: (-c[1], c[0]))[:4]:
            meetings.set_level(anna, meeting_id, history.places[place], level_of(n), now=at)
        day = moment.astimezone(STOCKHOLM).date()
        made = []
        for n, d in enumerate(decided, 1):
            decision = meetings.decide(
                anna,
                meeting_id,
                d.text,
                place_id=history.places[d.place] if d.place else None,
                owner=d.owner,
                due=day + timedelta(days=d.due_days) if d.owner else None,
                now=at + timedelta(minutes=5 * n),
            )
            made.append((d, decision.action_id))
        meetings.close(anna, meeting_id, now=moment + CLOSED_AFTER)
        for d, action_id in made:
            if action_id is not None and d.done_after is not None:
                done = min(moment + d.done_after, history.now - timedelta(minutes=1))
                history.services.actions.set_status(
                    history.actor(d.owner or "U0ANNA"),
                    action_id,
                    d.status,
                    comment=d.comment,
                    now=done,
                )

    return hold


@dataclass(frozen=True)
class Held:
    title: str
    kind: str
    places: tuple[str, ...]
    owner: str
    organisers: str
    purpose: str
    start: time
    end: time
    attendance: dict[str, int]
    effect: str


NIGHT_WALK = Held(
    "Nattvandring i Fittja centrum",
    "nattvandring",
    ("Fittja centrum", "Fittja tunnelbanestation"),
    "U0OMAR",
    "Nattvandrarna i Fittja\nFittja ungdomsförening",
    "Fler vuxna i centrum kvällstid, när försäljningen flyttat inomhus",
    time(19),
    time(22),
    {"vuxna": 14, "arrangörer och aktörer": 3},
    "Vuxna på plats hela kvällen; ingen försäljning syntes vid entrén",
)
FOOTBALL = Held(
    "Fotbollskväll på Kårsby IP",
    "aktivering av plats",
    ("Kårsby IP", "Parken vid Hallunda Folkets hus"),
    "U0OMAR",
    "Norsborg FC",
    "Ta över idrottsplatsen en fredagskväll med många vuxna och barn",
    time(18),
    time(21),
    {"barn och unga": 45, "vuxna": 12, "arrangörer och aktörer": 6},
    "Lugnt i parken vid Folkets hus under kvällen; färre unga samlades där",
)


def plan_activities(history: History, timeline: Timeline) -> None:
    """The night walk on the Friday after the older meeting (planned at it), the football
    evening on a Friday five weeks into the history (planned ten days before)."""
    closed = history.closed()
    if closed:
        planned = closed[0][2] + CLOSED_AFTER + timedelta(minutes=30)
        day = _friday_after(planned.astimezone(STOCKHOLM).date())
        timeline.at(planned, _activity(history, NIGHT_WALK, day, planned))
    day = _friday_after(history_start(history.now) + timedelta(weeks=5))
    planned = datetime.combine(day - timedelta(days=10), time(10), tzinfo=STOCKHOLM)
    timeline.at(planned, _activity(history, FOOTBALL, day, planned))


def _friday_after(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7 or 7)


def _activity(history: History, held: Held, day: date, now: datetime) -> Callable[[], None]:
    def plan() -> None:
        tz = ZoneInfo("Europe/Stockholm")
        motivation = _motivation(history, held.places, now)
        owner = history.actor(held.owner)
        activity = history.services.activities.create(
            owner,
            ActivityDraft(
                held.title,
                held.kind,
                day,
                held.start,
                held.end,
                held.owner,
                places=list(held.places),
                organisers=held.organisers,
                purpose=held.purpose,
                motivation=motivation,
            ),
            now=now,
        )
        followed = datetime.combine(day + timedelta(days=1), time(10), tzinfo=tz)
        if followed < history.now:
            history.services.activities.follow_up(
                owner,
                activity.id,
                FollowUp(held.attendance, "räknat", 0, held.effect),
                now=followed,
            )

    return plan


def _motivation(history: History, places: tuple[str, ...], now: datetime) -> list[str]:
    """The latest incident logged at the places before ``now``: what the activity answers."""
    known = [
        (i.reported_at, index)
        for index, i in enumerate(history.planned)
        if i.place in places and i.reported_at <= now and index in history.incident_ids
    ]
    if not known:
        return []
    return [f"i:{history.incident_ids[max(known)[1]]}"]
