"""What storage tells the domain when the database refuses a write, in the project's own terms:
``bot/`` never sees SQLAlchemy's exceptions."""

from __future__ import annotations


class Conflict(Exception):
    """A unique key or another constraint refused the write: usually a twin of the row (the same
    form saved twice at once, two processes storing the same week) committed first."""
