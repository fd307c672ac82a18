"""The demo's history: thirteen weeks of incidents, the three parties' weekly situation reports,
two closed meetings with their decisions and actions, and activities with their follow-ups.

Everything goes through the services, at the moment it would have happened (the services take
``now``), in the order it would have happened: the audit log reads as the weeks went, and a
meeting froze only what was known at the time. What the history would have told people then
(assignments, hotspot alerts) is told to nobody: it is cancelled, not news now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.actors import Actor
from bot.demo.incidents import DemoIncident, history_start, plan_incidents
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM
from bot.incidents.batch import Logging, log_many
from bot.incidents.service import IncidentDraft
from bot.notifier import NullNotifier
from bot.services import Services
from bot.weekly.reports import EntryDraft
from bot.weekly.weeks import MEETING_LASTS, deadline, meeting_moment
from storage.models import Level, Trend

REPORTERS = {"kommun": ("U0OMAR", "U0ANNA"), "polis": ("U0ERIK",), "bostadsbolag": ("U0SARA",)}
REPORTED_PLACES = 3
HOURS_BEFORE_DEADLINE = {"kommun": 2, "polis": 4, "bostadsbolag": 1}
MISSED = ("bostadsbolag", 4)  # the housing company did not report for the fifth meeting
LATE = ("polis", 7)  # the police reported for the eighth on the morning of the meeting
OBSERVED = {  # what each party adds, by what its own people see
    "kommun": (
        "fältarna ser samma grupper kväll efter kväll",
        "fältarna har pratat med unga på plats",
        "föräldrar hör av sig om kvällarna",
        "fritidsledarna märker oro bland besökarna",
    ),
    "polis": (
        "polisen har ökat närvaron kvällstid",
        "flera ingripanden under veckan",
        "polisen har patrullerat platsen flera kvällar",
        "polisen följer läget med kameraövervakningen",
    ),
    "bostadsbolag": (
        "bovärdarna har rapporterat vidare till polisen",
        "trapphus och entréer drabbas",
        "hyresgäster hör av sig om otrygghet",
        "trygghetsvärdarna går extra rundor",
    ),
}


@dataclass
class Timeline:
    """What happened, by when it happened; run in that order. The incidents logged between two
    other steps are logged together, in one transaction (``log_many``)."""

    steps: list[tuple[datetime, int, Callable[[], None] | tuple[int, Logging]]] = field(
        default_factory=list
    )

    def at(self, moment: datetime, step: Callable[[], None] | tuple[int, Logging]) -> None:
        self.steps.append((moment, len(self.steps), step))

    def run(self, history: History) -> None:
        batch: list[tuple[int, Logging]] = []
        for _moment, _n, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            if isinstance(step, tuple):
                batch.append(step)
                continue
            _flush(history, batch)
            step()
        _flush(history, batch)


def _flush(history: History, batch: list[tuple[int, Logging]]) -> None:
    ids = log_many(history.services.db, [entry for _index, entry in batch])
    history.incident_ids.update(zip((index for index, _entry in batch), ids, strict=True))
    batch.clear()


@dataclass
class History:
    """The loaded history, as the later steps need it."""

    services: Services
    group_id: int
    now: datetime
    planned: tuple[DemoIncident, ...]
    places: dict[str, int]
    incident_ids: dict[int, int] = field(default_factory=dict)  # planned index -> incident id
    actors: dict[str, Actor] = field(default_factory=dict)

    def actor(self, user_id: str) -> Actor:
        """The member as the group is now (their organisation and role do not change here)."""
        if user_id not in self.actors:
            self.actors[user_id] = self.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, user_id)
        return self.actors[user_id]

    def meetings(self) -> list[tuple[int, int, datetime, datetime]]:
        """(ISO year, week, meeting, report deadline) of every meeting whose seven days lie in
        the history and whose reports were due before now, oldest first."""
        with self.services.db.unit_of_work(read_only=True) as uow:
            settings = uow.groups.get(self.group_id)
            assert settings is not None
        first = history_start(self.now) + timedelta(days=7)
        found = []
        for back in range(15, -1, -1):
            iso = (self.now - timedelta(weeks=back)).isocalendar()
            moment, day, _holiday = meeting_moment(settings, iso.year, iso.week)
            due = deadline(settings, iso.year, iso.week)
            if day >= first and due < self.now:
                found.append((iso.year, iso.week, moment, due))
        return found

    def counts(self, since: datetime, until: datetime, known: datetime) -> Counter[str]:
        """Incidents per place that happened in [since, until) and were logged by ``known``."""
        return Counter(
            i.place for i in self.planned if since <= i.at < until and i.reported_at <= known
        )

    def closed(self) -> list[tuple[int, int, datetime, datetime]]:
        """The meetings over (12 hours after they began) before now: the last two are held."""
        return [m for m in self.meetings() if m[2] + MEETING_LASTS < self.now][-2:]


def load_demo_history(services: Services, *, now: datetime) -> int:
    """Load the history unless the demo group has situation reports already; returns how many
    incidents were logged (0: there was a history, or no demo group)."""
    from bot.demo.meetings import plan_activities, plan_meetings

    quiet = Services.build(services.db, NullNotifier())
    actor = quiet.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    if actor.group is None:
        return 0
    with services.db.unit_of_work(read_only=True) as uow:
        if uow.reports.any_in_group(actor.group.id):
            return 0
        places = {p.name: p.id or 0 for p in uow.places.of_group(actor.group.id)}
    history = History(quiet, actor.group.id, now, plan_incidents(now), places)
    timeline = Timeline()
    for index, incident in enumerate(history.planned):
        timeline.at(incident.reported_at, (index, _logging(history, incident)))
    _plan_reports(history, timeline)
    plan_meetings(history, timeline)
    plan_activities(history, timeline)
    timeline.run(history)
    with services.db.unit_of_work() as uow:
        uow.outbox.cancel_created_before(actor.group.id, now, now=now)
    return len(history.incident_ids)


def _logging(history: History, incident: DemoIncident) -> Logging:
    draft = IncidentDraft(
        incident.place,
        incident.category,
        description=incident.description,
        place_id=history.places[incident.place],
        occurred_at=incident.at,
    )
    return Logging(history.actor(incident.reporter), draft, incident.reported_at)


def _plan_reports(history: History, timeline: Timeline) -> None:
    for n, (year, week, meeting, due) in enumerate(history.meetings()):
        for kind, users in REPORTERS.items():
            if (kind, n) == MISSED:
                continue
            at = due - timedelta(hours=HOURS_BEFORE_DEADLINE[kind])
            if (kind, n) == LATE:
                at = meeting - timedelta(minutes=30)
            user = users[n % len(users)]
            if at < history.now:
                timeline.at(at, _reporter(history, kind, user, (year, week), meeting, at))


def _reporter(
    history: History,
    kind: str,
    user: str,
    week: tuple[int, int],
    meeting: datetime,
    at: datetime,
) -> Callable[[], None]:
    def report() -> None:
        since = meeting - timedelta(days=7)
        now_counts = history.counts(since, meeting, at)
        before = history.counts(since - timedelta(days=7), since, at)
        busiest = sorted(now_counts.items(), key=lambda c: (-c[1], c[0]))[:REPORTED_PLACES]
        entries = [
            EntryDraft(
                history.places[place],
                level_of(n, kind),
                trend_of(n, before[place]),
                _observation(history, kind, place, since, at),
            )
            for place, n in busiest
        ]
        history.services.reports.save(history.actor(user), entries, now=at, for_week=week)

    return report


def level_of(count: int, kind: str = "") -> str:
    """The level an organisation sees in a place's week: the police are the most cautious."""
    serious = 6 if kind == "polis" else 5
    return Level.ALLVARLIGT if count >= serious else Level.OROLIGT if count >= 2 else Level.LUGNT


def trend_of(count: int, before: int) -> str:
    if count > before + 1:
        return Trend.SAMRE
    if count < before - 1:
        return Trend.BATTRE
    return Trend.OFORANDRAT


def _observation(history: History, kind: str, place: str, since: datetime, at: datetime) -> str:
    """What the party saw: the problem its own people logged most at the place (else the
    place's most common), and one of its remarks, chosen by the week and the place."""
    users = REPORTERS[kind]
    week = [i for i in history.planned if i.place == place and since <= i.at < at]
    own = Counter(i.category for i in week if i.reporter in users)
    seen = own or Counter(i.category for i in week)
    most = seen.most_common(1)[0][0] if seen else "Otrygghet"
    remarks = OBSERVED[kind]
    remark = remarks[(since.toordinal() // 7 + len(place)) % len(remarks)]
    if own:
        return f"{most} är det vi ser mest, oftast kvällstid; {remark}."
    return f"Mest {most.lower()} i veckan; {remark}."
