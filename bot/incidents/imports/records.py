"""The rows an import writes: an incident's columns, its first version, the digests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pydantic_core import to_jsonable_python

from bot.incidents.imports.rows import Candidate
from bot.incidents.service import VERSIONED
from storage.models import Incident


def incident_row(
    group_id: int, c: Candidate, source: str, by: str, now: datetime
) -> dict[str, object]:
    """The incident's columns, every one without a default given (a bulk insert applies no
    model defaults). The columns that stay empty are left out: NULL without being bound,
    which spares the engine six bound values a row (text_cleared_at, persistence, the Slack
    source, idempotency_key, deleted_at, delete_reason)."""
    return {
        "group_id": group_id,
        "place_id": c.place_id,
        "category_id": c.category_id,
        "occurred_at": c.occurred_at,
        "description": c.description,
        "restricted": False,
        "reporter_user_id": by[:32],
        "organisation_id": c.organisation_id,
        "import_fingerprint": c.fingerprint,
        "import_source": source,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def first_version(
    incident_id: int, row: dict[str, object], by: str, now: datetime
) -> dict[str, object]:
    """Its first version, as `version_of` writes it for an incident logged in Slack (reason:
    NULL, left out)."""
    content = {k: row.get(k) for k in VERSIONED}
    for k in _TIMES:  # as pydantic writes them into JSON; ids, texts and flags are JSON already
        if (value := content[k]) is not None:
            content[k] = to_jsonable_python(value)
    return {
        "incident_id": incident_id,
        "version": 1,
        "content": content,
        "changed_by": by[:32],
        "changed_at": now,
    }


_TIMES = tuple(  # the versioned columns that hold a timestamp
    k for k in VERSIONED if Incident.model_fields[k].annotation in (datetime, datetime | None)
)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def digest_of(texts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()
