"""The audit log's hash chain: one pure function, shared by the writer and the verifier."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
HASH_VERSION = 2
REDACTED = "$redacted"  # {"$redacted": "sha256:…"} stands where a cleared string was


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(value: Any) -> Any:
    """Version 2's view of before/after: every string by its digest, so clearing a string
    (``redacted``) leaves the event's hash, and the chain, as they were."""
    if isinstance(value, str):
        return _digest(value)
    if isinstance(value, dict):
        if set(value) == {REDACTED}:
            return value[REDACTED]
        return {k: sealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sealed(v) for v in value]
    return value


def redacted(text: str) -> dict[str, str]:
    """What replaces a cleared string in an event: its digest, nothing readable."""
    return {REDACTED: _digest(text)}


def event_hash(
    *,
    prev_hash: str,
    group_id: int | None,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    version: int = HASH_VERSION,
) -> str:
    """SHA-256 over the event's content and the previous event's hash."""
    if version >= 2:
        before, after = sealed(before), sealed(after)
    content = {
        "prev": prev_hash,
        "group": group_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
