"""Working days, quiet hours and holidays. Every expected value is worked out by hand from the
calendar; the library is only cross-checked, never used to compute an expectation.

2026: Easter Sunday is 5 April; summer time starts Sunday 29 March and ends Sunday 25 October.
2027: Easter Sunday is 28 March, the same day summer time starts; it ends Sunday 31 October.
Stockholm is UTC+1 in winter (CET) and UTC+2 in summer (CEST).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.workdays import (
    WorkingHours,
    allowed_at,
    at_local,
    holiday_name,
    is_holiday,
    is_working_day,
    meeting_day,
    next_working_day,
    working_day_on_or_after,
    working_days_before,
)

STHLM = ZoneInfo("Europe/Stockholm")
HOURS = WorkingHours(tz=STHLM)

HOLIDAYS_2026 = {
    date(2026, 1, 1): "Nyårsdagen",  # Thu
    date(2026, 1, 6): "Trettondedag jul",  # Tue
    date(2026, 4, 3): "Långfredagen",  # Fri
    date(2026, 4, 5): "Påskdagen",  # Sun
    date(2026, 4, 6): "Annandag påsk",  # Mon
    date(2026, 5, 1): "Första maj",  # Fri
    date(2026, 5, 14): "Kristi himmelsfärdsdag",  # Thu
    date(2026, 5, 24): "Pingstdagen",  # Sun
    date(2026, 6, 6): "Nationaldagen",  # Sat
    date(2026, 6, 19): "Midsommarafton",  # Fri
    date(2026, 6, 20): "Midsommardagen",  # Sat
    date(2026, 10, 31): "Alla helgons dag",  # Sat
    date(2026, 12, 24): "Julafton",  # Thu
    date(2026, 12, 25): "Juldagen",  # Fri
    date(2026, 12, 26): "Annandag jul",  # Sat
    date(2026, 12, 31): "Nyårsafton",  # Thu
}

HOLIDAYS_2027 = {
    date(2027, 1, 1): "Nyårsdagen",  # Fri
    date(2027, 1, 6): "Trettondedag jul",  # Wed
    date(2027, 3, 26): "Långfredagen",  # Fri
    date(2027, 3, 28): "Påskdagen",  # Sun
    date(2027, 3, 29): "Annandag påsk",  # Mon
    date(2027, 5, 1): "Första maj",  # Sat
    date(2027, 5, 6): "Kristi himmelsfärdsdag",  # Thu
    date(2027, 5, 16): "Pingstdagen",  # Sun
    date(2027, 6, 6): "Nationaldagen",  # Sun
    date(2027, 6, 25): "Midsommarafton",  # Fri
    date(2027, 6, 26): "Midsommardagen",  # Sat
    date(2027, 11, 6): "Alla helgons dag",  # Sat
    date(2027, 12, 24): "Julafton",  # Fri
    date(2027, 12, 25): "Juldagen",  # Sat
    date(2027, 12, 26): "Annandag jul",  # Sun
    date(2027, 12, 31): "Nyårsafton",  # Fri
}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, sec, tzinfo=STHLM)


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


# --- holidays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "name"), [*HOLIDAYS_2026.items(), *HOLIDAYS_2027.items()])
def test_holiday_names(day: date, name: str) -> None:
    assert is_holiday(day)
    assert holiday_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize("expected", [HOLIDAYS_2026, HOLIDAYS_2027])
def test_no_other_holidays_in_the_year(expected: dict[date, str]) -> None:
    year = next(iter(expected)).year
    assert {day for day in days_of(year) if is_holiday(day)} == set(expected)


@pytest.mark.parametrize("sunday", [date(2026, 1, 4), date(2026, 11, 22), date(2027, 2, 14)])
def test_a_plain_sunday_is_a_day_off_but_not_a_holiday(sunday: date) -> None:
    assert not is_holiday(sunday)
    assert holiday_name(sunday) is None
    assert not is_working_day(sunday)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 5),  # trettondagsafton, Mon
        date(2026, 4, 2),  # skärtorsdagen, Thu
        date(2026, 4, 30),  # valborgsmässoafton, Thu
        date(2026, 5, 13),  # dag före Kristi himmelsfärdsdag, Wed
        date(2026, 5, 15),  # klämdag after Kristi himmelsfärdsdag, Fri
        date(2026, 6, 18),  # dag före midsommarafton, Thu
        date(2026, 10, 30),  # allhelgonaafton, Fri
        date(2026, 12, 23),  # dag före julafton, Wed
        date(2026, 12, 30),  # dag före nyårsafton, Wed
        date(2026, 11, 23),  # an ordinary Monday
    ],
)
def test_half_days_and_squeeze_days_are_working_days(day: date) -> None:
    assert is_working_day(day)
    assert holiday_name(day) is None


def test_saturday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 11, 21))
    assert not is_holiday(date(2026, 11, 21))


@pytest.mark.parametrize("year", range(2020, 2036))
def test_agrees_with_the_library_public_and_de_facto_categories(year: int) -> None:
    de_facto = getattr(holidays.constants, "DE_FACTO", None)
    if de_facto is None:
        pytest.skip("this release of holidays has no DE_FACTO category for SE")
    library = holidays.country_holidays(
        "SE",
        years=year,
        language="sv",
        categories=(holidays.constants.PUBLIC, de_facto),
        include_sundays=False,
    )
    assert {day: holiday_name(day) for day in days_of(year) if is_holiday(day)} == dict(library)


# --- stepping over days off ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 24)),  # Mon → Tue
        (date(2026, 11, 20), date(2026, 11, 23)),  # Fri → Mon
        (date(2026, 11, 21), date(2026, 11, 23)),  # Sat → Mon
        (date(2026, 4, 2), date(2026, 4, 7)),  # skärtorsdagen → Tue after annandag påsk
        (date(2026, 5, 13), date(2026, 5, 15)),  # over Kristi himmelsfärdsdag
        (date(2026, 6, 18), date(2026, 6, 22)),  # over midsommar
        (date(2026, 12, 23), date(2026, 12, 28)),  # over julafton, juldagen, the weekend
        (date(2026, 12, 30), date(2027, 1, 4)),  # over nyårsafton, nyårsdagen, the weekend
        (date(2027, 3, 25), date(2027, 3, 30)),  # Easter 2027
    ],
)
def test_next_working_day(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 24), date(2026, 11, 24)),  # a working day is itself
        (date(2026, 6, 6), date(2026, 6, 8)),  # nationaldagen, a Saturday
        (date(2026, 6, 19), date(2026, 6, 22)),  # midsommarafton
        (date(2026, 1, 6), date(2026, 1, 7)),  # trettondedag jul, a Tuesday
        (date(2026, 12, 24), date(2026, 12, 28)),
    ],
)
def test_working_day_on_or_after(day: date, expected: date) -> None:
    assert working_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 11, 23), 2, date(2026, 11, 19)),  # Mon → Thu
        (date(2026, 11, 25), 2, date(2026, 11, 23)),  # Wed → Mon
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        (date(2026, 11, 22), 0, date(2026, 11, 22)),  # n=0 is the day even on a Sunday
        (date(2026, 11, 22), 1, date(2026, 11, 20)),  # Sun → Fri
        (date(2026, 4, 7), 1, date(2026, 4, 2)),  # Tue after Easter → skärtorsdagen
        (date(2026, 12, 28), 2, date(2026, 12, 22)),  # Mon after Christmas → Tue 22 Dec
        (date(2026, 12, 25), 2, date(2026, 12, 22)),  # due on juldagen itself
        (date(2027, 1, 4), 2, date(2026, 12, 29)),  # across the new year
        (date(2026, 5, 15), 1, date(2026, 5, 13)),  # over Kristi himmelsfärdsdag
        (date(2026, 11, 30), 5, date(2026, 11, 23)),  # a whole week
    ],
)
def test_working_days_before(day: date, n: int, expected: date) -> None:
    assert working_days_before(day, n) == expected


def test_working_days_before_refuses_negative_n() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        working_days_before(date(2026, 11, 23), -1)


# --- local wall times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        (date(2026, 3, 27), time(8), utc(2026, 3, 27, 7)),  # Fri before summer time: CET
        (date(2026, 3, 30), time(8), utc(2026, 3, 30, 6)),  # Mon after: CEST
        (date(2026, 10, 23), time(8), utc(2026, 10, 23, 6)),  # Fri before winter time: CEST
        (date(2026, 10, 26), time(8), utc(2026, 10, 26, 7)),  # Mon after: CET
        (date(2027, 3, 30), time(8), utc(2027, 3, 30, 6)),
        (date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 30)),  # gap: 03:30 CEST
        (date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),  # twice: first, CEST
    ],
)
def test_at_local(day: date, at: time, expected: datetime) -> None:
    result = at_local(day, at, STHLM)
    assert result == expected
    assert result.tzinfo is UTC


# --- quiet hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 11, 24, 7, 30), local(2026, 11, 24, 7, 30)),  # Tue in the window: at once
        (local(2026, 11, 24, 7, 0), local(2026, 11, 24, 7, 0)),  # the window opens at 07:00
        (local(2026, 11, 24, 17, 59, 59), local(2026, 11, 24, 17, 59, 59)),
        (local(2026, 11, 24, 6, 0), local(2026, 11, 24, 8, 0)),  # Tue early → Tue morning
        (local(2026, 11, 24, 0, 0), local(2026, 11, 24, 8, 0)),
        (local(2026, 11, 24, 18, 0), local(2026, 11, 25, 8, 0)),  # quiet from 18:00
        (local(2026, 11, 20, 19, 0), local(2026, 11, 23, 8, 0)),  # Fri evening → Mon
        (local(2026, 11, 21, 12, 0), local(2026, 11, 23, 8, 0)),  # Sat → Mon
        (local(2026, 11, 22, 23, 59), local(2026, 11, 23, 8, 0)),  # Sun night → Mon
        (local(2026, 12, 24, 10, 0), local(2026, 12, 28, 8, 0)),  # julafton → Mon 28 Dec
        (local(2026, 12, 23, 18, 30), local(2026, 12, 28, 8, 0)),
        (local(2026, 12, 31, 9, 0), local(2027, 1, 4, 8, 0)),  # nyårsafton → Mon 4 Jan
        (local(2026, 4, 2, 20, 0), local(2026, 4, 7, 8, 0)),  # skärtorsdag evening → Tue
        (local(2026, 6, 19, 9, 0), local(2026, 6, 22, 8, 0)),  # midsommarafton → Mon
        (local(2026, 1, 6, 9, 0), local(2026, 1, 7, 8, 0)),  # trettondedag jul (Tue) → Wed
    ],
)
def test_allowed_at(moment: datetime, expected: datetime) -> None:
    result = allowed_at(moment, HOURS)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 3, 27, 19, 0), utc(2026, 3, 30, 6, 0)),  # into summer time
        (local(2026, 10, 23, 19, 0), utc(2026, 10, 26, 7, 0)),  # into winter time
        (local(2027, 3, 26, 9, 0), utc(2027, 3, 30, 6, 0)),  # Easter 2027 and summer time
    ],
)
def test_allowed_at_across_dst(moment: datetime, expected: datetime) -> None:
    assert allowed_at(moment, HOURS) == expected


def test_allowed_at_reads_the_moment_in_the_group_time_zone() -> None:
    assert allowed_at(utc(2026, 11, 24, 6, 30), HOURS) == utc(2026, 11, 24, 6, 30)  # 07:30 local
    assert allowed_at(utc(2026, 11, 24, 5, 30), HOURS) == utc(2026, 11, 24, 7, 0)  # 06:30 local
    assert allowed_at(utc(2026, 11, 24, 16, 30), HOURS) == utc(2026, 11, 24, 16, 30)  # 17:30
    assert allowed_at(utc(2026, 11, 24, 17, 0), HOURS) == utc(2026, 11, 25, 7, 0)  # 18:00 local
    helsinki = WorkingHours(tz=ZoneInfo("Europe/Helsinki"))  # UTC+2 in winter: 16:30Z is 18:30
    assert allowed_at(utc(2026, 11, 24, 16, 30), helsinki) == utc(2026, 11, 25, 6, 0)


def test_allowed_at_with_other_hours() -> None:
    hours = WorkingHours(tz=STHLM, quiet_start=time(20), quiet_end=time(6), morning=time(9))
    assert allowed_at(local(2026, 11, 24, 19, 0), hours) == local(2026, 11, 24, 19, 0)
    assert allowed_at(local(2026, 11, 24, 5, 0), hours) == local(2026, 11, 24, 9, 0)
    assert allowed_at(local(2026, 11, 24, 20, 0), hours) == local(2026, 11, 25, 9, 0)


def test_allowed_at_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        allowed_at(datetime(2026, 11, 24, 9, 0), HOURS)


@pytest.mark.parametrize(
    ("quiet_start", "quiet_end", "morning"),
    [(time(18), time(7), time(6)), (time(18), time(7), time(18)), (time(6), time(7), time(8))],
)
def test_working_hours_must_make_sense(quiet_start: time, quiet_end: time, morning: time) -> None:
    with pytest.raises(ValueError, match="quiet_end <= morning < quiet_start"):
        WorkingHours(tz=STHLM, quiet_start=quiet_start, quiet_end=quiet_end, morning=morning)


# --- meetings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        (date(2026, 11, 24), (date(2026, 11, 24), None)),  # an ordinary Tuesday stays
        (date(2026, 1, 6), (date(2026, 1, 7), "Trettondedag jul")),
        (date(2026, 4, 6), (date(2026, 4, 7), "Annandag påsk")),
        (date(2026, 5, 14), (date(2026, 5, 15), "Kristi himmelsfärdsdag")),
        (date(2026, 12, 24), (date(2026, 12, 28), "Julafton")),
        (date(2026, 12, 25), (date(2026, 12, 28), "Juldagen")),
        (date(2027, 3, 29), (date(2027, 3, 30), "Annandag påsk")),
        (date(2026, 11, 21), (date(2026, 11, 23), None)),  # a Saturday moves, no holiday
    ],
)
def test_meeting_day(planned: date, expected: tuple[date, str | None]) -> None:
    assert meeting_day(planned) == expected


# --- properties ----------------------------------------------------------------------------------

ZONES = st.sampled_from(
    [UTC, STHLM, ZoneInfo("Europe/Helsinki"), ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")]
)
MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31, 23, 59), timezones=ZONES
)
DATES = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def working_hours(draw: st.DrawFn) -> WorkingHours:
    quiet_end = time(draw(st.integers(5, 8)), draw(st.integers(0, 59)))
    morning = time(draw(st.integers(quiet_end.hour, 10)), draw(st.integers(0, 59)))
    quiet_start = time(draw(st.integers(16, 22)), draw(st.integers(0, 59)))
    tz = draw(st.sampled_from([STHLM, ZoneInfo("Europe/Helsinki"), ZoneInfo("America/New_York")]))
    return WorkingHours(
        tz=tz, quiet_start=quiet_start, quiet_end=min(quiet_end, morning), morning=morning
    )


def count_working_days(start: date, end: date) -> int:
    """Working days in [start, end)."""
    return sum(is_working_day(start + timedelta(days=i)) for i in range((end - start).days))


@given(MOMENTS, st.one_of(st.just(HOURS), working_hours()))
def test_allowed_at_is_the_earliest_allowed_moment(moment: datetime, hours: WorkingHours) -> None:
    result = allowed_at(moment, hours)
    assert result.tzinfo is UTC
    assert result >= moment
    there, then = result.astimezone(hours.tz), moment.astimezone(hours.tz)
    assert is_working_day(there.date())
    assert hours.quiet_end <= there.time() < hours.quiet_start
    assert allowed_at(result, hours) == result
    if result == moment:
        return
    # Held back: released at the morning, and nothing earlier would do.
    assert there.time() == hours.morning
    if there.date() == then.date():
        assert then.time() < hours.quiet_end
    else:
        assert not is_working_day(then.date()) or then.time() >= hours.quiet_start
        assert count_working_days(then.date() + timedelta(days=1), there.date()) == 0


@given(DATES, st.integers(0, 30))
def test_working_days_before_counts_exactly_n(day: date, n: int) -> None:
    result = working_days_before(day, n)
    assert result <= day
    assert count_working_days(result, day) == n
    if n == 0:
        assert result == day
    else:
        assert is_working_day(result)  # so it is also the latest date with exactly n


@given(DATES)
def test_next_working_day_is_the_first_after(day: date) -> None:
    result = next_working_day(day)
    assert result > day
    assert is_working_day(result)
    assert count_working_days(day + timedelta(days=1), result) == 0
    assert working_day_on_or_after(day) == (day if is_working_day(day) else result)


@given(DATES)
def test_meeting_day_moves_only_off_days(day: date) -> None:
    moved, name = meeting_day(day)
    assert is_working_day(moved)
    assert moved == working_day_on_or_after(day)
    assert name == (None if moved == day else holiday_name(day))


@given(DATES, st.times(), st.sampled_from([STHLM, ZoneInfo("America/New_York")]))
def test_at_local_round_trips_or_moves_forward(day: date, at: time, tz: ZoneInfo) -> None:
    result = at_local(day, at, tz)
    wall = result.astimezone(tz)
    naive = datetime.combine(day, at)
    assert wall.replace(tzinfo=None) >= naive  # a wall time in a gap moves forward
    assert wall.replace(tzinfo=None) - naive <= timedelta(hours=1)
