"""Återkoppling: on the first working day of each month, what last month's reports led to.

Every reporter (rapportör) who reported last month gets a DM, and so does every member of each
organisation that reported; the channel gets the same per organisation. Each says how many
incidents were reported, at which places, and what the group did at those places since the
month began: actions done, activities held, a changed joint level. Web reporters read theirs
behind their link (``feedback_for``). All goes through the outbox under one key per month and
recipient, so two clocks, or a clock run every minute, send each once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.actors import EstGroup
from bot.delivery import Preparer, Scheduled
from bot.i18n import N_, LazyText
from bot.notifier import Notification
from bot.reporters.notifications import (
    ChannelFeedback,
    Feedback,
    FeedbackOutbox,
    PlaceFeedback,
    ReporterFeedback,
)
from bot.workdays import WorkingHours, allowed_at, at_local, working_day_on_or_after
from storage.db import Database
from storage.models import Group, JointLevel, MemberStatus, Outbox, Role
from storage.repositories import UnitOfWork

SEND_AT = time(9, 0)
STALE_AFTER = timedelta(hours=12)  # a clock back later than this skips the month's feedback


def month_of(day: date) -> tuple[date, date]:
    """The first day of ``day``'s month and of the next."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def last_month_key(now: datetime, tz: ZoneInfo) -> str:
    """Last calendar month in ``tz``, as "2026-11"."""
    this_first, _ = month_of(now.astimezone(tz).date())
    return f"{this_first - timedelta(days=1):%Y-%m}"


def feedback_moment(group: Group, now: datetime) -> datetime:
    """This month's sending time: 09:00 on its first working day, out of quiet hours."""
    tz = ZoneInfo(group.timezone)
    first, _ = month_of(now.astimezone(tz).date())
    return allowed_at(at_local(working_day_on_or_after(first), SEND_AT, tz), WorkingHours(tz))


def _level_change(
    levels: list[JointLevel], start: datetime, tz: ZoneInfo
) -> tuple[str, str] | None:
    year, week, _ = start.astimezone(tz).isocalendar()
    before = [row.level for row in levels if (row.iso_year, row.iso_week) < (year, week)]
    since = [row.level for row in levels if (row.iso_year, row.iso_week) >= (year, week)]
    if before and since and before[-1] != since[-1]:
        return before[-1], since[-1]
    return None


def _feedback(
    uow: UnitOfWork,
    group: Group,
    counted: Counter[int],
    start: datetime,
    label: LazyText,
    now: datetime,
) -> Feedback | None:
    if not counted:
        return None
    assert group.id is not None
    ids = list(counted)
    names = {p.id: p.name for p in uow.places.of_group(group.id, active_only=False)}
    actions, activities = defaultdict(list), defaultdict(list)
    for place, title in uow.feedback.actions_done(ids, start, now):
        actions[place].append(title)
    for place, title in uow.feedback.activities_held(ids, start, now):
        activities[place].append(title)
    levels = defaultdict(list)
    for row in uow.feedback.joint_levels(group.id, ids):
        levels[row.place_id].append(row)
    tz = ZoneInfo(group.timezone)
    places = tuple(
        PlaceFeedback(
            names.get(place, "?"),
            n,
            tuple(actions[place]),
            tuple(activities[place]),
            _level_change(levels[place], start, tz),
        )
        for place, n in sorted(counted.items(), key=lambda item: (-item[1], names.get(item[0], "")))
    )
    return Feedback(label, sum(counted.values()), places)


# the months' names, through the catalog: the reader's language decides when it is rendered
MONTH_NAMES = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip


def _month(key: str, tz: ZoneInfo) -> tuple[datetime, datetime, LazyText]:
    """The month of ``key`` ("2026-11"): [start, end) as aware UTC in the group's time zone
    ``tz``, and its label."""
    year, month = (int(x) for x in key.split("-"))
    first, following = month_of(date(year, month, 1))
    return at_local(first, time(0), tz), at_local(following, time(0), tz), month_label(key)


def month_label(key: str) -> LazyText:
    """ "2026-11" → "november 2026" in Swedish, "November 2026" in English."""
    year, month = (int(x) for x in key.split("-"))
    return N_("{month} {year}", month=MONTH_NAMES[month - 1], year=str(year))


def month_feedback(
    uow: UnitOfWork,
    group: Group,
    key: str,
    now: datetime,
    *,
    reporter: str | None = None,
    organisation: int | None = None,
) -> Feedback | None:
    """The month ``key``'s feedback of one reporter or one organisation (None: nothing
    reported), with what the group did at the places from the month's start up to ``now``."""
    assert group.id is not None
    start, end, label = _month(key, ZoneInfo(group.timezone))
    counted: Counter[int] = Counter(
        place
        for who, org, place in uow.feedback.reported(group.id, start, end)
        if (reporter is None or who == reporter) and (organisation is None or org == organisation)
    )
    return _feedback(uow, group, counted, start, label, max(now, end))


def _recipients(
    uow: UnitOfWork, group: Group, now: datetime
) -> list[tuple[str, dict[str, object]]]:
    """(recipient, payload) for the month: each reporter who reported, each member of a
    reporting organisation, and the channel; only those who have not switched it off."""
    assert group.id is not None
    key = last_month_key(now, ZoneInfo(group.timezone))
    start, end, _label = _month(key, ZoneInfo(group.timezone))
    reported = uow.feedback.reported(group.id, start, end)
    reporters = {who for who, _org, _place in reported}
    organisations = {org for _who, org, _place in reported}
    found: list[tuple[str, dict[str, object]]] = []
    for member in uow.members.of_group(group.id, status=MemberStatus.ACTIVE):
        if not member.feedback:
            continue
        if member.role == Role.RAPPORTOR:
            if member.slack_user_id in reporters:
                found.append(
                    (member.slack_user_id, {"month": key, "reporter": member.slack_user_id})
                )
        elif member.role != Role.LASARE and member.organisation_id in organisations:
            found.append(
                (member.slack_user_id, {"month": key, "organisation": member.organisation_id})
            )
    if organisations:
        found.append((group.slack_channel_id, {"month": key, "channel": True}))
    return found


def plan_feedback(db: Database, *, now: datetime) -> int:
    """The clock's job: each group's feedback once its day has come (within 12 hours), queued in
    one transaction per group. Safe to run every minute and from two clocks."""
    queued = 0
    with db.unit_of_work(read_only=True) as uow:
        due = [g.id for g in uow.groups.live() if _due(uow, g, now)]
    for group_id in due:
        with db.unit_of_work() as uow:
            group = uow.groups.get(group_id or 0)
            if group is None or not _due(uow, group, now):
                continue
            moment = feedback_moment(group, now)
            for recipient, payload in _recipients(uow, group, now):
                kind = FeedbackOutbox.CHANNEL if "channel" in payload else FeedbackOutbox.DM
                queued += uow.outbox.enqueue(
                    Outbox(
                        group_id=group.id,
                        recipient=recipient,
                        kind=kind,
                        payload=payload,
                        dedupe_key=_key(group, str(payload["month"]), recipient),
                        next_attempt_at=moment,
                        created_at=now,
                    )
                )
            uow.outbox.enqueue(_marker(group, now, moment))
    return queued


def _key(group: Group, month: str, recipient: str) -> str:
    return f"feedback:{group.id}:{month}:{recipient}"


def _marker(group: Group, now: datetime, moment: datetime) -> Outbox:
    """A row that says the month was planned (sent as nothing): one read tells a later run."""
    month = last_month_key(now, ZoneInfo(group.timezone))
    return Outbox(
        group_id=group.id,
        recipient=group.slack_channel_id,
        kind=FeedbackOutbox.CHANNEL,
        payload={"month": month, "planned": True},
        dedupe_key=_key(group, month, "planned"),
        next_attempt_at=moment,
        created_at=now,
    )


def _due(uow: UnitOfWork, group: Group, now: datetime) -> bool:
    moment = feedback_moment(group, now)
    if not moment <= now < moment + STALE_AFTER:
        return False
    month = last_month_key(now, ZoneInfo(group.timezone))
    return uow.outbox.by_key(_key(group, month, "planned")) is None


# -- at send time ------------------------------------------------------------------------------


def prepare_dm(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = uow.groups.get(row.group_id or 0)
    if group is None or group.id is None:
        return None
    member = uow.members.find(group.id, row.recipient)
    if member is None or not member.feedback or member.status != MemberStatus.ACTIVE:
        return None  # switched off (or gone) since it was planned
    key, org_id = str(row.payload["month"]), row.payload.get("organisation")
    if org_id is None:
        found = month_feedback(uow, group, key, now, reporter=row.recipient)
        return ReporterFeedback(EstGroup.of(group), found, None) if found else None
    org = uow.organisations.get(int(str(org_id)))
    found = month_feedback(uow, group, key, now, organisation=int(str(org_id)))
    if org is None or found is None:
        return None
    return ReporterFeedback(EstGroup.of(group), found, org.name)


def prepare_channel(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = uow.groups.get(row.group_id or 0)
    if group is None or group.id is None or row.payload.get("planned"):
        return None  # the planning marker is sent as nothing
    key = str(row.payload["month"])
    label = month_label(key)
    sections = []
    for org in uow.organisations.of_group(group.id):
        found = month_feedback(uow, group, key, now, organisation=org.id)
        if found is not None:
            sections.append((org.name, found))
    return ChannelFeedback(EstGroup.of(group), label, tuple(sections)) if sections else None


PREPARERS: dict[str, Preparer] = {
    FeedbackOutbox.DM: prepare_dm,
    FeedbackOutbox.CHANNEL: prepare_channel,
}
SCHEDULED = Scheduled(kinds=FeedbackOutbox, plan=plan_feedback, preparers=PREPARERS)
