"""Reading whole numbers back from a submitted modal: one parser for every form."""

import pytest

from bot.errors import InvalidInput
from handlers.forms import whole_number


def view(raw: str) -> dict:
    return {"state": {"values": {"count": {"count": {"type": "plain_text_input", "value": raw}}}}}


@pytest.mark.parametrize(
    ("raw", "expected"), [("12", 12), (" 1 200 ", 1200), ("007", 7), ("", None)]
)
def test_a_whole_number_from_0_up_spaces_allowed_none_when_empty(raw, expected):
    assert whole_number(view(raw), "count", "count") == expected


@pytest.mark.parametrize("raw", ["-3", "1.5", "abc", "--5", "²"])
def test_anything_else_is_an_error_under_its_field(raw):
    with pytest.raises(InvalidInput) as caught:
        whole_number(view(raw), "count", "count")
    assert caught.value.field == "count"
    assert caught.value.message.msgid == "Write a whole number from 0 up."


def test_negative_numbers_where_allowed_and_a_required_field_must_be_filled():
    assert whole_number(view("-3"), "count", "count", negative=True, required=True) == -3
    for raw in ("", "--5", "3-"):
        with pytest.raises(InvalidInput) as caught:
            whole_number(view(raw), "count", "count", negative=True, required=True)
        assert caught.value.message.msgid == "Write a whole number."
