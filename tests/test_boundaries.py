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


# the calls that read the machine's time: only bot/timekeeping.py may make them
SYSTEM_TIME = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "monotonic"),
    ("time", "perf_counter"),
    ("time", "localtime"),
    ("time", "gmtime"),
}

TIME_FUNCTIONS = {(module, name) for module, name in SYSTEM_TIME if module == "time"}


def system_time_reads(source: str) -> list[int]:
    """Lines of ``source`` that call the machine's clock (``datetime.now(…)``, ``time.time()``…),
    also through an alias (``from time import monotonic``)."""
    tree = ast.parse(source)
    aliases = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime")
        for alias in node.names
    }
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if (func.value.id, func.attr) in SYSTEM_TIME:
                lines.append(node.lineno)
        elif isinstance(func, ast.Name) and aliases.get(func.id) in TIME_FUNCTIONS:
            lines.append(node.lineno)
    return lines


def test_only_the_clock_reads_the_system_time():
    # every part of the bot takes the time from the one clock built in app.py
    allowed = {"bot/timekeeping.py"}
    files = [
        ROOT / "app.py",
        *(p for f in ("bot", "handlers", "storage") for p in (ROOT / f).rglob("*.py")),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        if str(path.relative_to(ROOT)) not in allowed
        for line in system_time_reads(path.read_text("utf-8"))
    ]
    assert found == []


def test_the_time_checker_sees_a_reading():
    planted = (
        "import time\nfrom datetime import UTC, datetime\nfrom time import monotonic as m\n"
        "a = datetime.now(UTC)\nb = time.time()\nc = m()\nd = datetime.fromisoformat('x')\n"
    )
    assert system_time_reads(planted) == [4, 5, 6]
