"""Which builder renders which notification: each feature's edge says it for its own.

A ``handlers/<feature>/`` module that builds a feature's messages ends with a table,
``RENDERERS = renderers(rendered(SomeNotification, build_some), ...)``; ``handlers/notifier.py``
composes the tables and looks a notification's builder up by its type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from bot.i18n import Translator
from bot.notifier import Notification

Message = dict[str, Any]
Rendered = Message | list[Message]  # usually one message; a large lägesbild is several
N = TypeVar("N", bound=Notification)
# (translator, notification, recipient: a channel or a person) -> what the recipient gets
Render = Callable[[Translator, Any, str], Rendered]
Renderers = Mapping[type[Notification], Render]


def rendered(
    kind: type[N], build: Callable[[Translator, N], Rendered]
) -> tuple[type[Notification], Render]:
    """``build`` renders notifications of type ``kind`` (the same for every recipient)."""
    return kind, lambda tr, note, recipient: build(tr, note)


def addressed(
    kind: type[N], build: Callable[[Translator, N, str], Rendered]
) -> tuple[type[Notification], Render]:
    """``build`` renders notifications of type ``kind`` for a recipient (a channel or a person)."""
    return kind, build


def renderers(*entries: tuple[type[Notification], Render]) -> dict[type[Notification], Render]:
    """One feature's table; a type with two builders is a mistake."""
    return merge(*({kind: build} for kind, build in entries))


def merge(*tables: Renderers) -> dict[type[Notification], Render]:
    """The features' tables as one; a type that two of them render is a mistake."""
    merged: dict[type[Notification], Render] = {}
    for table in tables:
        for kind, build in table.items():
            if kind in merged:
                raise ValueError(f"{kind.__name__} has two builders")
            merged[kind] = build
    return merged
