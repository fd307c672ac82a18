"""Shared fixtures: a database per test on SQLite, and on PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from bot.notifier import RecordingNotifier
from bot.services import Services
from storage.db import Database, make_engine
from storage.migrate import upgrade
from storage.repositories import UnitOfWork

# No per-example deadlines: timing belongs in bench/, and this machine is shared and noisy.
settings.register_profile("est", deadline=None)
settings.load_profile("est")

NOW = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against TEST_DATABASE_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PG_URL:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            "CI must set TEST_DATABASE_URL: the PostgreSQL run may not be skipped"
        )
    skip = pytest.mark.skip(reason="TEST_DATABASE_URL is not set (PostgreSQL run)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    assert PG_URL
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables if t.name != "audit_head")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(
            text("UPDATE audit_head SET last_hash = :h, last_event_id = NULL"), {"h": "0" * 64}
        )


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    if request.param == "sqlite":
        engine = make_engine("sqlite://")
        SQLModel.metadata.create_all(engine)
        yield Database(engine)
        engine.dispose()
        return
    engine = request.getfixturevalue("pg_engine")
    _truncate(engine)
    yield Database(engine)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def services(db: Database, notifier: RecordingNotifier) -> Services:
    return Services.build(db, notifier)


def session_of(uow: UnitOfWork) -> Any:  # Any: as loosely typed as the tests that use it
    """The session under a unit of work, for tests that look at (or plant) rows themselves; the
    bot's own code has no way to it and goes through the repositories."""
    return uow._session
