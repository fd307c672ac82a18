"""The annual lägesbild's sentences: the summary a council reads first, each place's reasons
for concern, and changes written as a reader says them ("+37 (+185 %)")."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.analysis.periods import PlaceNeed
from bot.exports.annual.concern import OPEN
from bot.exports.annual.facts import Count, YearFacts
from bot.i18n import Translator
from storage.models import ActionStatus, ActivityStatus

LEVEL_ORDER = ("allvarligt", "oroligt", "lugnt")
LAW = "SFS 2023:196"
# a per cent of a small figure misleads ("+3 360 %" after 5): below this, only the difference
PERCENT_FROM = 10


def number(n: int) -> str:
    """1 234: a space between thousands, a real minus sign."""
    text = f"{abs(n):,}".replace(",", "\u00a0")
    return f"−{text}" if n < 0 else text


def percent(this: int, previous: int) -> int | None:
    """The change in per cent of ``previous``, or None when ``previous`` is under 10."""
    if previous < PERCENT_FROM:
        return None
    return round(100 * (this - previous) / previous)


def change(this: int, previous: int) -> str:
    """'+37 (+185 %)', '−5 (−12 %)', '0'; against fewer than 10 only the difference ('+4')."""
    diff = this - previous
    sign = "+" if diff > 0 else ""
    text = f"{sign}{number(diff)}"
    share = percent(this, previous)
    if diff and share is not None:
        text += f" ({'+' if share > 0 else ''}{number(share)}\u00a0%)"
    return text


def _total_line(tr: Translator, facts: YearFacts, this: int, previous: int) -> str:
    span = facts.span
    if span.complete:
        return tr.gettext(
            "Incidents registered in {year}: {this}, against {previous} in {before}; a change "
            "of {change}.",
            year=span.year,
            this=number(this),
            previous=number(previous),
            before=span.year - 1,
            change=change(this, previous),
        )
    return tr.gettext(
        "Incidents registered in {year}: {this}, against {previous} in the same days of "
        "{before} ({first} to {last}); a change of {change}.",
        year=span.year,
        this=number(this),
        previous=number(previous),
        before=span.year - 1,
        first=span.first.isoformat(),
        last=span.last.isoformat(),
        change=change(this, previous),
    )


def summary(tr: Translator, facts: YearFacts, concern: list[PlaceNeed], today: date) -> list[str]:
    """What the council reads first, one sentence a point."""
    before = facts.span.year - 1
    this = sum(c.this for c in facts.places)
    previous = sum(c.previous for c in facts.places)
    lines = [_total_line(tr, facts, this, previous)]
    lines += _district_line(tr, facts)
    if facts.categories:
        top = facts.categories[0]
        lines.append(
            tr.gettext(
                "The commonest problem: {category}; incidents {n} ({before}: {previous}).",
                category=top.name,
                n=number(top.this),
                previous=number(top.previous),
                before=before,
            )
        )
    if concern:
        lines.append(
            tr.gettext(
                "The places of most concern: {places}.",
                places=", ".join(n.place for n in concern[:3]),
            )
        )
    lines.append(_levels_line(tr, facts))
    lines.append(_actions_line(tr, facts, today))
    lines.append(_activities_line(tr, facts))
    lines.append(_analysis_line(tr, facts, concern))
    return lines


def _levels_line(tr: Translator, facts: YearFacts) -> str:
    if not facts.agreed_weeks:
        return tr.gettext("No lägesbild was agreed at a meeting in {year}.", year=facts.span.year)
    serious = Counter(
        p for p, weeks in facts.levels.items() for lv in weeks.values() if lv == "allvarligt"
    )
    if not serious:
        return tr.gettext(
            "Weeks with an agreed lägesbild: {weeks}; no place was agreed serious.",
            weeks=len(facts.agreed_weeks),
        )
    place, n = max(serious.items(), key=lambda kv: (kv[1], kv[0]))
    return tr.gettext(
        "Weeks with an agreed lägesbild: {weeks}; {place} was agreed serious in {n} of them.",
        weeks=len(facts.agreed_weeks),
        place=facts.place_names[place][0],
        n=n,
    )


def _actions_line(tr: Translator, facts: YearFacts, today: date) -> str:
    done = sum(a.status == ActionStatus.DONE for a in facts.actions)
    open_ = sum(a.status in OPEN for a in facts.actions)
    late = sum(a.status in OPEN and a.due < today for a in facts.actions)
    return tr.gettext(
        "Actions in the action plan: {n}; done {done}, open or under way {open}, of them "
        "overdue {late}.",
        n=len(facts.actions),
        done=done,
        open=open_,
        late=late,
    )


def _activities_line(tr: Translator, facts: YearFacts) -> str:
    held = [h for h in facts.activities if h.status == ActivityStatus.GENOMFORD]
    planned = sum(h.status == ActivityStatus.PLANERAD for h in facts.activities)
    people = sum(h.attendance or 0 for h in held)
    return tr.gettext(
        "Activities held: {held}, taking part in all {people}; planned: {planned}.",
        held=len(held),
        people=number(people),
        planned=planned,
    )


def _analysis_line(tr: Translator, facts: YearFacts, concern: list[PlaceNeed]) -> str:
    analysed = {a.place_id for a in facts.analyses}
    missing = [n.place for n in concern if n.place_id not in analysed]
    if not analysed:
        return tr.gettext("No cause analysis is registered: the action plan lacks its ground.")
    if missing:
        return tr.gettext(
            "Places with a cause analysis: {n}; none is registered for {places}.",
            n=len(analysed),
            places=", ".join(missing),
        )
    return tr.gettext("Every place of most concern has a cause analysis.")


def district_counts(facts: YearFacts) -> list[Count]:
    """The places' counts added up per district, most first."""
    sums: dict[str, list[int]] = {}
    for c in facts.places:
        row = sums.setdefault(c.district, [0, 0, *([0] * 12)])
        row[0] += c.this
        row[1] += c.previous
        for i, n in enumerate(c.months):
            row[2 + i] += n
    counts = [Count(0, d, d, r[0], r[1], tuple(r[2:])) for d, r in sums.items()]
    return sorted(counts, key=lambda c: (-c.this, -c.previous, c.name))


def reasons(tr: Translator, need: PlaceNeed, facts: YearFacts) -> str:
    """Why a place is of concern, in the order a reader weighs it."""
    count = next((c for c in facts.places if c.key == need.place_id), None)
    parts = [
        tr.gettext(
            "Incidents {n} ({before}: {previous}, change {change})",
            n=number(need.incidents),
            previous=number(need.previous),
            before=facts.span.year - 1,
            change=change(need.incidents, need.previous).split(" ")[0],
        )
    ]
    if count and count.top:
        parts.append(
            tr.gettext("commonest: {category} ({n})", category=count.top, n=count.top_count)
        )
    if need.serious_weeks or need.worrying_weeks:
        parts.append(
            tr.gettext(
                "weeks agreed serious {serious}, worrying {worrying}",
                serious=need.serious_weeks,
                worrying=need.worrying_weeks,
            )
        )
    if need.overdue_actions:
        parts.append(tr.gettext("overdue actions {n}", n=need.overdue_actions))
    if need.activities:
        parts.append(tr.gettext("activities held {n}", n=need.activities))
    return "; ".join(parts) + "."


def highest(tr: Translator, weeks: dict[int, str]) -> str:
    """'allvarligt, senast v. 49': the highest level agreed and the last week it was agreed."""
    for level in LEVEL_ORDER:
        at = [w for w, lv in weeks.items() if lv == level]
        if at:
            return tr.gettext("{level}, last in w. {week}", level=level, week=max(at))
    return ""


def _district_line(tr: Translator, facts: YearFacts) -> list[str]:
    """The district with the most incidents, and the one that rose most (if any rose)."""
    districts = district_counts(facts)
    if not districts:
        return []
    most = districts[0]
    rise = max(districts, key=lambda d: (d.change, d.this))
    if rise.change <= 0:
        return [
            tr.gettext(
                "Most incidents in {district} ({n}); no district rose.",
                district=most.name,
                n=number(most.this),
            )
        ]
    return [
        tr.gettext(
            "Most incidents in {district} ({n}); the largest rise in {rising}: {change}.",
            district=most.name,
            n=number(most.this),
            rising=rise.name,
            change=change(rise.this, rise.previous),
        )
    ]
