"""The rules of an orsaksanalys: its fields and their limits, persistence, and its sources.

Sources are typed one a line. A line that names a record the group holds becomes a link to it:
``händelse 12`` / ``#12`` (an incident), ``lägesrapport 7`` (a situation report), ``v47`` /
``v. 47 2026`` / ``lägesbild v47`` (a lägesbild week; without a year, the latest such week up to
today). Any other line is an external source, kept as typed (after the personal-data guard).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.rules import check_text
from storage.models import Persistence

# (field, longest text): the form's inputs and the table's columns agree on these
LIMITS: dict[str, int] = {
    "description": 3000,
    "days": 200,
    "hours": 200,
    "season": 200,
    "place_side": 3000,
    "target_side": 3000,
    "offender_side": 3000,
    "place_manager": 1000,
    "guardians": 1000,
    "handlers": 1000,
    "why_here_now": 3000,
}
MAX_SOURCES = 30
SOURCE_TEXT = 300

_INCIDENT = re.compile(r"^(?:händelse|handelse|incident)?\s*#?\s*(\d+)$", re.IGNORECASE)
_REPORT = re.compile(r"^(?:lägesrapport|lagesrapport|rapport|report)\s*#?\s*(\d+)$", re.IGNORECASE)
_WEEK = re.compile(
    r"^(?:(?:lägesbild|lagesbild|picture)\s+)?(?:v\.?|vecka|week)\s*(\d{1,2})(?:\s+(\d{4}))?$",
    re.IGNORECASE,
)


def parse_persistence(value: str) -> Persistence:
    """'ny', 'återkommande', 'befäst' (or new, recurring, entrenched)."""
    words = {
        "ny": Persistence.NY,
        "new": Persistence.NY,
        "aterkommande": Persistence.ATERKOMMANDE,
        "recurring": Persistence.ATERKOMMANDE,
        "befast": Persistence.BEFAST,
        "entrenched": Persistence.BEFAST,
    }
    found = words.get(fold(value.strip()) or "ny")
    if found is None:
        raise InvalidInput(
            N_("Choose ny, återkommande or befäst (not “{value}”).", value=value),
            field="persistence",
        )
    return found


@dataclass(frozen=True)
class Source:
    """One source: a record of the group (``kind`` incident, report, week) or an external text."""

    kind: str
    ref: str = ""  # the incident's or report's id, or the ISO week "2026-W47"
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        return cls(str(data.get("kind", "")), str(data.get("ref", "")), str(data.get("text", "")))


def parse_sources(text: str, *, today: date) -> list[Source]:
    """The sources typed one a line, in their order, each once."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_SOURCES:
        raise InvalidInput(N_("At most {n} sources, one a line.", n=MAX_SOURCES), field="sources")
    found = [_source(line, today) for line in lines]
    return list(dict.fromkeys(found))


def _source(line: str, today: date) -> Source:
    if match := _INCIDENT.match(line):
        return Source("incident", match[1])
    if match := _REPORT.match(line):
        return Source("report", match[1])
    if match := _WEEK.match(line):
        return Source("week", _week(int(match[1]), match[2], today))
    return Source("external", text=check_text(line, "sources", SOURCE_TEXT))


def _week(week: int, year_text: str | None, today: date) -> str:
    current_year, current_week, _day = today.isocalendar()
    year = int(year_text) if year_text else current_year
    if not year_text and week > current_week:
        year -= 1  # "v50" typed in week 2 means last December's
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidInput(
            N_("There is no week {week} in {year}.", week=week, year=year), field="sources"
        ) from None
    if (year, week) > (current_year, current_week):
        raise InvalidInput(
            N_("Week {week} {year} has not come yet.", week=week, year=year), field="sources"
        )
    return f"{year}-W{week:02d}"


def check_fields(values: dict[str, str]) -> dict[str, str]:
    """Every text field trimmed, within its limit and without personal data."""
    unknown = set(values) - set(LIMITS)
    assert not unknown, unknown
    return {name: check_text(values.get(name, ""), name, limit) for name, limit in LIMITS.items()}
