"""What the weekly summary holds: frozen values, stored as JSON per group and week."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.analysis.priority_views import Priorities


@dataclass(frozen=True)
class PlaceWeek:
    place_id: int
    place: str
    district: str
    count: int
    previous: int
    average: float  # the four weeks before
    by_category: list[tuple[str, str, int]]  # (Swedish, English, count) in the week, most first
    series: list[int]  # WEEKS weeks, oldest first


@dataclass(frozen=True)
class CategoryWeek:
    label_sv: str
    label_en: str
    count: int
    previous: int
    series: list[int]
    key: str = ""  # the category's key ("narkotikaforsaljning"); "" in summaries stored before


@dataclass(frozen=True)
class ActionLine:
    id: int
    title: str
    owner: str  # Slack user id
    organisation: str
    due: str  # ISO date


@dataclass(frozen=True)
class ActionsPart:
    done: int  # marked done during the week
    open: int  # open or in progress when the week ended
    overdue: int  # of those, past their due date
    done_lines: list[ActionLine]
    overdue_lines: list[ActionLine]


@dataclass(frozen=True)
class ActivityEntry:
    id: int
    title: str
    kind: str
    places: list[str]
    start: str  # local "YYYY-MM-DD HH:MM"
    motivated: bool
    attendance: int | None  # None until followed up
    counting_method: str | None


@dataclass(frozen=True)
class ActivitiesPart:
    held: list[ActivityEntry]  # started in the week and not cancelled
    coming: list[ActivityEntry]  # planned in the two weeks after it


@dataclass(frozen=True)
class Summary:
    group_id: int
    iso_year: int
    iso_week: int
    start: str  # the week's first day (ISO date, local)
    end: str  # its last day
    weeks: list[tuple[int, int]]  # (ISO year, ISO week) of the chart's weeks, oldest first
    total: int
    previous: int
    average: float
    places: list[PlaceWeek]  # with incidents this week or the week before, most first
    categories: list[CategoryWeek]  # with incidents in the twelve weeks, most this week first
    concern: list[int]  # place ids, the five of most concern first
    rising: list[int]  # place ids at ≥ factor × their average
    chart_places: list[PlaceWeek]  # the places drawn: most incidents over the twelve weeks
    factor: float
    actions: ActionsPart | None
    missing_reports: list[str] | None
    computed_at: str = ""
    activities: ActivitiesPart | None = None  # None: the group has no activities at all
    priorities: tuple[Priorities, ...] = ()  # the period's, read when shown: never stored

    @property
    def quiet(self) -> bool:
        return self.total == 0

    def place(self, place_id: int) -> PlaceWeek:
        return next(p for p in (*self.places, *self.chart_places) if p.place_id == place_id)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["priorities"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        def place(p: dict[str, Any]) -> PlaceWeek:
            return PlaceWeek(**{**p, "by_category": [tuple(c) for c in p["by_category"]]})

        data = {k: v for k, v in data.items() if k != "priorities"}
        actions = data.get("actions")
        activities = data.get("activities")  # absent in summaries stored before activities
        return cls(
            **{
                **data,
                "weeks": [tuple(w) for w in data["weeks"]],
                "places": [place(p) for p in data["places"]],
                "chart_places": [place(p) for p in data["chart_places"]],
                "categories": [CategoryWeek(**c) for c in data["categories"]],
                "actions": None
                if actions is None
                else ActionsPart(
                    **{
                        **actions,
                        "done_lines": [ActionLine(**a) for a in actions["done_lines"]],
                        "overdue_lines": [ActionLine(**a) for a in actions["overdue_lines"]],
                    }
                ),
                "activities": None
                if activities is None
                else ActivitiesPart(
                    held=[ActivityEntry(**e) for e in activities["held"]],
                    coming=[ActivityEntry(**e) for e in activities["coming"]],
                ),
            }
        )


def decimal_text(value: float, language: str) -> str:
    """12 → '12'; 6.25 → '6,3' in Swedish (half up, as people round), '6.3' in English."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = str(int(rounded)) if rounded == rounded.to_integral_value() else str(rounded)
    return text.replace(".", ",") if language == "sv" else text
