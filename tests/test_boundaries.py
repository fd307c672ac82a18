"""Dependencies point one way: app.py → handlers → bot → storage."""

import ast
import re
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


SQL_IN_CODE = re.compile(r"(?<!def )(?<![.\w])(select|delete|update|text)\(|\.session\b")


def test_bot_never_imports_the_database_libraries():
    # the table classes may be imported from storage/ as types; queries live in storage/
    assert offenders("bot", {"sqlmodel", "sqlalchemy"}) == []


def test_bot_writes_no_query_and_never_reaches_for_a_session():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in (ROOT / "bot").rglob("*.py")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if SQL_IN_CODE.search(line.split("#")[0])
    ]
    assert found == []


def test_the_unit_of_work_has_no_public_session():
    from storage.repositories import UnitOfWork

    public = {name for name in vars(UnitOfWork) if not name.startswith("_")}
    assert "session" not in public
    source = (ROOT / "storage/repositories.py").read_text("utf-8")
    assert "self.session =" not in source


def test_the_sql_checker_sees_a_query():
    # guards the guard: a line of the kind it must refuse is refused
    assert SQL_IN_CODE.search("rows = uow.session.exec(select(Incident)).all()")
    assert not SQL_IN_CODE.search("selected = choose(places)")
    assert not SQL_IN_CODE.search("counts.update(more)")
    assert not SQL_IN_CODE.search("    def delete(self, actor, incident_id):")
