"""Slack's error codes in the admins' notices are said in words; an unknown one is named."""

from bot.i18n import Translator
from handlers.text import slack_reason


def test_known_codes_are_said_in_swedish() -> None:
    tr = Translator("sv")
    assert slack_reason(tr, "not_in_channel") == "boten är inte med i kanalen"
    assert slack_reason(tr, "account_inactive") == "personen finns inte längre i arbetsytan"


def test_known_codes_are_said_in_english() -> None:
    assert slack_reason(Translator("en"), "is_archived") == "the channel is archived"


def test_an_unknown_code_is_named_as_slacks_and_escaped() -> None:
    text = slack_reason(Translator("sv"), "<!channel>")
    assert text == "Slack svarade ”&lt;!channel&gt;”"
