"""A message someone wrote in the channel, read into a situation report's draft: what it says
about each place it names goes into that place's observations (message shortcut "Spara som
lägesrapport"). Nothing is saved here: the person checks the form, and saving applies the same
rules as always (the personal-data guard among them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.places.matching import PlaceName, mentioned_places

# a sentence ends at . ! ? followed by space, or at a line break
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class MessageDraft:
    """Per place id the message's text about it; ``rest``: what names no place (the notes)."""

    observations: dict[int, str] = field(default_factory=dict)
    rest: str = ""


def split_by_place(text: str, places: Sequence[PlaceName]) -> MessageDraft:
    """One place named: the whole message is about it. Several: each sentence goes to the
    places it names, and a sentence naming none to the place the one before it was about
    ("Fittja centrum: lugnt. Många vuxna i rörelse." is all Fittja); what comes before the
    first place named is the notes. No place named: all of it is the notes."""
    text = text.strip()
    named = mentioned_places(text, places)
    if len(named) <= 1:
        return MessageDraft({named[0].id: text} if named else {}, "" if named else text)
    about: dict[int, list[str]] = {p.id: [] for p in named}
    rest: list[str] = []
    last: tuple[int, ...] = ()
    for sentence in (s.strip() for s in _SENTENCE.split(text)):
        if not sentence:
            continue
        here = tuple(p.id for p in mentioned_places(sentence, named)) or last
        for place_id in here:
            about[place_id].append(sentence)
        if not here:
            rest.append(sentence)
        last = here
    return MessageDraft({pid: " ".join(s) for pid, s in about.items() if s}, " ".join(rest))
