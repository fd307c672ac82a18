"""Dependencies point one way: app.py → handlers → bot → storage."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(folder: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{file}: {names & forbidden}"
        for file, names in imported_modules(folder).items()
        if names & forbidden
    )


def test_bot_and_storage_never_import_slack():
    slack = {"slack_bolt", "slack_sdk"}
    assert offenders("bot", slack) == []
    assert offenders("storage", slack) == []


def test_storage_never_imports_bot_or_handlers():
    assert offenders("storage", {"bot", "handlers", "app"}) == []


def test_bot_never_imports_handlers():
    assert offenders("bot", {"handlers", "app"}) == []


def test_the_checker_sees_imports():
    # guards the guard: a real import in handlers/ is found
    assert "slack_bolt" in imported_modules("handlers")["handlers/bolt.py"]
