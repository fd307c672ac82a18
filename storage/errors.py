"""What storage tells the domain when the database refuses a write, in the project's own terms:
``bot/`` never sees SQLAlchemy's exceptions."""

from __future__ import annotations

from sqlalchemy import exc


class Conflict(Exception):
    """A unique key or another constraint refused the write: usually a twin of the row (the same
    form saved twice at once, two processes storing the same week) committed first."""


def database_unavailable(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the database did not answer: no connection,
    a dropped one, or no free connection in the pool in time. Nothing was written then."""
    seen: BaseException | None = error
    for _ in range(10):  # a chain of causes is short; never follow one for ever
        if seen is None:
            return False
        if isinstance(seen, exc.OperationalError | exc.InterfaceError | exc.TimeoutError):
            return True
        if isinstance(seen, exc.DBAPIError) and seen.connection_invalidated:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
