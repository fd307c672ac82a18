"""The process's engine on PostgreSQL: each connection as the bot's short per-group reads want."""

import pytest
from sqlalchemy import text

from storage.db import make_engine
from tests.conftest import PG_URL

pytestmark = pytest.mark.postgresql


def test_every_connection_of_the_pool_runs_without_jit():
    """JIT compiling costs 100-180 ms a query once a table holds many groups' rows; the server's
    default is on, so a connection that kept it would show ``on`` here."""
    assert PG_URL
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as first, engine.connect() as second:
            assert first.execute(text("SHOW jit")).scalar() == "off"
            assert second.execute(text("SHOW jit")).scalar() == "off"
        # the setting outlives the pool's rollback when a connection is handed back
        with engine.connect() as again:
            again.execute(text("SELECT 1"))
            again.rollback()
            assert again.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()
