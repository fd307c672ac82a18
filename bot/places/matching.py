"""Finding a place from what a person types ("fittja c", "Karsby ip", "halunda centrum").

Tolerant of case, diacritics, punctuation and typos, but never guesses: a place is returned only
when the input clearly means exactly one of them (see ``PlaceIndex.match``); otherwise the nearest
places come back as suggestions for the user to pick from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from bot.commands import fold

MIN_SCORE = 80.0  # a fuzzy match needs at least this score (0–100) …
MIN_MARGIN = 10.0  # … and this lead over the best *other* place
WORD_COVER = 0.75  # … and each typed word must be >= 75 % spelled inside one word of that place
SUGGEST_SCORE = 50.0  # places scoring below this are not worth suggesting
MAX_SUGGESTIONS = 3
MAX_INPUT = 200  # place names are short; longer text is cut before scoring
_SCORERS = (fuzz.ratio, fuzz.token_sort_ratio)  # whole string, and word order ignored
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class PlaceName:
    id: int
    name: str
    district: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    place: PlaceName | None  # set only when the input clearly means exactly one place
    suggestions: tuple[PlaceName, ...]  # nearest places, best first, at most 3; empty with place
    exact: bool  # the input equals a name or alias after normalize()


def normalize(text: str) -> str:
    """fold() plus punctuation as spaces: 'Folkets hus-parken' → 'folkets hus parken'."""
    return _normalize(text[:MAX_INPUT])


@lru_cache(maxsize=4096)  # place names and districts repeat across PlaceIndex builds
def _normalize(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


class PlaceIndex:
    """Normalized names, aliases and districts of one group's places, built once per place list."""

    def __init__(self, places: Sequence[PlaceName]) -> None:
        self.places = tuple(places)
        self._names: dict[str, list[int]] = {}
        self._aliases: dict[str, list[int]] = {}
        self._districts: dict[str, set[int]] = {}  # 'hallunda', 'norsborg', 'hallunda norsborg'
        self._words: list[set[str]] = [set() for _ in self.places]  # words of a place's keys
        keys: dict[tuple[str, int], None] = {}  # insertion-ordered set of (key, place index)
        for i, place in enumerate(self.places):
            for table, texts in ((self._names, (place.name,)), (self._aliases, place.aliases)):
                for text in texts:
                    key = normalize(text)
                    if key and i not in table.setdefault(key, []):
                        table[key].append(i)
                        keys[key, i] = None
                        self._words[i].update(key.split())
            for part in (place.district, *place.district.split("/")):
                if district := normalize(part):
                    self._districts.setdefault(district, set()).add(i)
        self._keys = [key for key, _ in keys]
        self._owners = [i for _, i in keys]

    def match(self, text: str) -> Match:
        """Exact name, else exact alias, else a confident fuzzy match; otherwise suggestions.

        Fuzzy is confident when the best place scores >= MIN_SCORE, leads the runner-up place by
        >= MIN_MARGIN, every typed word is (nearly) spelled inside a word of that place ('stn' in
        'station' yes; 'ica' in 'Hallunda C' no), and the input does not look at least as much like
        a district ("Fittja", "Halunda") as like that place: a district has many places.
        """
        query = normalize(text)
        if not query:
            return Match(None, (), exact=False)
        for table in (self._names, self._aliases):
            if hits := table.get(query):
                if len(hits) == 1:
                    return Match(self.places[hits[0]], (), exact=True)
                return Match(None, self._pick(hits), exact=True)
        scores = self._scores(query)
        ranked = sorted(scores, key=lambda i: (-scores[i], i))
        district = process.extractOne(
            query, list(self._districts), scorer=fuzz.ratio, score_cutoff=MIN_SCORE
        )
        if district is not None and (not ranked or district[1] >= scores[ranked[0]]):
            inside = self._districts[district[0]]
            ranked = sorted(inside, key=lambda i: (-scores.get(i, 0.0), i)) + [
                i for i in ranked if i not in inside
            ]
            return Match(None, self._pick(ranked), exact=False)
        if ranked and scores[ranked[0]] >= MIN_SCORE:
            runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
            if scores[ranked[0]] - runner_up >= MIN_MARGIN and self._covers(query, ranked[0]):
                return Match(self.places[ranked[0]], (), exact=False)
        return Match(None, self._pick(ranked), exact=False)

    def mentioned(self, text: str) -> tuple[PlaceName, ...]:
        """The places whose name or alias ``text`` names, as whole words (case, diacritics and
        punctuation aside: "KARSBY IP" names Kårsby IP), in the order they first appear; a
        name within a longer one named at the same words counts only as the longer one
        ("Hallunda" in "Hallunda centrum"). Districts are not places: "Fittja" names none."""
        words = " ".join(_NON_WORD.sub(" ", fold(text)).split()).split()
        starting: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for key, owner in zip(self._keys, self._owners, strict=True):
            parts = tuple(key.split())
            starting.setdefault(parts[0], []).append((parts, owner))
        hits = [
            (start, start + len(parts), owner)
            for start, word in enumerate(words)
            for parts, owner in starting.get(word, ())
            if tuple(words[start : start + len(parts)]) == parts
        ]
        taken: list[tuple[int, int, int]] = []
        for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):  # the longest first
            if all(hit[1] <= s or hit[0] >= e for s, e, _o in taken):
                taken.append(hit)
        order = dict.fromkeys(owner for _s, _e, owner in sorted(taken))
        return tuple(self.places[i] for i in order)

    def _scores(self, query: str) -> dict[int, float]:
        """Best score per place index over all its keys and both scorers (>= SUGGEST_SCORE)."""
        best: dict[int, float] = {}
        for scorer in _SCORERS:
            hits = process.extract(
                query, self._keys, scorer=scorer, limit=None, score_cutoff=SUGGEST_SCORE
            )
            for _key, score, k in hits:
                owner = self._owners[k]
                best[owner] = max(best.get(owner, 0.0), score)
        return best

    def _covers(self, query: str, i: int) -> bool:
        words = self._words[i]
        return all(
            max((LCSseq.similarity(typed, word) for word in words), default=0)
            >= WORD_COVER * len(typed)
            for typed in query.split()
        )

    def _pick(self, ranked: Sequence[int]) -> tuple[PlaceName, ...]:
        return tuple(self.places[i] for i in ranked[:MAX_SUGGESTIONS])


def match_place(text: str, places: Sequence[PlaceName]) -> Match:
    """Match against a group's places; the index for an unchanged place list is reused."""
    return _index(tuple(places)).match(text)


def mentioned_places(text: str, places: Sequence[PlaceName]) -> tuple[PlaceName, ...]:
    """The group's places that ``text`` (a message, any length) names; see ``mentioned``."""
    return _index(tuple(places)).mentioned(text)


@lru_cache(maxsize=32)  # a few groups' place lists; PlaceName is frozen, so hashable
def _index(places: tuple[PlaceName, ...]) -> PlaceIndex:
    return PlaceIndex(places)
