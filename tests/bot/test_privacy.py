from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.se import orgnr, personnummer

from bot import privacy
from bot.errors import InvalidInput, PersonalDataError
from bot.i18n import Translator
from bot.privacy import Finding, ensure_no_personal_data, find_personal_data


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


def luhn_digit(nine_digits: str) -> str:
    """The check digit, computed here rather than by stdnum: weights 2, 1, 2, … from the left."""
    total = 0
    for i, char in enumerate(nine_digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str(-total % 10)


# --- personnummer and samordningsnummer -------------------------------------------------------

# 811218-9876 is the classic valid test number. Its samordningsnummer has day 18 + 60 = 78:
#   digits 8 1 1 2 7 8 9 8 7, weights 2 1 2 1 2 1 2 1 2
#   products 16→7, 1, 2, 2, 14→5, 8, 18→9, 8, 14→5; sum 47; check digit (10 - 7) % 10 = 3.
SAMORDNINGSNUMMER = "811278-9873"


def test_the_hand_computed_check_digits_agree_with_stdnum():
    assert personnummer.is_valid("811218-9876")
    assert luhn_digit("811218987") == "6"
    assert luhn_digit("811278987") == "3"
    assert not personnummer.is_valid(SAMORDNINGSNUMMER)  # stdnum only knows real dates


@pytest.mark.parametrize(
    "typed",
    [
        "811218-9876",
        "811218+9876",  # 100 years or older
        "19811218-9876",
        "198112189876",
        "8112189876",
        "811218 - 9876",
        "811218 9876",
        "811218–9876",  # en dash, as phones and Macs type it
    ],
)
def test_personnummer_in_every_form(typed):
    text = f"Pojken med nummer {typed} sprang mot centrum."
    assert find_personal_data(text) == [Finding("personnummer", typed, 18)]


@pytest.mark.parametrize("typed", [SAMORDNINGSNUMMER, "19811278-9873", "8112789873"])
def test_samordningsnummer_is_named_as_such(typed):
    assert kinds_and_texts(f"samordningsnr {typed}") == [("samordningsnummer", typed)]


@pytest.mark.parametrize(
    "text",
    [
        "faktura 811218-9875",  # wrong check digit: an invoice number, not a person
        "ordernummer 8112189875",
        "811232-9876",  # no 32nd day
        "811298-9870",  # day 98 - 60 = 38: no such day either
        "25811218-9876",  # a 12-digit form starts with 18, 19 or 20
        "1811218-98765",  # longer digit runs are something else
    ],
)
def test_numbers_that_are_not_personal_numbers(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize("number", ["556036-0793", "212000-0142", "202100-5489"])
def test_organisation_numbers_are_not_personal_numbers(number):
    assert orgnr.is_valid(number)  # a real check digit: only the month (≥ 20) tells them apart
    assert find_personal_data(f"Avtal med {number} om väktare") == []


def test_a_bare_ten_digit_personnummer_wins_over_a_phone_number():
    # 070123-4569 is valid (born 2007-01-23) and also dials like a mobile number.
    assert personnummer.is_valid("0701234569")
    assert kinds_and_texts("0701234569") == [("personnummer", "0701234569")]


# --- phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "070-123 45 67",
        "070 123 45 67",
        "070-1234567",
        "0701234567",
        "070 - 123 45 67",
        "+46 70 123 45 67",
        "+46 (0)70-123 45 67",
        "+46701234567",
        "0046 70 123 45 67",
        "08-123 456 78",
        "08 123 45 67",
        "(08) 123 45 67",
        "+46812345678",
        "+46 8 123 456 78",
        "031-12 34 56",
        "0480-123 45",
        "+47 912 34 567",  # another country's number is just as personal
    ],
)
def test_phone_numbers_as_people_type_them(typed):
    assert kinds_and_texts(f"Ring {typed}, efter kl 18.") == [("telefonnummer", typed)]


def test_two_phone_numbers_next_to_each_other():
    text = "Nummer: 08-123 45 67 08-765 43 21 och 3 070-123 45 67"
    assert [f.text for f in find_personal_data(text)] == [
        "08-123 45 67",
        "08-765 43 21",
        "070-123 45 67",
    ]


# --- e-mail and registration plates -----------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["kalle@example.se", "anna.åkesson@kommun.se", "örjan+est@skola.nu", "Ö.Lund@x.com"]
)
def test_email_addresses(typed):
    assert kinds_and_texts(f"Mejla {typed}.") == [("e-postadress", typed)]


@pytest.mark.parametrize("typed", ["ABC 123", "ABC123", "ABC 12A", "XYZ-987", "MLB 84A"])
def test_plates_in_capitals(typed):
    assert kinds_and_texts(f"En {typed} stod vid skolan.") == [("registreringsnummer", typed)]


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("bilen hade reg.nr abc 123", "abc 123"),
        ("reg. abc 12a", "abc 12a"),
        ("en moped, skylt xyz123", "xyz123"),
        ("registreringsnummer Abc 123", "Abc 123"),
    ],
)
def test_plates_in_lower_case_only_after_a_vehicle_word(text, plate):
    assert kinds_and_texts(text) == [("registreringsnummer", plate)]


@pytest.mark.parametrize(
    "text",
    [
        "rum 101",
        "Box 123",
        "abc 123",
        "bilen stod där. Sedan kom rum 101",  # the vehicle word is in another sentence
        "AIK 123",  # I is never used on plates
        "QWE 123",
        "VAR 123",
        "ÅSA 123",
        "SEK 100",
        "SOS 112",
        "ABC 1234",
        "ABCD 123",
    ],
)
def test_words_with_numbers_are_not_plates(text):
    assert find_personal_data(text) == []


# --- what must not be flagged -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-20",
        "20/11 21.30",
        "2026-11-20 kl 21.30",
        "2026-05-01 12:00",
        "kl 08-12",
        "08.30-09.15",
        "08:30–10:00",
        "1 740 kr",
        "17 351 000 kr",
        "1 000 000 kr",
        "KS 2023/123",
        "Dnr 2023/0456",
        "v47",
        "vecka 47",
        "2026-W47",
        "1 000 besökare",
        "Kårsby IP",
        "tunnelbanan kl 21.30",
        "145 60 Norsborg",
        "väg 73",
        "E4 norrut",
        "kl 22",
        "Buss 173",
        "ring 112 eller 114 14",
        "0,5 promille",
    ],
)
def test_ordinary_est_text_is_not_personal_data(text):
    assert find_personal_data(text) == []


def test_a_realistic_incident_passes():
    ensure_no_personal_data(
        "Cirka 15 ungdomar samlades vid Kårsby IP fredag 20/11 kl 21.30, två mopeder "
        "(en utan skylt). Väktare på plats 22.10; skadegörelse för 1 740 kr. Dnr KS 2023/123.",
        field="description",
    )


# --- the error for the user -------------------------------------------------------------------


def test_the_error_names_what_was_found_and_hands_the_text_back():
    text = "Kalle 811218-9876, ring 070-123 45 67 eller kalle@example.se"
    with pytest.raises(PersonalDataError) as caught:
        ensure_no_personal_data(text, field="description")
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert error.text == text
    assert error.field == "description"
    assert error.found == ("personnummer", "telefonnummer", "e-postadress")
    assert Translator("en").render(error.message) == (
        "The text contains a personal identity number (811218-9876), a phone number "
        "(070-123 45 67) and an e-mail address (kalle@example.se). EST records places, times "
        "and categories — never who. Remove the personal data and try again; your text is "
        "below so nothing is lost."
    )
    assert Translator("sv").render(error.message)
    assert "811218" not in str(error)  # logs of the exception carry no personal data


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("ABC 123", "a vehicle registration number (ABC 123)"),
        (SAMORDNINGSNUMMER, f"a co-ordination number ({SAMORDNINGSNUMMER})"),
        (
            "070-123 45 67 och ABC 123",
            "a phone number (070-123 45 67) and a vehicle registration number (ABC 123)",
        ),
        ("070-123 45 67, igen 070-123 45 67", "a phone number (070-123 45 67)"),
    ],
)
def test_the_list_reads_naturally(text, listed):
    with pytest.raises(PersonalDataError) as caught:
        ensure_no_personal_data(text)
    rendered = Translator("en").render(caught.value.message)
    assert rendered.startswith(f"The text contains {listed}. EST")


# --- properties -------------------------------------------------------------------------------

SHAPES = "0123456789 -+@.:/()ABCabcåä\u00a0–"


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=80), st.text(alphabet=SHAPES, max_size=80)))
def test_any_text_is_checked_without_error(text):
    findings = find_personal_data(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    assert all(a.end <= b.start for a, b in pairwise(findings))


@st.composite
def identity_numbers(draw):
    born = draw(st.dates(date(1901, 1, 1), date(2025, 12, 31)))
    coordination = draw(st.booleans())
    serial = f"{draw(st.integers(0, 999)):03d}"
    day = born.day + 60 if coordination else born.day
    short_date = f"{born:%y%m}{day:02d}"
    last_four = serial + luhn_digit(short_date + serial)
    separators = ["-", "", " - ", " "] + (["+"] if born.year <= 1925 else [])
    if draw(st.booleans()):
        typed = f"{born.year // 100}{short_date}{draw(st.sampled_from(['-', '']))}{last_four}"
    else:
        typed = f"{short_date}{draw(st.sampled_from(separators))}{last_four}"
    return typed, "samordningsnummer" if coordination else "personnummer"


words = st.lists(st.text(st.characters(categories=["L"]), min_size=1, max_size=8), max_size=4)


@given(identity_numbers(), words, words)
def test_a_valid_personal_number_among_words_is_always_found(number, before, after):
    typed, kind = number
    text = " ".join([*before, typed, *after])
    start = len(" ".join(before)) + (1 if before else 0)
    assert Finding(kind, typed, start) in find_personal_data(text)


PLATE_SHAPES = "0123456789 -+@()ABHJXYZabhqvåöIQV\u00a0\u202f–"


@settings(max_examples=1000)
@given(
    st.one_of(
        st.text(max_size=60),
        st.text(alphabet=SHAPES, max_size=60),
        st.text(alphabet=PLATE_SHAPES, max_size=60),
    )
)
def test_the_quick_scan_passes_over_no_text_any_shape_matches(text):
    """The one-scan filter before the four shapes: a text it lets go has no raw match of any
    shape (before the check digits, the vehicle words, the digit counts weed them out)."""
    shapes = (privacy._IDENTITY, privacy._PHONE, privacy._EMAIL, privacy._PLATE)
    if privacy._MAYBE.search(text) is None:
        assert [m[0] for shape in shapes for m in shape.finditer(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "ring +4 6 7 0 1 2 3 4 5",  # no two digits side by side
        "ABC 123",
        "bilen abc-12a",
        "x@y.se",
        "(08) 123 45 67",
        "0046701234567",
        "19811218-9876",
    ],
)
def test_the_quick_scan_lets_every_shape_through(text):
    assert privacy._MAYBE.search(text) is not None
    assert find_personal_data(text) != []
