from hypothesis import given
from hypothesis import strategies as st

from bot.commands import Sub, fold, parse


def test_empty_text_is_help():
    assert parse("").sub is Sub.HELP
    assert parse("   ").sub is Sub.HELP


def test_swedish_names_and_english_aliases():
    assert parse("hjälp").sub is Sub.HELP
    assert parse("help").sub is Sub.HELP
    assert parse("lägesbild v46").sub is Sub.PICTURE
    assert parse("lägesbild v46").args == "v46"
    assert parse("picture").sub is Sub.PICTURE
    assert parse("settings").sub is Sub.SETTINGS


def test_missing_diacritics_and_case_are_tolerated():
    assert parse("Lagesbild").sub is Sub.PICTURE
    assert parse("INSTALLNINGAR").sub is Sub.SETTINGS
    assert parse("atgard ny").sub is Sub.ACTION


def test_two_word_subcommand_keeps_its_argument():
    command = parse("gå med Polisen lokalpolisområde Botkyrka")
    assert command.sub is Sub.JOIN
    assert command.args == "Polisen lokalpolisområde Botkyrka"
    assert parse("ga med Botkyrkabyggen").args == "Botkyrkabyggen"
    assert parse("join Botkyrkabyggen").sub is Sub.JOIN


def test_unknown_word_suggests_the_nearest():
    command = parse("lägesbil")
    assert command.sub is None
    assert command.suggestion is Sub.PICTURE
    assert parse("hjäp").suggestion is Sub.HELP
    assert parse("xyzzyqq").suggestion is None


def test_fold():
    assert fold("Kårsby IP") == "karsby ip"
    assert fold("Öppen") == "oppen"


@given(st.text(max_size=200))
def test_parse_never_raises(text):
    command = parse(text)
    assert command.sub is not None or command.word
