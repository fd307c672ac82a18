"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from storage.db import make_engine
from storage.migrate import is_current, upgrade
from tests.conftest import BACKENDS, PG_URL


@pytest.fixture(params=BACKENDS)
def migrated(request, tmp_path) -> Engine:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    else:
        assert PG_URL
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


def test_migrations_match_the_models(migrated: Engine):
    with migrated.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert is_current(migrated)


def test_upgrade_twice_is_harmless_and_seeds_the_audit_chain(migrated: Engine):
    upgrade(migrated)
    with migrated.connect() as conn:
        assert conn.execute(text("SELECT last_hash FROM audit_head")).scalar() == "0" * 64


def test_timestamps_come_back_aware_utc(migrated: Engine):
    from sqlmodel import Session

    from storage.models import Group

    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    with Session(migrated) as session:
        group = Group(
            name="G",
            slack_team_id="T",
            slack_channel_id="C",
            created_by="U",
            created_at=at,
            updated_at=at,
        )
        session.add(group)
        session.commit()
        session.refresh(group)
        assert group.created_at == at
        assert group.created_at.tzinfo is not None
