"""One spreadsheet row understood as an incident, or refused with the reason: the same place
matching, time reading, category matching, personal-data guard and recording window as an
incident typed in Slack. What many rows share (a place's name, a time text) is worked out once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.commands import fold
from bot.errors import BotError, InvalidInput, UnknownName
from bot.i18n import N_, LazyText
from bot.incidents.categories import IncidentCategory, match_category
from bot.incidents.imports.columns import Field, Mapping
from bot.incidents.imports.reading import FORMULA_MISSING
from bot.incidents.service import MAX_DESCRIPTION
from bot.places.matching import PlaceIndex, PlaceName
from bot.privacy import describe, find_personal_data
from bot.recording import Kind, Window, check_time
from bot.timeparse import read_when

FIELDS = tuple(Field)  # the fingerprint's order (iterating an enum each row is slow)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?)?")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A row that passed every check: only the write is left."""

    row: int
    place_id: int
    category_id: int
    organisation_id: int
    occurred_at: datetime
    description: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Refusal:
    row: int
    reason: LazyText
    kind: str  # "place", "category", "time", "personal", "organisation", "cell", "text"
    text: str = ""  # what the cell said, for the summaries of unknown places and categories
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Register:
    """The group's places, categories and organisations, and the time rules, read once."""

    places: Sequence[PlaceName]
    categories: Sequence[IncidentCategory]
    organisations: dict[str, int]  # folded name → id
    default_organisation: int | None
    tz: ZoneInfo
    window: Window
    now: datetime
    organisation_names: tuple[str, ...] = ()


class RowReader:
    def __init__(self, register: Register, mapping: Mapping) -> None:
        self.register, self.mapping = register, mapping
        self.index = PlaceIndex(register.places)
        self._columns = tuple(mapping.columns.items())  # (field, index), in the mapping's order
        self._places: dict[str, int | Refusal] = {}
        self._categories: dict[str, int | Refusal] = {}
        self._times: dict[str, datetime | LazyText] = {}
        self._organisations: dict[str, int] = {}
        self._clean: dict[str, str] = {}  # cells found free of personal data → their text
        self._start, self._end = register.window.start, register.window.end  # window.allows

    def read(self, number: int, cells: Sequence[object]) -> Candidate | Refusal:
        values: dict[Field, object] = dict.fromkeys(FIELDS)  # None where no column says
        texts: dict[Field, str] = dict.fromkeys(FIELDS, "")  # in FIELDS' order: the key's
        width, clean = len(cells), self._clean
        for field, i in self._columns:  # field by field, in order: the first refusal wins
            value = cells[i] if i < width else None
            if isinstance(value, str):
                if (text := clean.get(value)) is None:
                    if found := find_personal_data(value):
                        header = self.mapping.header_of(field)
                        return Refusal(number, _personal(header, describe(found)), "personal")
                    text = " ".join(value.split())  # as _text says it
                    if field is not Field.DESCRIPTION and len(clean) < 50_000:
                        clean[value] = text  # places, categories, times: the same texts again
                texts[field] = text
            elif value is FORMULA_MISSING:
                return Refusal(number, _formula(self.mapping.header_of(field)), "cell")
            else:
                texts[field] = _text(value)
            values[field] = value
        place = self._place(number, texts[Field.PLACE])
        if isinstance(place, Refusal):
            return place
        category = self._category(number, texts[Field.CATEGORY])
        if isinstance(category, Refusal):
            return category
        organisation = self._organisation(number, texts[Field.ORGANISATION])
        if isinstance(organisation, Refusal):
            return organisation
        at = self._when(values, texts)
        if not isinstance(at, datetime):
            return Refusal(number, at, "time")
        description = texts[Field.DESCRIPTION]  # its spaces already collapsed
        if len(description) > MAX_DESCRIPTION:
            return Refusal(number, _too_long(len(description)), "text")
        key = "\x1f".join(texts.values())  # every field's text, in FIELDS' order
        digest = hashlib.sha256(key.encode()).hexdigest()
        return Candidate(number, place, category, organisation, at, description, digest)

    def _place(self, number: int, text: str) -> int | Refusal:
        if (known := self._places.get(text)) is None:
            found = self.index.match(text) if text else None
            if found is not None and found.place is not None:
                known = found.place.id
            else:
                names = tuple(p.name for p in found.suggestions) if found else ()
                known = Refusal(0, _unknown_place(text), "place", text, names)
            self._places[text] = known
        return known if isinstance(known, int) else _at_row(known, number)

    def _category(self, number: int, text: str) -> int | Refusal:
        if (known := self._categories.get(text)) is None:
            try:
                known = match_category(text, self.register.categories).id
            except UnknownName as error:
                known = Refusal(0, error.message, "category", text, error.suggestions)
            except BotError as error:
                known = Refusal(0, error.message, "category", text)
            self._categories[text] = known
        return known if isinstance(known, int) else _at_row(known, number)

    def _organisation(self, number: int, text: str) -> int | Refusal:
        if not text and self.register.default_organisation is not None:
            return self.register.default_organisation
        if (found := self._organisations.get(text)) is None:
            found = self.register.organisations.get(fold(text))
            if found is not None:
                self._organisations[text] = found
        if found is not None:
            return found
        return Refusal(number, _unknown_organisation(text), "organisation", text)

    def _when(self, values: dict[Field, object], texts: dict[Field, str]) -> datetime | LazyText:
        whole, day, clock = values[Field.WHEN], values[Field.DATE], values[Field.CLOCK]
        tz = self.register.tz
        if isinstance(whole, datetime):
            return self._allowed(_local(whole, tz), texts[Field.WHEN])
        if whole in (None, "") and isinstance(day, datetime | date):
            moment = _combine(day, clock)
            if moment is not None:
                return self._allowed(moment.replace(tzinfo=tz), f"{day} {clock or ''}")
        typed = texts[Field.WHEN]
        if not typed:  # the date and the clock, either alone, or both with a space between
            on, at = texts[Field.DATE], texts[Field.CLOCK]
            typed = f"{on} {at}" if on and at else on or at
        if not typed:
            return N_("no time given")
        if (known := self._times.get(typed)) is None:
            known = self._read(typed)
            self._times[typed] = known
        return known

    def _read(self, typed: str) -> datetime | LazyText:
        moment = _iso(typed, self.register.tz)
        if moment is not None and self._start <= moment <= self._end:  # check_time's test
            return moment.astimezone(UTC)
        try:
            if moment is None:
                moment = read_when(typed, now=self.register.now, tz=self.register.tz)
            return check_time(moment, self.register.window, Kind.INCIDENT, typed=typed).astimezone(
                UTC
            )
        except InvalidInput as error:
            return error.message

    def _allowed(self, moment: datetime, typed: str) -> datetime | LazyText:
        if self._start <= moment <= self._end:  # check_time's test
            return moment.astimezone(UTC)
        try:
            allowed = check_time(moment, self.register.window, Kind.INCIDENT, typed=typed.strip())
            return allowed.astimezone(UTC)
        except InvalidInput as error:
            return error.message


def _text(value: object) -> str:
    if value is None or value is FORMULA_MISSING:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def _combine(day: datetime | date, clock: object) -> datetime | None:
    base = day.date() if isinstance(day, datetime) else day
    if isinstance(clock, time):
        return datetime.combine(base, clock)
    if isinstance(clock, datetime):
        return datetime.combine(base, clock.time())
    if clock in (None, "") and isinstance(day, datetime):
        return day
    return None


def _iso(text: str, tz: ZoneInfo) -> datetime | None:
    """The common export form, read without the general parser: 2026-11-20 21:30."""
    match = _ISO.fullmatch(text.strip())
    if not match or match[4] is None:
        return None
    try:
        year, month, day, hour, minute = map(int, match.groups())
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        return None


def _at_row(refusal: Refusal, number: int) -> Refusal:
    return Refusal(number, refusal.reason, refusal.kind, refusal.text, refusal.suggestions)


def _formula(header: str) -> LazyText:
    return N_(
        "the column “{column}” holds a formula saved without its value; open the file in "
        "Excel, save it, and import it again",
        column=header,
    )


def _personal(header: str, found: LazyText) -> LazyText:
    return N_("the column “{column}” contains {found}; not imported", column=header, found=found)


def _unknown_place(text: str) -> LazyText:
    if not text:
        return N_("no place given")
    return N_("unknown place “{text}”", text=text)


def _unknown_organisation(text: str) -> LazyText:
    if not text:
        return N_("no organisation given (add a column or --organisation)")
    return N_("unknown organisation “{text}”", text=text)


def _too_long(n: int) -> LazyText:
    return N_(
        "the description is too long ({n} characters; at most {max})", n=n, max=MAX_DESCRIPTION
    )
