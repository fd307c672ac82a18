"""Which column holds what: by header, with Swedish and English synonyms, or as `--map` says."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_


class Field(StrEnum):
    PLACE = "plats"
    CATEGORY = "kategori"
    WHEN = "tid"  # date and time in one cell
    DATE = "datum"
    CLOCK = "klockslag"
    DESCRIPTION = "beskrivning"
    ORGANISATION = "organisation"


SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.PLACE: ("plats", "place", "adress", "address", "location", "plats adress", "platsnamn"),
    Field.CATEGORY: (
        "kategori",
        "brottstyp",
        "category",
        "typ",
        "type",
        "handelsetyp",
        "brott",
        "incident type",
    ),
    Field.WHEN: ("tid", "tidpunkt", "time", "datetime", "datum och tid", "handelsetid", "when"),
    Field.DATE: ("datum", "date", "dag", "day"),
    Field.CLOCK: ("klockslag", "kl", "klocka", "clock"),
    Field.DESCRIPTION: (
        "beskrivning",
        "handelse",
        "description",
        "text",
        "fritext",
        "kommentar",
        "notes",
        "details",
    ),
    Field.ORGANISATION: (
        "organisation",
        "organization",
        "org",
        "aktor",
        "rapporterad av",
        "reported by",
        "reporter",
    ),
}
_FIELD_WORDS = {
    **{fold(f.value): f for f in Field},
    "place": Field.PLACE,
    "category": Field.CATEGORY,
    "when": Field.WHEN,
    "time": Field.WHEN,
    "date": Field.DATE,
    "clock": Field.CLOCK,
    "description": Field.DESCRIPTION,
    "organization": Field.ORGANISATION,
}
_NON_WORD = re.compile(r"[\W_]+")


def header_key(text: object) -> str:
    return " ".join(_NON_WORD.sub(" ", fold(str(text or ""))).split())


@dataclass(frozen=True)
class Mapping:
    """Column index per field, and the headers no field took (ignored, never stored)."""

    columns: dict[Field, int]
    headers: tuple[str, ...]
    ignored: tuple[str, ...]

    def header_of(self, field: Field) -> str:
        return self.headers[self.columns[field]]


def parse_map(text: str) -> dict[str, Field]:
    """`--map "Brottskod=kategori,Adress=plats"`: header (as written) → field."""
    chosen: dict[str, Field] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        column, _eq, word = part.partition("=")
        field = _FIELD_WORDS.get(fold(word.strip()))
        if not column.strip() or field is None:
            raise InvalidInput(
                N_(
                    "--map: “{part}” is not column=field. The fields: {fields}.",
                    part=part,
                    fields=", ".join(f.value for f in Field),
                )
            )
        chosen[header_key(column)] = field
    return chosen


def map_columns(headers: Sequence[object], chosen: dict[str, Field] | None = None) -> Mapping:
    """Each field's column: `--map` first, then the synonyms; place, category and a time are
    needed, or nothing is read."""
    names = tuple(str(h or "").strip() for h in headers)
    keys = [header_key(h) for h in names]
    columns: dict[Field, int] = {}
    for key, field in (chosen or {}).items():
        if key not in keys:
            raise InvalidInput(
                N_(
                    "--map names the column “{column}”, which the file does not have. Its "
                    "columns: {columns}.",
                    column=key,
                    columns=", ".join(n for n in names if n),
                )
            )
        columns[field] = keys.index(key)
    for field, words in SYNONYMS.items():
        if field in columns:
            continue
        taken = set(columns.values())
        hit = next((i for i, k in enumerate(keys) if k in words and i not in taken), None)
        if hit is not None:
            columns[field] = hit
    _require(columns, names)
    used = set(columns.values())
    ignored = tuple(n for i, n in enumerate(names) if n and i not in used)
    return Mapping(columns, names, ignored)


def _require(columns: dict[Field, int], names: Sequence[str]) -> None:
    missing = [f for f in (Field.PLACE, Field.CATEGORY) if f not in columns]
    if Field.WHEN not in columns and Field.DATE not in columns:
        missing.append(Field.WHEN)
    if missing:
        raise InvalidInput(
            N_(
                "I found no column for {missing} in the first row ({columns}). Name the "
                "columns e.g. plats, kategori, tid, beskrivning — or say which is which: "
                '--map "Adress=plats,Brottstyp=kategori".',
                missing=", ".join(f.value for f in missing),
                columns=", ".join(f"”{n}”" for n in names if n) or "-",
            )
        )
