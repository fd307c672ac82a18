"""Amounts: kept in öre (integers, never floats), shown in kronor."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Money:
    """An amount in öre, written as a number of kronor with the kronor format."""

    ore: int


def kronor(ore: int | None) -> str:
    """1 740,50 kr (thin grouping with spaces): an amount in text (PDF, messages)."""
    if ore is None:
        return ""
    sign, ore = ("-" if ore < 0 else ""), abs(ore)
    return f"{sign}{ore // 100:,}".replace(",", " ") + f",{ore % 100:02d} kr"
