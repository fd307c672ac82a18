"""The place register: places by district, with aliases; resolving what people type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.actors import Actor
from bot.commands import fold
from bot.errors import Conflict, InvalidInput, NotFound, UnknownName
from bot.i18n import N_
from bot.maps.geo import parse_coordinates
from bot.places.matching import PlaceName, match_place, normalize
from bot.rules import clean_name, require
from storage.db import Database
from storage.models import Place, Role
from storage.repositories import UnitOfWork, snapshot


@dataclass(frozen=True)
class RegisteredPlace:
    id: int
    name: str
    district: str
    kind: str
    aliases: tuple[str, ...]
    active: bool
    latitude: float | None = None  # WGS84, for the map
    longitude: float | None = None

    @classmethod
    def of(cls, row: Place) -> RegisteredPlace:
        assert row.id is not None
        return cls(
            row.id,
            row.name,
            row.district,
            row.kind,
            tuple(row.aliases),
            row.active,
            row.latitude,
            row.longitude,
        )


class UnknownPlace(UnknownName):
    """Nothing (or more than one place) fits; ``places`` are the nearest, for buttons."""

    def __init__(self, text: str, places: Sequence[RegisteredPlace], *, can_add: bool) -> None:
        super().__init__(
            N_("I am not sure which place “{text}” is.", text=text),
            suggestions=[p.name for p in places],
            field="place",
        )
        self.text = text
        self.places = tuple(places)
        self.can_add = can_add


@dataclass(frozen=True)
class PlaceForm:
    name: str
    district: str
    kind: str
    aliases: tuple[str, ...]
    coordinates: str = ""  # typed: "59.2475, 17.8610" (read and checked when saved)


def parse_place_form(text: str) -> PlaceForm:
    """`Fittja centrum; Fittja; centrum; alias Fittja C, Fittja torget; 59.2475, 17.8610`
    (the aliases and the coordinates optional; the coordinates are the part that starts with a
    digit)."""
    parts = [p.strip() for p in text.split(";")]
    coordinates = next((p for p in parts[3:] if p[:1].isdigit() or p[:1] == "-"), "")
    parts = [p for p in parts if p != coordinates or not p]
    if len(parts) < 3 or not all(parts[:3]):
        raise InvalidInput(
            N_(
                "Write: name; district; kind; alias A, B — e.g. "
                "`Fittja centrum; Fittja; centrum; alias Fittja C`."
            )
        )
    aliases: tuple[str, ...] = ()
    if len(parts) > 3 and parts[3]:
        words = parts[3].split(maxsplit=1)
        listed = words[1] if fold(words[0]) in ("alias", "aliases", "alias:") else parts[3]
        aliases = tuple(a.strip() for a in listed.split(",") if a.strip())
    return PlaceForm(parts[0], parts[1], parts[2], aliases, coordinates)


def _names(rows: Sequence[Place]) -> list[PlaceName]:
    return [PlaceName(r.id or 0, r.name, r.district, tuple(r.aliases)) for r in rows]


def resolve(uow: UnitOfWork, actor: Actor, group_id: int, text: str) -> Place:
    """The active place ``text`` means, or UnknownPlace with the nearest three."""
    rows = {r.id: r for r in uow.places.of_group(group_id)}
    found = match_place(text, _names(list(rows.values())))
    if found.place is not None:
        return rows[found.place.id]
    nearest = [RegisteredPlace.of(rows[s.id]) for s in found.suggestions]
    raise UnknownPlace(text, nearest, can_add=actor.is_admin)


@dataclass(frozen=True)
class Area:
    """What a place filter means: one place, or every place of a district (stadsdel)."""

    name: str
    place_ids: tuple[int, ...]
    is_district: bool


def resolve_area(uow: UnitOfWork, actor: Actor, group_id: int, text: str) -> Area:
    """'Fittja' is every place in the district Fittja (archived ones too: their incidents are
    history), unless a place or alias is called exactly that; otherwise as ``resolve``."""
    rows = uow.places.of_group(group_id, active_only=False)
    key = normalize(text)
    named = any(key in {normalize(n) for n in (r.name, *r.aliases)} for r in rows)
    if not named:
        for row in rows:
            part = next((p for p in _districts(row.district) if normalize(p) == key), None)
            if part is not None:
                inside = [
                    r.id
                    for r in rows
                    if r.id is not None and key in map(normalize, _districts(r.district))
                ]
                return Area(part, tuple(inside), is_district=True)
    place = resolve(uow, actor, group_id, text)
    assert place.id is not None
    return Area(place.name, (place.id,), is_district=False)


def _districts(district: str) -> tuple[str, ...]:
    """'Hallunda/Norsborg' is in Hallunda, in Norsborg and in 'Hallunda/Norsborg'."""
    return (district.strip(), *(p.strip() for p in district.split("/") if "/" in district))


class PlaceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def register(
        self, actor: Actor, *, include_archived: bool = False
    ) -> tuple[RegisteredPlace, ...]:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            rows = uow.places.of_group(group.id, active_only=not include_archived)
            return tuple(RegisteredPlace.of(r) for r in rows)

    def resolve(self, actor: Actor, text: str) -> RegisteredPlace:
        group = require(actor, Role.RAPPORTOR)  # a reporter picks places too
        with self.db.unit_of_work(read_only=True) as uow:
            return RegisteredPlace.of(resolve(uow, actor, group.id, text))

    def search(self, actor: Actor, text: str, *, limit: int = 20) -> tuple[RegisteredPlace, ...]:
        """Places for a typeahead: the confident match, else the nearest, else all by name
        (a reporter's too: they pick the place of what they report)."""
        group = require(actor, Role.RAPPORTOR)
        with self.db.unit_of_work(read_only=True) as uow:
            rows = {r.id: r for r in uow.places.of_group(group.id)}
        if not text.strip():
            return tuple(RegisteredPlace.of(r) for r in list(rows.values())[:limit])
        found = match_place(text, _names(list(rows.values())))
        picked = [found.place] if found.place else list(found.suggestions)
        key = fold(text)
        prefixed = [r for r in rows.values() if key in fold(r.name)]
        ids = list(dict.fromkeys([p.id for p in picked] + [r.id for r in prefixed]))
        return tuple(RegisteredPlace.of(rows[i]) for i in ids[:limit] if i in rows)

    def add(self, actor: Actor, form: PlaceForm, *, now: datetime) -> RegisteredPlace:
        group = require(actor, Role.ADMIN)
        name = clean_name(form.name, "name")
        lat, lon = parse_coordinates(form.coordinates) if form.coordinates.strip() else (None, None)
        with self.db.unit_of_work() as uow:
            self._ensure_free(uow, group.id, name)
            row = uow.places.add(
                Place(
                    group_id=group.id,
                    name=name,
                    district=clean_name(form.district, "district"),
                    kind=clean_name(form.kind, "kind"),
                    aliases=[clean_name(a, "aliases") for a in form.aliases],
                    latitude=lat,
                    longitude=lon,
                    created_at=now,
                    updated_at=now,
                )
            )
            _audit(uow, "place.created", row, actor, now, None)
            return RegisteredPlace.of(row)

    def change(
        self,
        actor: Actor,
        place_id: int,
        *,
        name: str | None = None,
        add_aliases: Sequence[str] = (),
        active: bool | None = None,
        now: datetime,
    ) -> RegisteredPlace:
        """Rename, add aliases, archive (active=False) or restore a place."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work() as uow:
            row = place_in(uow, group.id, place_id)
            before = snapshot(row)
            if name is not None and fold(name) != fold(row.name):
                new = clean_name(name, "name")
                self._ensure_free(uow, group.id, new)
                row.aliases = [*row.aliases, row.name]  # the old name still finds it
                row.name = new
            added = [clean_name(a, "aliases") for a in add_aliases]
            row.aliases = list(dict.fromkeys([*row.aliases, *added]))
            if active is not None:
                row.active = active
            row.updated_at = now
            _audit(uow, "place.changed", row, actor, now, before)
            return RegisteredPlace.of(row)

    def locate(
        self, actor: Actor, place_id: int, coordinates: str, *, now: datetime
    ) -> RegisteredPlace:
        """Put a place on the map: `59.2475, 17.8610` (WGS84), refused outside Sweden."""
        group = require(actor, Role.ADMIN)
        lat, lon = parse_coordinates(coordinates)
        with self.db.unit_of_work() as uow:
            row = place_in(uow, group.id, place_id)
            before = snapshot(row)
            row.latitude, row.longitude, row.updated_at = lat, lon, now
            _audit(uow, "place.changed", row, actor, now, before)
            return RegisteredPlace.of(row)

    def merge(self, actor: Actor, source_id: int, target_id: int, *, now: datetime) -> int:
        """Move every incident of ``source`` to ``target``; source becomes an alias. Audited."""
        group = require(actor, Role.ADMIN)
        if source_id == target_id:
            raise InvalidInput(N_("A place cannot be merged into itself."))
        with self.db.unit_of_work() as uow:
            source, target = (
                place_in(uow, group.id, source_id),
                place_in(uow, group.id, target_id),
            )
            before_s, before_t = snapshot(source), snapshot(target)
            moved = uow.incidents.move_place(source_id, target_id)
            target.aliases = list(dict.fromkeys([*target.aliases, source.name, *source.aliases]))
            source.active, source.updated_at, target.updated_at = False, now, now
            _audit(
                uow,
                "place.merged",
                source,
                actor,
                now,
                before_s,
                {"moved": moved, "into": target_id},
            )
            _audit(uow, "place.changed", target, actor, now, before_t)
            return moved

    @staticmethod
    def _ensure_free(uow: UnitOfWork, group_id: int, name: str) -> None:
        taken = {fold(p.name) for p in uow.places.of_group(group_id, active_only=False)}
        if fold(name) in taken:
            raise Conflict(N_("There is already a place called “{name}”.", name=name))


def place_in(uow: UnitOfWork, group_id: int, place_id: int) -> Place:
    """The place ``place_id`` if it belongs to the group; ids from payloads are never trusted."""
    row = uow.places.get(place_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No such place in this group."))
    return row


def _audit(
    uow: UnitOfWork,
    action: str,
    row: Place,
    actor: Actor,
    now: datetime,
    before: dict[str, object] | None,
    extra: dict[str, object] | None = None,
) -> None:
    uow.audit.record_row(action, row, actor=actor.user_id, at=now, before=before, extra=extra)
