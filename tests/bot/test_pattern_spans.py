"""The hot times of `/est mönster`: the tightest run around the peak, the way a reader reads
the bars (the cells at least half the peak's count, side by side with it), and the period in
words. Every expected value below is worked out by hand from the counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.analysis.patterns import Run, count_pattern, hot_times, hottest, months_between
from bot.analysis.timing import PatternReport
from bot.i18n import format_days, translator

STHLM = ZoneInfo("Europe/Stockholm")


def _wednesdays_and_thursdays(per_month: dict[tuple[int, int], int]) -> list[datetime]:
    """``n`` incidents in each month: its first Wednesday, the Thursday after, the next
    Wednesday …; at 20, 21 and 22 o'clock in turn."""
    times: list[datetime] = []
    for (year, month), n in per_month.items():
        first = date(year, month, 1)
        wednesday = first + timedelta(days=(2 - first.weekday()) % 7)
        for k in range(n):
            day = wednesday + timedelta(weeks=k // 2, days=k % 2)
            hour = 20 + len(times) % 3
            times.append(datetime(day.year, day.month, day.day, hour, 15, tzinfo=STHLM))
    return times


def test_the_season_is_the_months_a_reader_sees_in_the_bars_not_a_fixed_four():
    # Nov 2, Jul 3, Aug 4, Sep 5, Oct 1: the peak is September (5); half of it is 2.5, so
    # August (4) and July (3) belong to it, June (0) and October (1) do not
    months = months_between(date(2025, 11, 1), date(2026, 10, 7))
    counts = {(2025, 11): 2, (2026, 7): 3, (2026, 8): 4, (2026, 9): 5, (2026, 10): 1}
    pattern = count_pattern(_wednesdays_and_thursdays(counts), STHLM, months)
    assert pattern.total == 15
    assert pattern.hot_months == Run(6, 3, 12)  # July (6) to September, 12 incidents
    # Wednesdays 1 + 2 + 2 + 3 + 1 = 9, Thursdays 1 + 1 + 2 + 2 = 6 (at least 4.5): both
    assert pattern.hot_days == Run(2, 2, 15)
    assert pattern.hot_hours == Run(20, 3, 15)  # 5 each at 20, 21 and 22
    sv, en = translator("sv"), translator("en")
    assert hot_times(pattern, "sv").sentence(sv) == "onsdag–torsdag 20–23, mest juli–september"
    assert hot_times(pattern, "en").sentence(en) == "Wednesday–Thursday 20–23, most July–September"


def test_the_period_is_said_in_words_in_swedish_and_english():
    nothing = count_pattern([], STHLM, months_between(date(2025, 11, 1), date(2026, 10, 7)))
    report = PatternReport(
        "Fittja centrum", "2025-11-01", "2026-10-07", "Europe/Stockholm", nothing
    )
    assert report.days(translator("sv")) == "1 nov. 2025 – 7 okt. 2026"
    assert report.days(translator("en")) == "1 Nov 2025 – 7 Oct 2026"


def test_one_year_is_said_once_and_beside_a_name_not_at_all():
    sv, en = translator("sv"), translator("en")
    assert format_days(sv, date(2026, 7, 1), date(2026, 9, 30)) == "1 juli – 30 sep. 2026"
    assert format_days(sv, date(2026, 7, 1), date(2026, 9, 30), year=False) == "1 juli – 30 sep."
    assert format_days(en, date(2026, 7, 1), date(2026, 9, 30)) == "1 Jul – 30 Sept 2026"


def test_a_single_peak_month_stands_alone():
    # October 12, every other month 1 (total 23): half of 12 is 6, no neighbour reaches it
    counts = [1, 1, 1, 1, 1, 1, 1, 1, 1, 12, 1, 1]
    assert hottest(counts) == Run(9, 1, 12)


def test_of_two_peaks_apart_the_run_with_more_wins():
    # March 4 and September 4; half is 2: April (2) goes with March, October (1) not with
    # September, so March–April holds 6 and September 4
    assert hottest([0, 0, 4, 2, 0, 0, 0, 0, 4, 1, 0, 0]) == Run(2, 2, 6)


def test_of_two_equal_peaks_apart_the_earlier_wins():
    # March 5 and September 5 and nothing else: two runs of one month with 5 each
    assert hottest([0, 0, 5, 0, 0, 0, 0, 0, 5, 0, 0, 0]) == Run(2, 1, 5)


def test_the_season_runs_over_the_new_year():
    # December 6 the peak (half 3): January 4 after it, not February 2, not November 1
    counts = [4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 6]
    assert hottest(counts) == Run(11, 2, 10)
    months = months_between(date(2025, 12, 1), date(2026, 11, 30))
    times = [datetime(2025, 12, d, 21, tzinfo=STHLM) for d in range(1, 7)]
    times += [datetime(2026, 1, d, 21, tzinfo=STHLM) for d in range(1, 5)]
    times += [datetime(2026, 2, d, 21, tzinfo=STHLM) for d in (1, 2)]
    times += [datetime(2026, 11, 3, 21, tzinfo=STHLM)]
    pattern = count_pattern(times, STHLM, months)
    assert hot_times(pattern, "sv").season == "december–januari"


def test_one_peak_hour_is_that_hour_and_hours_run_over_midnight():
    hours = [0] * 24
    hours[21], hours[22] = 3, 9  # 9 at 22: 3 at 21 is less than half of it
    assert hottest(hours) == Run(22, 1, 9)
    hours = [0] * 24
    hours[23], hours[0], hours[1] = 4, 3, 1  # half of 4 is 2: midnight's 3 goes with 23
    assert hottest(hours) == Run(23, 2, 7)


def test_an_even_spread_has_no_hot_time():
    # every day at least half the peak: the run would be the whole week
    assert hottest([3, 2, 2, 2, 2, 2, 2]) is None
    # Monday to Friday 3, 3, 3, 3, 2 (14 of 16) against 1.25 × 16 × 5/7 = 14.3: not hot
    assert hottest([3, 3, 3, 3, 2, 1, 1]) is None
    assert hottest([0] * 7) is None
