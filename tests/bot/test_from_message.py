"""A channel message read into a report's draft: what it says about each place it names."""

from bot.demo.workspace import PLACES
from bot.places.matching import PlaceName
from bot.weekly.from_message import MessageDraft, split_by_place

DEMO = tuple(
    PlaceName(i, name, district, aliases)
    for i, (district, name, _kind, aliases) in enumerate(PLACES, start=1)
)
FITTJA, ALBY, TUMBA = 1, 8, 17  # Fittja centrum, Albys hjärta, Tumba station


def test_one_place_named_takes_the_whole_message():
    text = "Lugnt i veckan.\nMen vid Fittja C samlas unga på kvällarna."
    assert split_by_place(text, DEMO) == MessageDraft({FITTJA: text}, "")


def test_several_places_share_the_message_sentence_by_sentence():
    text = (
        "Veckan i korthet. Fittja centrum: lustgas vid tunnelbanan! Många unga.\n"
        "Albys hjärta lugnt. Tumba station och Fittja C: klotter."
    )
    assert split_by_place(text, DEMO) == MessageDraft(
        {
            FITTJA: "Fittja centrum: lustgas vid tunnelbanan! Många unga. "
            "Tumba station och Fittja C: klotter.",
            ALBY: "Albys hjärta lugnt.",
            TUMBA: "Tumba station och Fittja C: klotter.",
        },
        "Veckan i korthet.",
    )


def test_no_place_named_is_all_notes():
    assert split_by_place("  Inga larm i veckan.  ", DEMO) == MessageDraft(
        {}, "Inga larm i veckan."
    )
