"""A sub-command's own dispatch, as a table: the parsed command's type names its handler.

A feature's ``forms`` reads what follows the sub-command into one of a few frozen dataclasses;
its listener module says which function handles which, and ``dispatch`` calls it (or, for
what was not understood, the usage)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from handlers.commands.router import Invocation

Handler = Callable[[Invocation, Any], None]


def dispatch(
    inv: Invocation,
    command: object | None,
    table: Mapping[type, Handler],
    usage: Callable[[Invocation], None] | None = None,
) -> None:
    """Call the handler of ``command``'s type; None (or a type not in the table) is the usage."""
    handler = table.get(type(command)) if command is not None else None
    if handler is None:
        if usage is None:
            raise LookupError(f"no handler for {command!r}")
        usage(inv)
        return
    handler(inv, command)
