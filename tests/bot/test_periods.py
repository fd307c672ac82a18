"""Quarters and tertials, and the ranking of places by need, worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.analysis.periods import (
    QUARTER,
    TERTIAL,
    EstPeriod,
    PlaceNeed,
    parse_est_period,
    period_name,
    period_words,
    ranked,
)
from bot.errors import InvalidInput
from bot.i18n import translator

TODAY = date(2026, 12, 6)


def test_the_default_is_the_quarter_just_ended_and_tertials_are_four_months():
    assert parse_est_period("", today=TODAY) == EstPeriod("kvartal", 2026, 3)
    t2 = parse_est_period("tertial 2026-T2", today=TODAY)
    assert (t2.first, t2.last, t2.label) == (date(2026, 5, 1), date(2026, 8, 31), "2026-T2")
    assert parse_est_period("tertial", today=TODAY) == EstPeriod("tertial", 2026, 2)
    q1 = EstPeriod("kvartal", 2026, 1)
    assert (q1.before(), q1.year_before()) == (
        EstPeriod("kvartal", 2025, 4),
        EstPeriod("kvartal", 2025, 1),
    )


@pytest.mark.parametrize("text", ["2026-Q4", "2026-T3", "2026-Q5", "2026-T4", "sommaren"])
def test_a_period_not_ended_or_not_existing_is_refused(text):
    with pytest.raises(InvalidInput):
        parse_est_period(text, today=TODAY)


def need(name: str, **counts: int) -> PlaceNeed:
    values: dict[str, Any] = dict.fromkeys(
        ("incidents", "previous", "year_before", "serious_weeks", "worrying_weeks"), 0
    )
    values |= dict.fromkeys(("open_actions", "overdue_actions", "activities"), 0)
    return PlaceNeed(0, name, "Fittja", **{**values, **counts})


def test_need_counts_the_rise_serious_weeks_and_overdue_actions():
    # 10 incidents, 4 the period before: 10 + 6 + 3×2 serious + 1 worrying + 2×1 overdue = 25
    fittja = need(
        "Fittja centrum",
        incidents=10,
        previous=4,
        serious_weeks=2,
        worrying_weeks=1,
        overdue_actions=1,
        open_actions=2,
    )
    assert fittja.need == 25
    # falling incidents count no rise: 12 + 0 = 12
    alby = need("Albys hjärta", incidents=12, previous=20)
    calm = need("Tullinge torg")
    assert ranked([alby, calm, fittja]) == [fittja, alby]


def test_a_period_is_said_by_its_name_and_days():
    sv, en = translator("sv"), translator("en")
    assert period_words(sv, EstPeriod(QUARTER, 2026, 3)) == "kvartal 3 2026 (1 juli – 30 sep.)"
    assert period_words(en, EstPeriod(QUARTER, 2026, 3)) == "quarter 3 2026 (1 Jul – 30 Sept)"
    # the second tertial: May to August
    assert period_words(sv, EstPeriod(TERTIAL, 2026, 2)) == "tertial 2 2026 (1 maj – 31 aug.)"
    assert period_name(en, EstPeriod(TERTIAL, 2026, 2)) == "tertial 2 2026"
