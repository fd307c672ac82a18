"""`python app.py import händelser FIL --group NAMN` and an admin's file in the bot's DM.

The file is read and every row understood first (nothing is written while reading, so a file
that cannot be read stores nothing). The rows that passed are then written in batches of
``BATCH``, each batch one transaction with its incidents, their first versions and one audit
event that names the batch (how many rows, the ids, a SHA-256 over the rows' fingerprints, the
file's SHA-256 and the source label). Each row's fingerprint is unique per group, so a rerun
after an interruption, or the same file imported again, adds only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.actors import Actor, EstGroup
from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.incidents.categories import IncidentCategory, seed_defaults
from bot.incidents.imports.columns import Field, Mapping, map_columns, parse_map
from bot.incidents.imports.reading import MAX_ROWS, Sheet, open_sheet
from bot.incidents.imports.records import digest_of, file_digest, first_version, incident_row
from bot.incidents.imports.report import ImportReport
from bot.incidents.imports.rows import Candidate, Refusal, Register, RowReader
from bot.places.matching import PlaceName
from bot.recording import window
from bot.rules import require
from storage.db import Database
from storage.errors import Conflict
from storage.models import Role

BATCH = 20_000
CLI_ACTOR = "cli:import"  # the audit log's actor for an import from the command line
Progress = Callable[[int], object]  # told how many more rows were read (or written)


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    name: str = ""  # the file's own name (an upload is saved under another)
    source: str = ""  # the label every imported incident carries; default: the file's name
    columns: str = ""  # `--map`: "Adress=plats,Brottstyp=kategori"
    organisation: str = ""  # for rows without an organisation of their own


@dataclass
class _Pass:
    sheet: Sheet
    mapping: Mapping
    candidates: list[Candidate]
    refused: list[Refusal]
    duplicates: int
    empty: int
    read: int


class ImportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def import_as(
        self, actor: Actor, request: ImportRequest, *, dry_run: bool, now: datetime
    ) -> ImportReport:
        """From Slack (a file in the bot's DM): administrators only, into their own group; rows
        without an organisation are their organisation's."""
        group = require(actor, Role.ADMIN)
        assert actor.member is not None
        own = request.organisation or actor.member.organisation.name
        request = replace(request, organisation=own)
        return self.run(group, request, by=actor.user_id, dry_run=dry_run, now=now)

    def import_file(
        self,
        group_name: str,
        request: ImportRequest,
        *,
        dry_run: bool,
        now: datetime,
        progress: Progress | None = None,
    ) -> ImportReport:
        """From the command line (the operator's shell is trusted): the group by its name."""
        from bot.trust.registrar import find_group

        group = EstGroup.of(find_group(self.db, group_name))
        return self.run(group, request, by=CLI_ACTOR, dry_run=dry_run, now=now, progress=progress)

    def run(
        self,
        group: EstGroup,
        request: ImportRequest,
        *,
        by: str,
        dry_run: bool,
        now: datetime,
        progress: Progress | None = None,
    ) -> ImportReport:
        tell = progress or (lambda _n: None)
        source = (request.source or request.name or request.path.name).strip()[:100]
        read = self._read(group, request, now=now, by=by, progress=tell)
        imported, batches = len(read.candidates), 0
        if not dry_run and read.candidates:
            digest, imported = file_digest(request.path), 0
            for start in range(0, len(read.candidates), BATCH):
                chunk = read.candidates[start : start + BATCH]
                added = self._write(group, chunk, source=source, digest=digest, by=by, now=now)
                imported += added
                read.duplicates += len(chunk) - added  # another import got there first
                batches += 1
        return ImportReport(
            file=request.name or request.path.name,
            source=source,
            dry_run=dry_run,
            read=read.read,
            imported=imported,
            duplicates=read.duplicates,
            empty=read.empty,
            refused=tuple(read.refused),
            columns=tuple((f.value, read.mapping.header_of(f)) for f in read.mapping.columns),
            ignored=read.mapping.ignored,
            kind=read.sheet.kind,
            encoding=read.sheet.encoding,
            delimiter=read.sheet.delimiter,
            merged=tuple(read.sheet.merged),
            batches=batches,
        )

    def _read(
        self,
        group: EstGroup,
        request: ImportRequest,
        *,
        now: datetime,
        by: str,
        progress: Progress,
    ) -> _Pass:
        """Every row understood, and the ones the group already holds set aside."""
        sheet = open_sheet(request.path, request.name)
        chosen = parse_map(request.columns) if request.columns.strip() else None
        empty, header = _header(sheet)
        mapping = map_columns(header, chosen)
        register = self._register(group, request, now=now, by=by)
        if Field.ORGANISATION not in mapping.columns and register.default_organisation is None:
            raise InvalidInput(
                N_(
                    "The file has no organisation column: say who reported the rows with "
                    "--organisation, one of {names}.",
                    names=", ".join(f"”{n}”" for n in register.organisation_names),
                )
            )
        reader = RowReader(register, mapping)
        candidates: list[Candidate] = []
        refused: list[Refusal] = []
        seen: set[str] = set()
        duplicates = read = 0
        for number, cells in sheet.rows:
            if _blank(cells):
                empty += 1
                continue
            read += 1
            if read > MAX_ROWS:
                raise _too_many()
            if read % 1000 == 0:
                progress(1000)
            result = reader.read(number, cells)
            if isinstance(result, Refusal):
                refused.append(result)
            elif result.fingerprint in seen:
                duplicates += 1
            else:
                seen.add(result.fingerprint)
                candidates.append(result)
        progress(read % 1000)
        with self.db.unit_of_work(read_only=True) as uow:
            known = uow.imports.known(group.id, [c.fingerprint for c in candidates])
        fresh = [c for c in candidates if c.fingerprint not in known]
        duplicates += len(candidates) - len(fresh)
        return _Pass(sheet, mapping, fresh, refused, duplicates, empty, read)

    def _register(
        self, group: EstGroup, request: ImportRequest, *, now: datetime, by: str
    ) -> Register:
        with self.db.unit_of_work() as uow:
            if not uow.categories.of_group(group.id):  # a group made before categories
                seed_defaults(uow, group.id, actor=by, now=now)
            categories = [IncidentCategory.of(r) for r in uow.categories.of_group(group.id)]
            places = [
                PlaceName(r.id or 0, r.name, r.district, tuple(r.aliases))
                for r in uow.places.of_group(group.id)
            ]
            rows = uow.organisations.of_group(group.id)
            organisations = {fold(o.name): o.id or 0 for o in rows}
            names = tuple(o.name for o in rows)
        fallback = None
        if request.organisation.strip():
            fallback = organisations.get(fold(request.organisation.strip()))
            if fallback is None:
                raise InvalidInput(
                    N_(
                        "The group has no organisation called “{name}”. Its organisations: "
                        "{names}.",
                        name=request.organisation,
                        names=", ".join(names),
                    )
                )
        tz = ZoneInfo(group.timezone)
        win = window(now, tz, group.started_on)
        return Register(places, categories, organisations, fallback, tz, win, now, names)

    def _write(
        self,
        group: EstGroup,
        chunk: Sequence[Candidate],
        *,
        source: str,
        digest: str,
        by: str,
        now: datetime,
    ) -> int:
        """One batch in one transaction, with one audit event for it. The rows were checked
        against the group when the file was read; if another import stored some of them since,
        the unique fingerprint refuses the batch and it is written again without those."""
        try:
            return self._insert(group, chunk, set(), source=source, digest=digest, by=by, now=now)
        except Conflict:
            with self.db.unit_of_work(read_only=True) as uow:
                known = uow.imports.known(group.id, [c.fingerprint for c in chunk])
            return self._insert(group, chunk, known, source=source, digest=digest, by=by, now=now)

    def _insert(
        self,
        group: EstGroup,
        chunk: Sequence[Candidate],
        known: set[str],
        *,
        source: str,
        digest: str,
        by: str,
        now: datetime,
    ) -> int:
        rows = [
            incident_row(group.id, c, source, by, now) for c in chunk if c.fingerprint not in known
        ]
        if not rows:
            return 0
        with self.db.unit_of_work() as uow:
            ids = uow.imports.add(rows, lambda i, r: first_version(i, r, by, now))
            uow.audit.record(
                "incident.imported",
                entity="group",
                entity_id=group.id,
                actor=by[:32],
                at=now,
                group_id=group.id,
                after={
                    "source": source,
                    "file_sha256": digest,
                    "rows": len(rows),
                    "incident_ids": [ids[0], ids[-1]],
                    "fingerprints_sha256": digest_of(str(r["import_fingerprint"]) for r in rows),
                    "file_rows": [chunk[0].row, chunk[-1].row],
                },
            )
            return len(rows)


def _header(sheet: Sheet) -> tuple[int, list[object]]:
    """The first row with anything in it, and how many empty rows came before it."""
    for skipped, (_number, cells) in enumerate(sheet.rows):
        if not _blank(cells):
            return skipped, cells
    raise InvalidInput(N_("The file is empty: no row with column names was found."))


def _blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _too_many() -> InvalidInput:
    return InvalidInput(
        N_(
            "The file has more than {max} rows; nothing was imported. Split it (e.g. one file "
            "per year) and import the parts one after another.",
            max=f"{MAX_ROWS:,}".replace(",", " "),
        )
    )
