"""The audit hash: version 2 hashes each string by its digest, so a cleared string keeps it."""

from datetime import UTC, datetime

from storage.audit_chain import GENESIS_HASH, event_hash, redacted, sealed

AT = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)


def _hash(after: dict, version: int) -> str:
    return event_hash(
        prev_hash=GENESIS_HASH,
        group_id=1,
        at=AT,
        actor="U0ERIK",
        action="incident.created",
        entity="incident",
        entity_id=7,
        before=None,
        after=after,
        version=version,
    )


def test_a_redacted_string_keeps_the_version_2_hash():
    typed = {"description": "Försäljning vid trappan", "entries": [{"observations": "Lugnt"}]}
    cleared = {
        "description": redacted("Försäljning vid trappan"),
        "entries": [{"observations": redacted("Lugnt")}],
    }
    assert _hash(typed, 2) == _hash(cleared, 2)
    assert _hash(typed, 1) != _hash(cleared, 1)  # the first formula hashed the text itself


def test_any_other_change_still_breaks_the_hash():
    typed = {"description": "Försäljning vid trappan", "place_id": 3}
    assert _hash(typed, 2) != _hash({**typed, "place_id": 4}, 2)
    assert _hash(typed, 2) != _hash({**typed, "description": "Annan text"}, 2)
    assert _hash(typed, 2) != _hash({**typed, "description": redacted("Annan text")}, 2)


def test_sealed_digests_are_sha256_of_the_utf8_text():
    # the digest is of the UTF-8 bytes ("å" is b"\xc3\xa5"), so any tool can recompute it
    import hashlib

    assert sealed("å") == "sha256:" + hashlib.sha256("å".encode()).hexdigest()
    assert sealed({"n": 1, "t": None, "l": ["a"]}) == {
        "n": 1,
        "t": None,
        "l": ["sha256:" + hashlib.sha256(b"a").hexdigest()],
    }
