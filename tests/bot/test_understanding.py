"""What people type: parts of the day, a district as a filter, place and period in either
order, and a category word that is asked about rather than chosen silently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.i18n import Translator
from bot.incidents.categories import DEFAULTS, CategoryChoice, IncidentCategory, match_category
from bot.incidents.service import IncidentDraft, Logged, parse_quick
from bot.timeparse import explain_when, parse_when, read_when, split_period

TZ = ZoneInfo("Europe/Stockholm")
CATEGORIES = [
    IncidentCategory(i, k, sv, en, a, True) for i, (k, sv, en, a) in enumerate(DEFAULTS, 1)
]


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def read(text: str, now: datetime) -> datetime:
    return read_when(text, now=now, tz=TZ).astimezone(TZ)


# -- parts of the day -------------------------------------------------------------------------


# Monday 7 December 2026 (winter time, UTC+1); what each word is at that hour, worked out from
# the rules in bot.timeparse: morning 08:00, evening 20:00, night 01:00 of its morning.
@pytest.mark.parametrize(
    ("hour", "text", "expected"),
    [
        (14, "i morse", local(2026, 12, 7, 8, 0)),
        (7, "i morse", local(2026, 12, 7, 7, 0)),  # the morning has begun, 08:00 has not come
        (14, "i natt", local(2026, 12, 7, 1, 0)),  # the night that ended this morning
        (2, "i natt", local(2026, 12, 7, 1, 0)),  # at 02:00: the night we are in, since 22:00
        (0, "inatt", local(2026, 12, 7, 0, 0)),  # 00:00, before 01:00: now
        (23, "i natt", local(2026, 12, 7, 23, 0)),  # tonight has begun: now
        (14, "i natt kl 23", local(2026, 12, 6, 23, 0)),  # the evening the night began
        (14, "i natt 2", local(2026, 12, 7, 2, 0)),
        (23, "i kväll", local(2026, 12, 7, 20, 0)),
        (19, "i kväll", local(2026, 12, 7, 19, 0)),  # evening from 18:00: now
        (2, "i kväll", local(2026, 12, 6, 20, 0)),  # after midnight: the evening that just went
        (23, "i kväll 9", local(2026, 12, 7, 21, 0)),  # "9" in the evening is 21:00
        (14, "igår kväll", local(2026, 12, 6, 20, 0)),
        (14, "i fredags kväll 22:15", local(2026, 12, 4, 22, 15)),
        (14, "I MORSE KL 7.30", local(2026, 12, 7, 7, 30)),
        (14, "2026-12-01 19", local(2026, 12, 1, 19, 0)),  # a bare number after a date: hour
        (14, "i morgon 10:00", local(2026, 12, 8, 10, 0)),  # still tomorrow, not "morning"
    ],
)
def test_parts_of_the_day(hour: int, text: str, expected: datetime) -> None:
    assert read(text, local(2026, 12, 7, hour, 0)) == expected


def test_a_part_of_the_day_still_to_come_is_refused_as_the_future() -> None:
    now = local(2026, 12, 7, 14, 0)
    with pytest.raises(InvalidInput) as caught:
        parse_when("i kväll", now=now.astimezone(UTC), tz=TZ)
    said = Translator("sv").render(caught.value.message)
    assert "måndag 7 december 2026 kl. 20:00" in said and "framtiden" in said


def test_a_clock_outside_the_part_of_the_day_is_not_guessed() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_when("i morse kl 15", now=local(2026, 12, 7, 16, 0), tz=TZ)
    assert caught.value.message.msgid.startswith("I could not read")


def test_what_a_part_of_the_day_was_read_as_is_said() -> None:
    sv = Translator("sv")
    at = local(2026, 12, 7, 1, 0)
    night = explain_when("i natt", tz=TZ, at=at)
    assert night is not None
    assert sv.render(night) == (
        "”i natt” är natten mellan söndag 6 december 2026 och måndag 7 december 2026; utan "
        "klockslag sparas den som måndag 7 december 2026 kl. 01:00. Rätta tiden om du vet den."
    )
    clocked = explain_when("i kväll 9", tz=TZ, at=local(2026, 12, 7, 21, 0))
    assert clocked is not None
    assert sv.render(clocked) == "”i kväll 9” läses som måndag 7 december 2026 kl. 21:00."
    assert explain_when("igår 21:30", tz=TZ, at=at) is None
    assert explain_when("", tz=TZ, at=at) is None


# -- place and period in either order -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "week"),
    [
        ("Fittja centrum förra veckan", "Fittja centrum", 49),
        ("förra veckan Fittja centrum", "Fittja centrum", 49),
        ("v47 Fittja", "Fittja", 47),
        ("Fittja, v47", "Fittja", 47),
    ],
)
def test_place_and_period_in_either_order(text: str, place: str, week: int) -> None:
    rest, period = split_period(text, now=local(2026, 12, 7, 14, 0), tz=TZ)
    assert rest == place
    assert period is not None and period.label.params["week"] == week


def test_a_place_alone_has_no_period() -> None:
    assert split_period("Fittja centrum", now=local(2026, 12, 7, 14, 0), tz=TZ) == (
        "Fittja centrum",
        None,
    )


# -- categories by name, by alias, by meaning -------------------------------------------------


def labels(error: CategoryChoice) -> list[str]:
    return [c.label_sv for c in error.choices]


def test_narkotika_is_asked_about_not_chosen() -> None:
    with pytest.raises(CategoryChoice) as caught:
        match_category("narkotika", CATEGORIES)
    assert caught.value.ambiguous
    assert labels(caught.value) == ["Öppen narkotikaförsäljning", "Narkotikahantering"]


def test_vapen_gets_the_categories_it_means() -> None:
    with pytest.raises(CategoryChoice) as caught:
        match_category("Vapen", CATEGORIES)
    assert labels(caught.value) == ["Skottlossning", "Hot", "Grovt våld / gatuvåld"]


def test_a_word_with_one_meaning_is_suggested_not_chosen() -> None:
    with pytest.raises(CategoryChoice) as caught:
        match_category("eld", CATEGORIES)
    assert not caught.value.ambiguous
    assert labels(caught.value)[0] == "Brand"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("narkotikaförsäljning", "narkotikaforsaljning"),
        ("Öppen narkotikaförsäljning", "narkotikaforsaljning"),
        ("langning", "narkotikaforsaljning"),
        ("skjutning", "skottlossning"),
        ("klottr", "klotter"),  # a slip of the finger is still read by spelling
    ],
)
def test_names_and_aliases_are_chosen(typed: str, key: str) -> None:
    assert match_category(typed, CATEGORIES).key == key


# -- the incident service ---------------------------------------------------------------------

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 14:00 in Stockholm


def test_an_ambiguous_word_saves_nothing_and_a_choice_saves_the_same_text(demo, erik) -> None:
    text = "Fittja centrum; narkotika; Påsar under bänkarna; i natt"
    with pytest.raises(CategoryChoice) as caught:
        demo.incidents.understand_text(erik, text, now=NOW)
    handling = next(c for c in caught.value.choices if c.key == "narkotikahantering")
    understood = demo.incidents.understand_text(erik, text, category_id=handling.id, now=NOW)
    assert not isinstance(understood, Logged)
    logged = demo.incidents.save(erik, understood, now=NOW)
    assert logged.incident.category.label_sv == "Narkotikahantering"
    assert logged.incident.description == "Påsar under bänkarna"
    assert logged.incident.occurred_at == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)  # 01:00 local
    assert logged.reading is not None and logged.reading.params["text"] == "i natt"


def test_a_district_lists_every_place_in_it_and_either_order_works(demo, erik) -> None:
    last_week = NOW - timedelta(weeks=1)
    for place, text in (
        ("Fittja centrum", "Markering i centrum"),
        ("Fittja torg", "Markering på torget"),
        ("Tumba station", "Markering i Tumba"),
    ):
        draft = IncidentDraft(place, "klotter", text, occurred_at=last_week)
        demo.incidents.log(erik, draft, now=NOW)
    tz = ZoneInfo("Europe/Stockholm")
    for typed in ("Fittja förra veckan", "förra veckan Fittja"):
        place, period = split_period(typed, now=NOW, tz=tz)
        assert period is not None
        listing = demo.incidents.list(erik, period, place=place)
        said = {e.description for e in listing.entries}
        assert {"Markering i centrum", "Markering på torget"} <= said
        assert "Markering i Tumba" not in said
        assert (listing.place, listing.district) == ("Fittja", True)
        assert {e.district for e in listing.entries} == {"Fittja"}
    one = demo.incidents.list(erik, period, place="Fittja torg")
    assert (one.place, one.district) == ("Fittja torg", False)
    assert {e.place for e in one.entries} == {"Fittja torg"}


def test_a_word_by_meaning_logs_nothing_until_chosen(demo, erik) -> None:
    draft = parse_quick("Fittja torg; vapen; Kniv visad mot en förbipasserande")
    with pytest.raises(CategoryChoice):
        demo.incidents.log(erik, draft, now=NOW)
