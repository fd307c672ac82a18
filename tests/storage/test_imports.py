"""The import repository's bulk write (the DBAPI's executemany, not the ORM), on each database:
what it stores reads back through the models exactly as an ORM insert's would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import col, select

from storage.errors import Conflict
from storage.models import Incident, IncidentVersion
from tests.conftest import NOW


def _ids(db, group_id: int) -> tuple[int, int, int]:
    with db.unit_of_work(read_only=True) as uow:
        place = uow.places.of_group(group_id)[0]
        category = uow.categories.of_group(group_id)[0]
        organisation = uow.organisations.of_group(group_id)[0]
    return place.id or 0, category.id or 0, organisation.id or 0


def _row(group_id, ids, fingerprint: str, occurred_at: datetime) -> dict[str, object]:
    place_id, category_id, organisation_id = ids
    return {  # no "version", no "restricted": the bulk write gives them their defaults
        "group_id": group_id,
        "place_id": place_id,
        "category_id": category_id,
        "occurred_at": occurred_at,
        "description": f"rad {fingerprint}",
        "reporter_user_id": "cli:import",
        "organisation_id": organisation_id,
        "import_fingerprint": fingerprint,
        "import_source": "test",
        "created_at": NOW,
        "updated_at": NOW,
    }


def _version(incident_id: int, row: dict[str, object]) -> dict[str, object]:
    return {
        "incident_id": incident_id,
        "version": 1,
        "content": {"description": row["description"], "n": [1, "två"]},
        "changed_by": "cli:import",
        "changed_at": NOW,
    }


def test_a_bulk_write_reads_back_as_the_models_wrote_it(db, anna):
    group_id = anna.group.id
    ids = _ids(db, group_id)
    stockholm = timezone(timedelta(hours=1))
    rows = [
        _row(group_id, ids, "a", datetime(2026, 3, 1, 21, 0, tzinfo=stockholm)),
        _row(group_id, ids, "b", datetime(2026, 3, 2, 8, 15, 30, 250, tzinfo=UTC)),
    ]
    with db.unit_of_work() as uow:
        conn = uow.imports.session.connection()
        cache = "PRAGMA cache_size" if db.dialect == "sqlite" else "SELECT 1"
        before = conn.exec_driver_sql(cache).scalar_one()
        new = uow.imports.add(rows, _version)
        assert conn.exec_driver_sql(cache).scalar_one() == before  # SQLite's cache as it was
    with db.unit_of_work(read_only=True) as uow:
        stored = uow.imports.session.exec(select(Incident).order_by(col(Incident.id))).all()
        versions = uow.imports.session.exec(select(IncidentVersion)).all()
    assert new == [i.id for i in stored] and new[0] != new[1]
    # 21:00 at UTC+1 is 20:00 UTC; the microseconds kept; defaults version 1, not restricted
    assert [(i.import_fingerprint, i.occurred_at) for i in stored] == [
        ("a", datetime(2026, 3, 1, 20, 0, tzinfo=UTC)),
        ("b", datetime(2026, 3, 2, 8, 15, 30, 250, tzinfo=UTC)),
    ]
    assert [(i.version, i.restricted, i.created_at, i.deleted_at) for i in stored] == [
        (1, False, NOW, None),
        (1, False, NOW, None),
    ]
    assert sorted((v.incident_id, v.content["description"], v.changed_at) for v in versions) == [
        (new[0], "rad a", NOW),
        (new[1], "rad b", NOW),
    ]
    assert versions[0].content["n"] == [1, "två"]  # JSON, not its text


def test_a_fingerprint_stored_already_refuses_the_whole_batch(db, anna):
    group_id = anna.group.id
    ids = _ids(db, group_id)
    with db.unit_of_work() as uow:
        uow.imports.add([_row(group_id, ids, "a", NOW)], _version)
    with pytest.raises(Conflict), db.unit_of_work() as uow:
        uow.imports.add([_row(group_id, ids, "b", NOW), _row(group_id, ids, "a", NOW)], _version)
    with db.unit_of_work(read_only=True) as uow:
        assert uow.imports.known(group_id, ["a", "b"]) == {"a"}  # "b" rolled back with it
        assert len(uow.imports.session.exec(select(IncidentVersion)).all()) == 1
