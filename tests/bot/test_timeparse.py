"""Swedish times and periods. Every expected value is worked out by hand from the calendar.

NOW is Sunday 22 November 2026, 10:00 in Stockholm (CET, UTC+1), ISO week 47.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.i18n import N_
from bot.timeparse import (
    NoSuchWeek,
    Period,
    day_span,
    format_local,
    iso_week,
    nearest_long_year,
    parse_period,
    parse_when,
    read_week,
    split_leading_week,
    split_period,
    this_week,
    week_of,
    week_span,
    weeks_in,
)

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=STHLM)


def when(text: str, now: datetime = NOW, **kwargs) -> datetime:
    result = parse_when(text, now=now, tz=STHLM, **kwargs)
    assert result.tzinfo is UTC
    return result


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STHLM)


def refusal(text: str, now: datetime = NOW, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, now=now, tz=STHLM, **kwargs)
    assert caught.value.field == "when"
    return caught.value


# ---- parse_when -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  ", "nu", "Nu", "just nu"])
def test_now(text):
    assert when(text) == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("idag 09:15", local(2026, 11, 22, 9, 15)),
        ("i dag 9.15", local(2026, 11, 22, 9, 15)),
        ("igår 21:30", local(2026, 11, 21, 21, 30)),
        ("i går kl. 21", local(2026, 11, 21, 21, 0)),
        ("igår 21", local(2026, 11, 21, 21, 0)),
        ("I GÅR KL. 21", local(2026, 11, 21, 21, 0)),
        ("igar 21:30", local(2026, 11, 21, 21, 30)),
        ("21.30 igår", local(2026, 11, 21, 21, 30)),
        ("förrgår 23:15", local(2026, 11, 20, 23, 15)),
        ("i förrgår 23:15", local(2026, 11, 20, 23, 15)),
        ("forrgar 23:15", local(2026, 11, 20, 23, 15)),
        ("i fredags kl 22", local(2026, 11, 20, 22, 0)),
        ("i torsdags 23.45", local(2026, 11, 19, 23, 45)),
        ("i söndags kl 22", local(2026, 11, 15, 22, 0)),  # today is Sunday: the one before
        ("fredag 22:00", local(2026, 11, 20, 22, 0)),
        ("fre 21", local(2026, 11, 20, 21, 0)),
        ("söndag 09:00", local(2026, 11, 22, 9, 0)),  # today, the time has passed
        ("söndag 22:00", local(2026, 11, 15, 22, 0)),  # today's 22:00 has not come: a week ago
        ("20/11 21.30", local(2026, 11, 20, 21, 30)),
        ("20/11 kl 21:30", local(2026, 11, 20, 21, 30)),
        ("20 nov 21:30", local(2026, 11, 20, 21, 30)),
        ("20 november 2026 kl 21.30", local(2026, 11, 20, 21, 30)),
        ("fredag 20 november kl 21", local(2026, 11, 20, 21, 0)),
        ("20/11/2026 21:30", local(2026, 11, 20, 21, 30)),
        ("2026-11-20 21:30", local(2026, 11, 20, 21, 30)),
        ("2026-11-20T21:30", local(2026, 11, 20, 21, 30)),
        ("kl 9", local(2026, 11, 22, 9, 0)),
        ("09:30", local(2026, 11, 22, 9, 30)),
        ("för 2 timmar sedan", local(2026, 11, 22, 8, 0)),
    ],
)
def test_date_and_time(text, expected):
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", local(2026, 11, 20, 12, 0)),  # a date without a time: 12:00 local
        ("i förrgår", local(2026, 11, 20, 12, 0)),
        ("igår", local(2026, 11, 21, 12, 0)),
        ("i fredags", local(2026, 11, 20, 12, 0)),
        ("20/11", local(2026, 11, 20, 12, 0)),
        ("20/12", local(2025, 12, 20, 12, 0)),  # no year: the most recent 20 December
        ("23/11", local(2025, 11, 23, 12, 0)),
        ("idag", local(2026, 11, 22, 10, 0)),  # today before 12:00: now, not a future noon
        ("söndag", local(2026, 11, 22, 10, 0)),
    ],
)
def test_a_date_without_a_time_is_noon(text, expected):
    assert when(text) == expected


def test_a_time_alone_is_today_in_the_evening():
    evening = local(2026, 11, 22, 23, 0)
    assert when("21:30", now=evening) == local(2026, 11, 22, 21, 30)
    assert when("kl 22", now=evening) == local(2026, 11, 22, 22, 0)
    assert when("idag 14:00", now=evening) == local(2026, 11, 22, 14, 0)
    assert when("idag", now=evening) == local(2026, 11, 22, 12, 0)


def test_weekday_on_that_weekday():
    friday_late = local(2026, 11, 20, 23, 0)
    assert when("fredag 22:00", now=friday_late) == local(2026, 11, 20, 22, 0)
    assert when("i fredags kl 22", now=friday_late) == local(2026, 11, 13, 22, 0)
    friday_early = local(2026, 11, 20, 21, 0)
    assert when("fredag 22:00", now=friday_early) == local(2026, 11, 13, 22, 0)


def test_summer_and_winter_offsets():
    july = local(2026, 7, 20, 10, 0)
    assert when("2026-07-15 21:30", now=july) == datetime(2026, 7, 15, 19, 30, tzinfo=UTC)
    assert when("igår 21:30", now=july) == datetime(2026, 7, 19, 19, 30, tzinfo=UTC)
    january = local(2026, 1, 20, 10, 0)
    assert when("2026-01-15 21:30", now=january) == datetime(2026, 1, 15, 20, 30, tzinfo=UTC)
    assert when("igår 21:30", now=january) == datetime(2026, 1, 19, 20, 30, tzinfo=UTC)


def test_yesterday_across_the_dst_changes():
    # Sunday 29 March 2026, 12:00 CEST: Saturday evening was still winter time.
    assert when("igår 21:30", now=local(2026, 3, 29, 12, 0)) == datetime(
        2026, 3, 28, 20, 30, tzinfo=UTC
    )
    # Sunday 25 October 2026, 12:00 CET: Saturday evening was still summer time.
    assert when("igår 21:30", now=local(2026, 10, 25, 12, 0)) == datetime(
        2026, 10, 24, 19, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-29 01:30", datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),  # CET
        ("2026-03-29 02:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # no such time: 03:30 CEST
        ("2026-03-29 03:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # CEST
        ("2026-10-25 01:30", datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),  # CEST
        ("2026-10-25 02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # twice: the first, CEST
        ("2026-10-25 03:30", datetime(2026, 10, 25, 2, 30, tzinfo=UTC)),  # CET
    ],
)
def test_times_on_the_dst_change_nights(text, expected):
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("idag 14:00", "söndag 22 november 2026 kl. 14:00"),
        ("21:30", "söndag 22 november 2026 kl. 21:30"),  # refused, not moved to yesterday
        ("kl 22", "söndag 22 november 2026 kl. 22:00"),
        ("20.11", "söndag 22 november 2026 kl. 20:11"),  # "20.11" is a time, like "21.30"
        ("20/12 2026", "söndag 20 december 2026 kl. 12:00"),
    ],
)
def test_the_future_is_refused_with_what_was_understood(text, understood):
    error = refusal(text)
    assert error.message == N_(
        "“{text}” is {understood}, which is in the future.", text=text, understood=understood
    )


def test_more_than_a_year_ago_is_refused():
    error = refusal("2025-11-20 21:30")
    assert error.message.msgid == "“{text}” is {understood}, more than a year ago."
    assert error.message.params["text"] == "2025-11-20 21:30"
    assert error.message.params["understood"] == "torsdag 20 november 2025 kl. 21:30"
    assert when("2025-11-23 21:30") == local(2025, 11, 23, 21, 30)  # 364 days ago


def test_a_shorter_limit_says_how_many_days():
    error = refusal("2026-10-01 12:00", max_past=timedelta(days=30))
    assert error.message.msgid == "“{text}” is {understood}, more than {days} days ago."
    assert error.message.params["days"] == 30
    assert error.message.params["understood"] == "torsdag 1 oktober 2026 kl. 12:00"


@pytest.mark.parametrize(
    "text",
    ["i vinter", "22", "en", "november", "2026", "25:00", "igår 24:00", "i går kl 21:75", "x" * 81],
)
def test_unreadable(text):
    error = refusal(text)
    assert error.message.msgid.startswith("I could not read “{text}” as a time.")
    assert error.message.params == {"text": text}


def test_format_local():
    assert format_local(datetime(2026, 11, 20, 20, 30, tzinfo=UTC), STHLM) == (
        "fredag 20 november 2026 kl. 21:30"
    )
    assert format_local(datetime(2026, 7, 6, 6, 5, tzinfo=UTC), STHLM) == (
        "måndag 6 juli 2026 kl. 08:05"
    )


# ---- parse_period -----------------------------------------------------------------------------


def period(text: str, now: datetime = NOW) -> Period:
    result = parse_period(text, now=now, tz=STHLM)
    assert result.start.tzinfo is UTC
    assert result.end.tzinfo is UTC
    return result


WEEK_47 = Period(
    datetime(2026, 11, 15, 23, 0, tzinfo=UTC),  # Monday 16 November 00:00 CET
    datetime(2026, 11, 22, 23, 0, tzinfo=UTC),  # Monday 23 November 00:00 CET
    N_("week {week}, {year}", week=47, year=2026),
)


@pytest.mark.parametrize(
    "text",
    [
        "v47",
        "v. 47",
        "V.47",
        "vecka 47",
        "Vecka 47",
        "v47 2026",
        "2026-W47",
        "denna vecka",
        "den här veckan",
        "den har veckan",
        "i veckan",
    ],
)
def test_this_week(text):
    assert period(text) == WEEK_47
    assert this_week(now=NOW, tz=STHLM) == WEEK_47
    assert iso_week(2026, 47, tz=STHLM) == WEEK_47


@pytest.mark.parametrize(
    "text",
    [
        "V47 2025",
        "v47, 2025",
        "vecka 47 2025",
        "2025-W47",
        "2025w47",
        "2025 v47",
        "2025 vecka 47",
        "week 47 2025",
        "2025 week 47",
    ],
)
def test_week_with_a_year(text):
    assert period(text) == Period(
        local(2025, 11, 17, 0, 0).astimezone(UTC),
        local(2025, 11, 24, 0, 0).astimezone(UTC),
        N_("week {week}, {year}", week=47, year=2025),
    )


@pytest.mark.parametrize("text", ["förra veckan", "forra veckan", "FÖRRA VECKAN"])
def test_last_week(text):
    assert period(text) == Period(
        local(2026, 11, 9, 0, 0).astimezone(UTC),
        local(2026, 11, 16, 0, 0).astimezone(UTC),
        N_("week {week}, {year}", week=46, year=2026),
    )


def week(year: int, month: int, day: int) -> tuple[datetime, datetime]:
    """The period of the ISO week that starts on Monday ``day``: (start, end) as aware UTC."""
    start = local(year, month, day, 0, 0)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


def bounds(text: str, now: datetime = NOW) -> tuple[datetime, datetime]:
    found = parse_period(text, now=now, tz=STHLM)
    return found.start, found.end


def test_a_week_number_alone_is_the_nearest_week():
    # NOW is in week 47 of 2026; 2026 has 53 weeks. Week 50 is next month, not December 2025.
    assert period("v50") == Period(
        *week(2026, 12, 7), N_("week {week}, {year}", week=50, year=2026)
    )
    assert bounds("v1") == week(2027, 1, 4)  # six weeks ahead, not 46 weeks back
    assert bounds("v53") == week(2026, 12, 28)  # 2026's week 53: 28 December – 3 January
    assert bounds("v21") == week(2026, 5, 18)  # 26 weeks back against 27 ahead
    assert bounds("v20") == week(2027, 5, 17)  # 27 weeks back (11 May) against 26 ahead
    assert bounds("v53 2026") == (local(2026, 12, 28, 0, 0), local(2027, 1, 4, 0, 0))


def test_weeks_around_new_year():
    saturday = local(2027, 1, 2, 12, 0)  # Saturday 2 January 2027 is in week 53 of 2026
    assert bounds("v53", saturday) == week(2026, 12, 28)  # this week
    assert bounds("denna vecka", saturday) == week(2026, 12, 28)
    assert bounds("förra veckan", saturday) == week(2026, 12, 21)  # week 52
    assert bounds("v1", saturday) == week(2027, 1, 4)  # next week
    assert bounds("v2", saturday) == week(2027, 1, 11)
    assert bounds("v50", saturday) == week(2026, 12, 7)
    monday = local(2027, 1, 4, 8, 0)  # week 1 of 2027
    assert bounds("förra veckan", monday) == week(2026, 12, 28)  # week 53
    assert bounds("v53", monday) == week(2026, 12, 28)
    assert bounds("v52", monday) == week(2026, 12, 21)
    # Sunday 28 December 2025 is in week 52 of 2025; week 1 of 2026 begins the next day
    sunday = local(2025, 12, 28, 20, 0)
    assert bounds("v1", sunday) == week(2025, 12, 29)
    assert bounds("v1 2026", sunday) == week(2025, 12, 29)
    assert bounds("v52", sunday) == week(2025, 12, 22)
    assert bounds("v1 2025", sunday) == week(2024, 12, 30)  # week 1 of 2025 began in 2024


def test_a_tie_goes_to_the_past():
    # Sunday 23 November 2025, week 47 of a 52-week year: week 21 of 2025 (19 May) is 26 weeks
    # back, week 21 of 2026 (18 May) 26 weeks ahead
    sunday = local(2025, 11, 23, 12, 0)
    assert bounds("v21", sunday) == week(2025, 5, 19)
    assert bounds("v20", sunday) == week(2026, 5, 11)  # 27 back against 25 ahead


def week_refusal(text: str, now: datetime = NOW) -> NoSuchWeek:
    with pytest.raises(NoSuchWeek) as caught:
        parse_period(text, now=now, tz=STHLM)
    assert caught.value.field == "period"
    return caught.value


def test_a_week_that_does_not_exist():
    no_such = "“{text}” is week {week}, and there is no such week: weeks are numbered 1 to 52, "
    no_such += "and 1 to 53 in the years that have 53 weeks, such as {long_year}."
    for text, number in (("v54", 54), ("v0", 0), ("vecka 100", 100), ("v54 2026", 54)):
        missing = week_refusal(text)
        assert missing.message == N_(no_such, text=text, week=number, year=None, long_year=2026)
        assert (missing.year, missing.week) == (None, number)
    short = week_refusal("v53 2027")  # 2027 has 52 weeks
    assert short.message == N_(
        "“{text}” is week {week} of {year}, but {year} has only 52 weeks. Write a week from 1 "
        "to 52, or the year of a week 53, such as “v53 {long_year}”.",
        text="v53 2027",
        week=53,
        year=2027,
        long_year=2026,
    )
    # in December 2027 the nearest week 53 would be 2027's, which does not exist: refused, not
    # moved to 2026's, 50 weeks back
    nearest = week_refusal("v53", local(2027, 12, 15, 12, 0))
    assert nearest.message == N_(
        "“{text}” without a year is the week {week} nearest today, that of {year}, but {year} "
        "has only 52 weeks. Write a week from 1 to 52, or the year of a week 53, such as "
        "“v53 {long_year}”.",
        text="v53",
        week=53,
        year=2027,
        long_year=2026,
    )
    assert (nearest.year, nearest.typed) == (2027, False)
    sunday = week_refusal("v53", local(2025, 12, 28, 20, 0))  # 2025 has 52 weeks; 2026 has 53
    assert (sunday.year, sunday.message.params["long_year"]) == (2025, 2026)
    with pytest.raises(NoSuchWeek):
        split_period("Fittja centrum v54", now=NOW, tz=STHLM)  # a week was meant


def test_the_years_with_53_weeks():
    assert [y for y in range(2015, 2040) if weeks_in(y) == 53] == [2015, 2020, 2026, 2032, 2037]
    assert (nearest_long_year(2027), nearest_long_year(2029), nearest_long_year(2030)) == (
        2026,
        2026,
        2032,
    )


def test_read_week_reads_one_week_by_the_same_rule():
    for text in ("v50", "v. 50", "vecka 50", "50", "v50 2026", "50 2026", "2026-v50", "2026-W50"):
        assert read_week(text, now=NOW, tz=STHLM) == (2026, 50), text
    assert read_week("vecka 50, 2025", now=NOW, tz=STHLM) == (2025, 50)
    assert read_week("förra veckan", now=NOW, tz=STHLM) == (2026, 46)
    for text in ("november", "idag", "2026-11-16–2026-11-29", "fittja"):
        with pytest.raises(InvalidInput) as caught:
            read_week(text, now=NOW, tz=STHLM)
        assert caught.value.message == N_(
            "Write the week as v50, v50 2026 or 2026-v50 (“{text}”).", text=text
        )
    with pytest.raises(NoSuchWeek) as caught:
        read_week("54", now=NOW, tz=STHLM)
    assert caught.value.message.params["text"] == "54"  # what was typed, not "v54"


def test_a_week_at_the_start_of_a_text():
    assert split_leading_week("v50 2026 Fel siffror") == ("v50 2026", "Fel siffror")
    assert split_leading_week("2026-v50 fel") == ("2026-v50", "fel")
    assert split_leading_week("vecka 50, 2026 x") == ("vecka 50, 2026", "x")
    assert split_leading_week("V50 3 händelser saknades") == ("V50", "3 händelser saknades")
    assert split_leading_week("50 fel") == ("50", "fel")
    assert split_leading_week("förra veckan fel") == ("förra veckan", "fel")
    assert split_leading_week("v54") == ("v54", "")  # read_week answers it
    assert split_leading_week("Fel siffror") == ("", "Fel siffror")
    assert split_leading_week("vad 50") == ("", "vad 50")


def test_the_days_of_a_week():
    assert week_span(2026, 50) == "7–13 december 2026"
    assert week_span(2026, 49) == "30 november – 6 december 2026"
    assert week_span(2026, 53) == "28 december 2026 – 3 januari 2027"
    assert week_span(2026, 1) == "29 december 2025 – 4 januari 2026"


def test_a_period_that_is_one_week_has_a_week_number():
    assert week_of(period("v47"), STHLM) == (2026, 47)
    assert week_of(period("förra veckan"), STHLM) == (2026, 46)
    assert week_of(period("2026-11-16–2026-11-22"), STHLM) == (2026, 47)  # Monday to Sunday
    for other in ("november", "idag", "2026-11-17–2026-11-23", "senaste 14 dagarna"):
        assert week_of(period(other), STHLM) is None, other


def test_weeks_across_the_dst_changes():
    spring = iso_week(2026, 13, tz=STHLM)  # 23–29 March, clocks forward on Sunday 29 March
    assert spring.start == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
    assert spring.end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert spring.end - spring.start == timedelta(hours=167)
    autumn = iso_week(2026, 43, tz=STHLM)  # 19–25 October, clocks back on Sunday 25 October
    assert autumn.start == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    assert autumn.end == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert autumn.end - autumn.start == timedelta(hours=169)
    assert this_week(now=local(2026, 3, 29, 23, 59), tz=STHLM) == spring


def test_today_and_yesterday():
    assert period("idag") == Period(
        datetime(2026, 11, 21, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 22, 23, 0, tzinfo=UTC),
        N_("today, {date}", date="söndag 22 november 2026"),
    )
    assert period("i går") == Period(
        datetime(2026, 11, 20, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 21, 23, 0, tzinfo=UTC),
        N_("yesterday, {date}", date="lördag 21 november 2026"),
    )


@pytest.mark.parametrize(
    ("text", "first", "following", "label"),
    [
        ("november", local(2026, 11, 1, 0, 0), local(2026, 12, 1, 0, 0), ("november", 2026)),
        ("december", local(2025, 12, 1, 0, 0), local(2026, 1, 1, 0, 0), ("december", 2025)),
        ("nov 2025", local(2025, 11, 1, 0, 0), local(2025, 12, 1, 0, 0), ("november", 2025)),
        ("November 2025", local(2025, 11, 1, 0, 0), local(2025, 12, 1, 0, 0), ("november", 2025)),
        ("2026-11", local(2026, 11, 1, 0, 0), local(2026, 12, 1, 0, 0), ("november", 2026)),
        ("förra månaden", local(2026, 10, 1, 0, 0), local(2026, 11, 1, 0, 0), ("oktober", 2026)),
        ("feb", local(2026, 2, 1, 0, 0), local(2026, 3, 1, 0, 0), ("februari", 2026)),
    ],
)
def test_months(text, first, following, label):
    month, year = label
    assert period(text) == Period(
        first.astimezone(UTC),
        following.astimezone(UTC),
        N_("{month} {year}", month=month, year=year),
    )


def test_a_month_across_a_dst_change_is_not_whole_days():
    october = period("oktober 2026")
    assert october.start == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert october.end == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert october.end - october.start == timedelta(days=31, hours=1)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-01–2026-11-15",
        "2026-11-01 – 2026-11-15",
        "2026-11-01--2026-11-15",
        "2026-11-01 - 2026-11-15",
        "2026-11-01 till 2026-11-15",
    ],
)
def test_a_range_includes_its_last_day(text):
    assert period(text) == Period(
        datetime(2026, 10, 31, 23, 0, tzinfo=UTC),  # 1 November 00:00 CET
        datetime(2026, 11, 15, 23, 0, tzinfo=UTC),  # 16 November 00:00 CET
        N_("{days}", days="1–15 november 2026"),
    )


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        (date(2026, 11, 1), date(2026, 11, 15), "1–15 november 2026"),
        (date(2026, 7, 1), date(2026, 9, 30), "1 juli – 30 september 2026"),
        (date(2025, 11, 1), date(2026, 10, 7), "1 november 2025 – 7 oktober 2026"),
        (date(2026, 5, 5), date(2026, 5, 5), "5 maj 2026"),
    ],
)
def test_a_range_of_days_is_said_in_words(first, last, said):
    assert day_span(first, last) == said


def test_a_range_backwards():
    with pytest.raises(InvalidInput) as caught:
        parse_period("2026-11-15–2026-11-01", now=NOW, tz=STHLM)
    assert caught.value.message == N_(
        "“{text}” ends before it starts.", text="2026-11-15–2026-11-01"
    )


def test_years():
    assert period("2026") == Period(
        datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
        N_("year {year}", year=2026),
    )
    assert period("i år") == period("2026")
    assert period("i fjol") == period("2025")


def test_the_last_days_end_tonight():
    assert period("senaste 7 dagarna") == Period(
        local(2026, 11, 16, 0, 0).astimezone(UTC),
        local(2026, 11, 23, 0, 0).astimezone(UTC),
        N_("{days}", days="16–22 november 2026"),
    )
    thirty = period("senaste 30 dagarna")
    assert thirty.start == datetime(2026, 10, 23, 22, 0, tzinfo=UTC)  # 24 October 00:00 CEST
    assert thirty.end == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert thirty.end - thirty.start == timedelta(days=30, hours=1)
    assert period("de senaste 30 dagarna") == thirty


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nästa vecka",
        "v",
        "v0",
        "v54 2026",
        "vecka 47 1066",
        "13",
        "2026-13",
        "2026-02-30–2026-03-01",
        "senaste 0 dagarna",
        "fittja",
    ],
)
def test_unreadable_periods(text):
    with pytest.raises(InvalidInput) as caught:
        parse_period(text, now=NOW, tz=STHLM)
    assert caught.value.field == "period"


def test_the_unreadable_period_message_gives_examples():
    with pytest.raises(InvalidInput) as caught:
        parse_period("nästa  vecka", now=NOW, tz=STHLM)
    assert caught.value.message.msgid.startswith("I could not read “{text}” as a period.")
    assert "förra veckan" in caught.value.message.msgid
    assert caught.value.message.params == {"text": "nästa vecka"}


# ---- split_period -----------------------------------------------------------------------------


def split(text: str) -> tuple[str, Period | None]:
    return split_period(text, now=NOW, tz=STHLM)


def test_split_a_trailing_period():
    assert split("Fittja centrum v47") == ("Fittja centrum", WEEK_47)
    assert split("Fittja centrum, den här veckan") == ("Fittja centrum", WEEK_47)
    assert split("förra veckan") == ("", period("förra veckan"))
    assert split("Tumba de senaste 30 dagarna") == ("Tumba", period("senaste 30 dagarna"))
    assert split("Alby 2026-11-01 – 2026-11-15") == ("Alby", period("2026-11-01–2026-11-15"))
    assert split("Hallunda torg november 2025") == ("Hallunda torg", period("november 2025"))


@pytest.mark.parametrize("text", ["", "Fittja centrum", "Alby 12", "Norsborg v"])
def test_split_without_a_period(text):
    assert split(text) == (text, None)


# ---- properties -------------------------------------------------------------------------------

WORDS = [
    "igår",
    "i går",
    "idag",
    "kl",
    "kl.",
    "21:30",
    "21.30",
    "20/11",
    "2026-11-20",
    "nov",
    "november",
    "fredag",
    "i fredags",
    "sedan",
    "3",
    "dagar",
    "v47",
    "vecka",
    "2025",
    "-",
    "–",
    "till",
    "senaste",
    "förra",
    "veckan",
    "24:00",
    "99",
    "T",
    "utc",
    "٣",
]
TEXTS = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join),
    st.text(alphabet="0123456789/-.: klvT", max_size=20),
)
NOWS = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(TEXTS, NOWS)
def test_parse_when_returns_a_past_time_or_says_why_not(text, now):
    try:
        result = parse_when(text, now=now, tz=STHLM)
    except InvalidInput:
        return
    assert result.tzinfo is UTC
    assert now - timedelta(days=365) <= result <= now


@FUZZ
@given(TEXTS, NOWS)
def test_parse_period_returns_a_period_or_says_why_not(text, now):
    try:
        result = parse_period(text, now=now, tz=STHLM)
    except InvalidInput:
        return
    assert result.start < result.end


@FUZZ
@given(TEXTS, NOWS)
def test_split_period_splits_or_says_the_week_does_not_exist(text, now):
    # "Fittja v54": a week was meant and it does not exist, which is said; nothing else raises
    missing: NoSuchWeek | None = None
    try:
        rest, found = split_period(text, now=now, tz=STHLM)
    except NoSuchWeek as error:
        missing = error
    if missing is not None:
        assert any(ch.isdigit() for ch in text)  # a week number was typed
        assert not 1 <= missing.week <= 52  # weeks 1–52 exist in every year
        return
    # the place is what is left before a trailing period, or after a leading one
    assert text.startswith(rest) or (found is not None and rest in text)
    assert found is None or found.start < found.end


def test_tomorrow_is_understood_and_refused_as_the_future():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.errors import InvalidInput
    from bot.i18n import Translator
    from bot.timeparse import parse_when

    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # Sunday 10:00 in Stockholm
    with pytest.raises(InvalidInput) as caught:
        parse_when("i morgon 10:00", now=now, tz=ZoneInfo("Europe/Stockholm"))
    said = Translator("sv").render(caught.value.message)
    assert "måndag 23 november 2026 kl. 10:00" in said
    assert "framtiden" in said
