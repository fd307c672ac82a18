"""Import benchmark: `import händelser` of a 100 000-row CSV, beside a bare bulk insert.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--xlsx] [--repeat 5] [--record]

Writes a CSV (semicolons, UTF-8 with BOM, as Excel saves it) of ``--rows`` incidents at the demo
group's places — with the spellings people use ("Karsby IP", "Hallunda C"), Swedish category
words, a date and a clock column, a short description and the reporting organisation — plus
twenty rows that must be refused (unknown places, a phone number). ``--xlsx`` writes the same
rows as an XLSX workbook instead.

Two child processes, each on its own fresh SQLite file database (Alembic migrations, the demo
group), one after the other in the same run:
- **baseline**: the same rows, already resolved to place, category and organisation ids and
  UTC times, inserted in one transaction with SQLAlchemy Core's ``insert()`` executemany, 5 000
  rows a statement (no reading, no checks, no versions, no audit);
- **import**: `ImportService.import_file` on the file, as `python app.py import händelser` runs it.
Each child reports its wall time, its CPU time and its peak resident memory
(``resource.getrusage``, ``ru_maxrss``). Prints both, rows/s, the ratio, and PASS/FAIL for the
goals: under 60 s, within 3× the baseline, under 300 MB. ``--repeat N`` runs N pairs, the order
within a pair alternating, each with the load average it started at, then the min / median / max;
the goal holds when the median ratio is ≤ 3× and at most one repeat fails. ``--postgres URL``
runs both children on throwaway databases ``est_bench_<random>`` on that server instead. The
CPU-time ratio is printed beside the wall-time one: on a busy machine it shows what the import
itself costs; the verdict stays on wall time. ``--record`` appends the figures to
bench/RESULTS.md. Exits 0 on FAIL too (it is a report).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot` and `storage` importable
    sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GOAL_SECONDS, GOAL_RATIO, GOAL_MB = 60.0, 3.0, 300.0
PLACES = (
    ("Fittja centrum", "Fittja C"),
    ("Hallunda centrum", "Hallunda C"),
    ("Albys hjärta", "Alby centrum"),
    ("Kårsby IP", "Karsby IP"),
    ("Tumba station", "Tumba station"),
    ("Fittja tunnelbanestation", "Fittja T-bana"),
    ("Norsborg centrum", "Norsborgs centrum"),
    ("Storvreten", "Storvreten"),
)
CATEGORIES = (
    "narkotikaförsäljning",
    "Lustgas",
    "skadegörelse",
    "klotter",
    "otrygghet",
    "brand",
    "hot",
)
ORGANISATIONS = ("Botkyrkabyggen", "Polisen lokalpolisområde Botkyrka", "Botkyrka kommun")
WORDS = (
    "ungdomar samlas",
    "försäljning vid entrén",
    "brand i papperskorg",
    "klotter på vägg",
    "mopeder på gångvägen",
    "glas krossat",
    "oro bland boende",
    "lustgaspatroner",
)
HEADER = ["Plats", "Brottstyp", "Datum", "Klockslag", "Händelse", "Organisation", "Ärendenr"]


def make_rows(n: int) -> list[list[str]]:
    rng = random.Random(20261207)
    rows = []
    for i in range(n):
        name, variant = rng.choice(PLACES)
        month, day = rng.randint(1, 10), rng.randint(1, 28)
        rows.append(
            [
                variant if rng.random() < 0.3 else name,
                rng.choice(CATEGORIES),
                f"2026-{month:02d}-{day:02d}",
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                f"{rng.choice(WORDS)} ({i})",
                rng.choice(ORGANISATIONS),
                f"K-{100000 + i}",
            ]
        )
    for i in range(20):
        rows.append(
            [
                "Fittja Cx" if i % 2 else "Fittja centrum",
                "narkotikaförsäljning",
                "2026-03-01",
                "21:00",
                "ring 070-123 45 67" if i % 2 == 0 else "x",
                "Botkyrkabyggen",
                "",
            ]
        )
    return rows


def write_file(rows: list[list[str]], directory: Path, xlsx: bool) -> Path:
    if xlsx:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        path = directory / "händelser.xlsx"
        book.save(path)
        return path
    path = directory / "händelser.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(";".join(HEADER) + "\r\n")
        for row in rows:
            handle.write(";".join(row) + "\r\n")
    return path


PG_URL = ""  # a child's --postgres: its database is a throwaway one on that server


@contextmanager
def _database(directory: Path, name: str) -> Iterator[str]:
    """The child's fresh database: a SQLite file, or ``est_bench_<random>`` on PG_URL, dropped
    when the child is done."""
    if not PG_URL:
        yield f"sqlite:///{directory / name}"
        return
    from bench import timing

    with timing.throwaway_postgres(PG_URL) as url:
        yield url


def _services(url: str) -> Any:
    from bot.demo.workspace import load_demo
    from bot.notifier import RecordingNotifier
    from bot.services import Services
    from storage.db import Database, make_engine
    from storage.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    services = Services.build(Database(engine), RecordingNotifier())
    load_demo(services.db, services.groups, now=NOW)
    return services


def child_import(directory: Path, path: Path) -> dict[str, float]:
    with _database(directory, "import.db") as url:
        return _timed_import(_services(url), path)


def _timed_import(services: Any, path: Path) -> dict[str, float]:
    from bot.incidents.imports.service import ImportRequest

    started, cpu = time.perf_counter(), time.process_time()
    report = services.imports.import_file(
        "EST Botkyrka", ImportRequest(path, source="bench"), dry_run=False, now=NOW
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "rows": report.imported,
        "refused": len(report.refused),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_baseline(directory: Path, n: int) -> dict[str, float]:
    with _database(directory, "baseline.db") as url:
        return _timed_baseline(_services(url), n)


def _timed_baseline(services: Any, n: int) -> dict[str, float]:
    from sqlalchemy import insert

    from bot.commands import fold
    from bot.incidents.imports.columns import header_key
    from storage.models import Incident

    with services.db.unit_of_work(read_only=True) as uow:
        group = uow.registrar.groups()[0]
        places = {p.name: p.id for p in uow.places.of_group(group.id or 0)}
        categories = [c.id for c in uow.categories.of_group(group.id or 0)]
        orgs = {fold(o.name): o.id for o in uow.organisations.of_group(group.id or 0)}
    rows = make_rows(n)[:n]
    resolved = [
        {
            "group_id": group.id,
            "place_id": places[r[0]] if r[0] in places else next(iter(places.values())),
            "category_id": categories[hash(r[1]) % len(categories)],
            "description": r[4],
            "occurred_at": datetime.fromisoformat(f"{r[2]}T{r[3]}:00+01:00").astimezone(UTC),
            "restricted": False,
            "reporter_user_id": "bench",
            "organisation_id": orgs[fold(r[5])],
            "version": 1,
            "import_fingerprint": header_key(r[6]),
            "created_at": NOW,
            "updated_at": NOW,
        }
        for r in rows
    ]
    table = Incident.__table__  # type: ignore[attr-defined]
    started, cpu = time.perf_counter(), time.process_time()
    with services.db.unit_of_work() as uow:
        for start in range(0, len(resolved), 5000):
            uow.imports.session.execute(insert(table), resolved[start : start + 5000])
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "rows": len(resolved),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(kind: str, directory: Path, path: Path, n: int) -> dict[str, float]:
    directory = Path(tempfile.mkdtemp(dir=directory))  # a fresh database for every run
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--dir",
        str(directory),
        "--file",
        str(path),
        "--rows",
        str(n),
        *(["--postgres", PG_URL] if PG_URL else []),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _load() -> str:
    out = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    return out.strip().rsplit("load average: ", 1)[-1]


def _repeats(path: Path, directory: Path, n: int, repeat: int) -> Iterator[dict[str, Any]]:
    """Baseline and import interleaved, each pair with the load it ran at; the order within a
    pair alternates, so neither always runs right after the other."""
    for i in range(repeat):
        first, second = ("baseline", "import") if i % 2 == 0 else ("import", "baseline")
        load = _load()
        pair = {kind: run_child(kind, directory, path, n) for kind in (first, second)}
        yield {"base": pair["baseline"], "imp": pair["import"], "load": load}


def _line(name: str, run: dict[str, float]) -> str:
    rate = run["rows"] / run["seconds"]
    took = f"{run['seconds']:.2f} s (CPU {run['cpu']:.2f} s), {rate:.0f} rows/s"
    return f"  {name:<21} {took}, peak RSS {run['rss_mb']:.0f} MB"


def _ok(run: dict[str, Any]) -> bool:
    imp, ratio = run["imp"], run["imp"]["seconds"] / run["base"]["seconds"]
    return imp["seconds"] < GOAL_SECONDS and ratio <= GOAL_RATIO and imp["rss_mb"] < GOAL_MB


def _summary(runs: list[dict[str, Any]]) -> list[str]:
    from statistics import median

    def spread(values: list[float], unit: str, digits: int = 2) -> str:
        low, mid, high = min(values), median(values), max(values)
        return f"{low:.{digits}f} / {mid:.{digits}f} / {high:.{digits}f}{unit}"

    ratios = [r["imp"]["seconds"] / r["base"]["seconds"] for r in runs]
    cpu = [r["imp"]["cpu"] / r["base"]["cpu"] for r in runs]
    passed = sum(_ok(r) for r in runs)
    holds = median(ratios) <= GOAL_RATIO and passed >= len(runs) - 1
    return [
        f"  {len(runs)} repeats, min / median / max:",
        f"    ratio (wall)  {spread(ratios, '×')}; CPU time ratio {spread(cpu, '×')}",
        f"    import        {spread([r['imp']['seconds'] for r in runs], ' s')}, "
        f"{spread([r['imp']['rows'] / r['imp']['seconds'] for r in runs], ' rows/s', 0)}, "
        f"peak RSS {spread([r['imp']['rss_mb'] for r in runs], ' MB', 0)}",
        f"    baseline      {spread([r['base']['seconds'] for r in runs], ' s')}",
        f"    load (1 min)  {spread([float(r['load'].split(',')[0]) for r in runs], '')}",
        f"  {passed} of {len(runs)} repeats PASS; the goal "
        + ("holds (median ≤ 3× and at most one repeat over)" if holds else "does NOT hold"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved baseline/import pairs")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--postgres", metavar="URL", help="on throwaway databases on this server")
    parser.add_argument("--child", choices=["import", "baseline"])
    parser.add_argument("--dir")
    parser.add_argument("--file")
    args = parser.parse_args()
    global PG_URL
    PG_URL = args.postgres or ""
    if args.child:
        directory, path = Path(args.dir), Path(args.file)
        result = (
            child_import(directory, path)
            if args.child == "import"
            else child_baseline(directory, args.rows)
        )
        print(json.dumps(result))
        return 0
    kind = "XLSX" if args.xlsx else "CSV"
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        path = write_file(make_rows(args.rows), directory, args.xlsx)
        size = path.stat().st_size / 1024 / 1024
        engine = "PostgreSQL" if PG_URL else "SQLite file"
        lines = [f"{kind} {args.rows} rows ({size:.1f} MB), {engine}"]
        print(lines[0], flush=True)
        runs: list[dict[str, Any]] = []
        for i, run in enumerate(_repeats(path, directory, args.rows, args.repeat), start=1):
            runs.append(run)
            imp, ratio = run["imp"], run["imp"]["seconds"] / run["base"]["seconds"]
            lines += [
                f" repeat {i}, load average {run['load']}:",
                _line("baseline bare insert:", run["base"]),
                _line("import:", imp)
                + f" ({imp['rows']:.0f} imported, {imp['refused']:.0f} refused)",
                f"  ratio {ratio:.2f}× the baseline — {'PASS' if _ok(run) else 'FAIL'} "
                f"(goals: < {GOAL_SECONDS:.0f} s, ≤ {GOAL_RATIO:.0f}×, < {GOAL_MB:.0f} MB)",
            ]
            print("\n".join(lines[-4:]), flush=True)
        if args.repeat > 1:
            lines += _summary(runs)
            print("\n".join(_summary(runs)))
    if args.record:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n### import_bench.py ({stamp})\n\n```\n" + "\n".join(lines) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
