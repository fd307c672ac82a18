"""Incident categories: the default list (domain.md §3), per group; admins add, rename, retire."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

from bot.actors import Actor
from bot.commands import fold
from bot.errors import Conflict, InvalidInput, NotFound, UnknownName
from bot.i18n import N_
from bot.incidents import meanings
from bot.rules import clean_name, require
from storage.db import Database
from storage.models import Category, Role
from storage.repositories import UnitOfWork, snapshot

# key, Swedish label, English label, what people also type
# fmt: off
DEFAULTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("narkotikaforsaljning", "Öppen narkotikaförsäljning", "Open drug dealing",
     ("knarkförsäljning", "langning", "narkotikaförsäljning")),
    ("narkotikahantering", "Narkotikahantering", "Drug handling", ("narkotikabrott",)),
    ("lustgas", "Lustgas", "Laughing gas", ("lustgaspatroner",)),
    ("rekrytering", "Rekrytering av barn och unga", "Recruitment of children and young people",
     ("rekrytering av barn", "rekrytering av unga")),
    ("skottlossning", "Skottlossning", "Shooting", ("skott", "skjutning")),
    ("sprangning", "Sprängning", "Explosion", ("explosion", "detonation")),
    ("vald", "Grovt våld / gatuvåld", "Serious violence / street violence",
     ("våld", "gatuvåld", "misshandel", "grovt våld")),
    ("konflikt", "Konflikt i offentlig miljö", "Conflict in public space", ("bråk", "slagsmål")),
    ("brand", "Brand", "Fire", ("soptunnebrand", "bilbrand", "anlagd brand")),
    ("fyrverkerier", "Fyrverkerier", "Fireworks", ("smällare", "raketer")),
    ("skadegorelse", "Skadegörelse", "Vandalism", ("vandalisering",)),
    ("klotter", "Klotter", "Graffiti", ("graffiti", "tags")),
    ("nedskrapning", "Nedskräpning", "Littering", ("skräp",)),
    ("buskorning", "Buskörning", "Reckless driving", ("mopedbuskörning", "buskörning moped")),
    ("ordningsstorning", "Ordningsstörning", "Public disorder", ("störning", "stök")),
    ("hot", "Hot", "Threats", ("hot och trakasserier", "trakasserier")),
    ("inbrott", "Inbrott", "Burglary", ()),
    ("ran", "Rån", "Robbery", ()),
    ("stold", "Stöld", "Theft", ("snatteri",)),
    ("otrygghet", "Otrygghet", "Perceived insecurity", ("upplevd otrygghet", "otryggt")),
    ("ovrigt", "Övrigt", "Other", ("annat",)),
)
# fmt: on


@dataclass(frozen=True)
class IncidentCategory:
    id: int
    key: str
    label_sv: str
    label_en: str
    aliases: tuple[str, ...]
    active: bool

    @classmethod
    def of(cls, row: Category) -> IncidentCategory:
        assert row.id is not None
        return cls(row.id, row.key, row.label_sv, row.label_en, tuple(row.aliases), row.active)

    def label(self, language: str | None) -> str:
        return self.label_en if language == "en" else self.label_sv


def seed_defaults(uow: UnitOfWork, group_id: int, *, actor: str, now: datetime) -> None:
    """Give a group the default categories (idempotent)."""
    existing = {c.key for c in uow.categories.of_group(group_id, active_only=False)}
    for key, sv, en, aliases in DEFAULTS:
        if key not in existing:
            row = uow.categories.add(
                Category(
                    group_id=group_id,
                    key=key,
                    label_sv=sv,
                    label_en=en,
                    aliases=list(aliases),
                    created_at=now,
                    updated_at=now,
                )
            )
            uow.audit.record_row("category.created", row, actor=actor, at=now)


class CategoryChoice(UnknownName):
    """Which category? ``choices`` are the ones the word may mean, nearest first, for buttons:
    the word means two or more (``ambiguous``), or none, and these are near it."""

    def __init__(self, text: str, choices: Sequence[IncidentCategory], *, ambiguous: bool) -> None:
        message = (
            N_("“{text}” can mean more than one category. Which one?", text=text)
            if ambiguous
            else N_("No category called “{text}”.", text=text)
        )
        super().__init__(message, suggestions=[c.label_sv for c in choices], field="category")
        self.text = text
        self.choices = tuple(choices)
        self.ambiguous = ambiguous


def match_category(
    text: str, categories: Sequence[IncidentCategory], *, include_retired: bool = False
) -> IncidentCategory:
    """The active category a person meant; CategoryChoice with choices when unsure.

    ``#12`` picks category 12 directly (a choice from a list, not typed text). A name or an
    alias is chosen; a word that may mean two categories is asked about (bot.incidents.meanings),
    even when it is an alias; an unknown word gets the categories it means first, then the
    nearest by spelling.
    """
    active = [c for c in categories if c.active or include_retired]
    if text.startswith("#") and text[1:].isdigit():
        chosen = next((c for c in active if c.id == int(text[1:])), None)
        if chosen is None:
            raise NotFound(N_("That category is not in use any more."))
        return chosen
    key = fold(" ".join(text.split()))
    by_key = {c.key: c for c in active}
    for category in active:
        if key in (fold(category.key), fold(category.label_sv), fold(category.label_en)):
            return category
    if both := meanings.ambiguous(text, list(by_key)):
        raise CategoryChoice(text, [by_key[k] for k in both], ambiguous=True)
    names: dict[str, IncidentCategory] = {}
    for category in active:
        for name in (category.key, category.label_sv, category.label_en, *category.aliases):
            names.setdefault(fold(name), category)
    if key in names:
        return names[key]
    by_meaning = [by_key[k] for k in meanings.meant(text) if k in by_key]
    found = process.extract(key, list(names), scorer=fuzz.WRatio, limit=6, score_cutoff=60)
    ranked = list(dict.fromkeys([*by_meaning, *(names[name] for name, _s, _i in found)]))
    if not by_meaning and found and found[0][1] >= 90:
        runner_up = next((s for n, s, _i in found if names[n] != ranked[0]), 0.0)
        if found[0][1] - runner_up >= 8:
            return ranked[0]
    raise CategoryChoice(text, ranked[:3], ambiguous=False)


class CategoryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def of_group(
        self, actor: Actor, *, include_retired: bool = False
    ) -> tuple[IncidentCategory, ...]:
        group = require(actor, Role.RAPPORTOR)  # a reporter chooses one for what they report
        with self.db.unit_of_work(read_only=True) as uow:
            rows = uow.categories.of_group(group.id, active_only=not include_retired)
            return tuple(IncidentCategory.of(r) for r in rows)

    def add(
        self, actor: Actor, *, label_sv: str, label_en: str = "", now: datetime
    ) -> IncidentCategory:
        group = require(actor, Role.ADMIN)
        label = clean_name(label_sv, "label")
        key = fold(label).replace(" ", "_")[:64]
        with self.db.unit_of_work() as uow:
            if any(c.key == key for c in uow.categories.of_group(group.id, active_only=False)):
                raise Conflict(N_("The category “{label}” already exists.", label=label))
            row = uow.categories.add(
                Category(
                    group_id=group.id,
                    key=key,
                    label_sv=label,
                    label_en=label_en.strip() or label,
                    aliases=[],
                    created_at=now,
                    updated_at=now,
                )
            )
            uow.audit.record_row("category.created", row, actor=actor.user_id, at=now)
            return IncidentCategory.of(row)

    def change(
        self,
        actor: Actor,
        category_id: int,
        *,
        label_sv: str | None = None,
        active: bool | None = None,
        now: datetime,
    ) -> IncidentCategory:
        """Rename or retire (active=False) a category; its old incidents keep it."""
        group = require(actor, Role.ADMIN)
        with self.db.unit_of_work() as uow:
            row = uow.categories.get(category_id)
            if row is None or row.group_id != group.id:
                raise NotFound(N_("No such category in this group."))
            before = snapshot(row)
            if label_sv is not None:
                row.label_sv = clean_name(label_sv, "label")
            if active is not None:
                row.active = active
            row.updated_at = now
            uow.audit.record_row(
                "category.changed", row, actor=actor.user_id, at=now, before=before
            )
            if not any(c.active for c in uow.categories.of_group(group.id, active_only=False)):
                raise InvalidInput(N_("A group needs at least one active category."))
            return IncidentCategory.of(row)
