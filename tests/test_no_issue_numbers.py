"""Code and tests say why, not which ticket: no "issue 6" or "point 14" in them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKET = re.compile(r"\b(?:issues?|points?|punkt(?:en)?)\s*#?\d+", re.IGNORECASE)


def sources() -> list[Path]:
    found = [ROOT / "app.py", *ROOT.glob("bot/locale/*/LC_MESSAGES/*.po")]
    for folder in ("bot", "handlers", "storage", "tests", "bench"):
        found += (ROOT / folder).rglob("*.py")
    here = Path(__file__).resolve()  # its examples are the pattern's own test
    return [path for path in found if ".venv" not in path.parts and path.resolve() != here]


def test_no_ticket_numbers_in_code_or_tests():
    mentions = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if TICKET.search(line)
    ]
    assert mentions == []


def test_the_pattern_finds_them():
    for line in ("# activities (issue 6)", "benchmark (Issue 3, point 14)", "punkt 5"):
        assert TICKET.search(line), line
    for line in ("signed or issued on", "incident #12", "at this point the row", "14 points"):
        assert not TICKET.search(line), line
