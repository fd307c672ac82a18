"""EST-bot: the composition root and the command line.

    python app.py            serve Slack when credentials are set, else open the console
    python app.py serve      HTTP (gunicorn) — or Socket Mode when SLACK_APP_TOKEN is set
    python app.py clock      the scheduler process
    python app.py console    type /est … as in Slack, on the local database
    python app.py demo       load the Botkyrka demo workspace
    python app.py migrate    bring the database schema up to date
    python app.py audit verify   recompute the audit log's hash chain
    python app.py export-all --group NAME    everything one group holds, as JSON and CSV
    python app.py import-all DIR             that group back, into this database
    python app.py test       ruff, mypy and pytest (what CI runs)

Only this module reads the environment. On a fresh machine it first installs what the bot needs
into `.venv` (standard library only until then) and runs itself again from there.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import tomllib
import venv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Never

if TYPE_CHECKING:  # only for the annotations: the bootstrap runs before these are installed
    from flask import Flask
    from slack_bolt import App
    from slack_sdk import WebClient
    from tqdm import tqdm

    from bot.clock import ClockContext
    from bot.notifier import Notifier
    from bot.services import Services
    from bot.timekeeping import BotClock
    from handlers.installations import TeamClients
    from storage.db import Database

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


# ---------------------------------------------------------------- bootstrap (standard library only)


def _requirements(dev: bool) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return list(project["dependencies"]) + (project["optional-dependencies"]["dev"] if dev else [])


def _installed(requirement: str) -> bool:
    name = requirement.split(";")[0].split("[")[0]
    for sep in "<>=!~ ":
        name = name.split(sep)[0]
    try:
        importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _install_notice(*, packages: int, tools: int, fresh: bool) -> str:
    """The one line printed before pip runs: how many of pyproject.toml's packages go where."""
    what = f"{packages} paket från pyproject.toml"
    tests = f", varav {tools} testverktyg för `app.py test`" if tools else ""
    if fresh:
        return f"Första körningen: installerar {what} i {VENV}{tests} (en minut eller två) …"
    return f"Uppdaterar {VENV}: installerar det som saknas av {what}{tests} …"


def ensure_environment(argv: list[str]) -> None:
    """Run inside `.venv` with every dependency installed; create and fill it when needed."""
    if os.environ.get("EST_NO_BOOTSTRAP"):
        return
    dev = argv[:1] == ["test"]
    wanted = _requirements(dev)
    stamp_text = hashlib.sha256("\n".join(wanted).encode()).hexdigest()
    stamp = VENV / (".installed-dev" if dev else ".installed")
    in_venv = Path(sys.prefix).resolve() == VENV.resolve()
    if not in_venv and not VENV.exists() and all(_installed(r) for r in wanted):
        return  # a prepared environment (a container, a platform): run as we are
    fresh = not _venv_python().exists()
    if fresh or not stamp.exists() or stamp.read_text() != stamp_text:
        tools = len(wanted) - len(_requirements(False))
        print(_install_notice(packages=len(wanted), tools=tools, fresh=fresh), flush=True)
        if fresh:
            venv.create(VENV, with_pip=True)
        pip = [
            str(_venv_python()),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]
        subprocess.run([*pip, *wanted], check=True)  # noqa: S603 - our own interpreter and pins
        stamp.write_text(stamp_text)
    if not in_venv:
        python = str(_venv_python())
        os.execv(python, [python, str(ROOT / "app.py"), *argv])  # noqa: S606


# ---------------------------------------------------------------------------------------- settings


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and what is expected."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    port: int
    timezone: str
    language: str
    clock_tick: float = 5.0  # seconds between outbox sweeps
    outbox_lease: float = 120.0  # seconds before a vanished sender's rows are retried
    outbox_claim: int = 50  # EST_OUTBOX_CLAIM: rows a sweep claims at once
    client_id: str | None = None  # with client_secret: installation in several workspaces
    client_secret: str | None = None
    public_url: str = ""  # the web process's public address, for the calendar feed's link
    clock_start: datetime | None = None  # EST_CLOCK_START: the bot's time when the process starts
    clock_rate: float = 1.0  # EST_CLOCK_RATE: bot seconds per real second
    map_tiles: str = ""  # EST_MAP_TILES: a tile server's {z}/{x}/{y} URL template; "": schematic

    @property
    def has_slack(self) -> bool:
        return bool(self.bot_token or self.client_id)

    @property
    def oauth(self) -> bool:
        return bool(self.client_id)


def read_settings(env: dict[str, str]) -> Settings:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from bot.timekeeping import ClockSettingError, read_rate, read_start

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    bot_token, app_token, secret = (
        get("SLACK_BOT_TOKEN"),
        get("SLACK_APP_TOKEN"),
        get("SLACK_SIGNING_SECRET"),
    )
    if bot_token and not bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN: expected a bot token starting with xoxb-")
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN: expected an app-level token starting with xapp-")
    client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
    _check_oauth(client_id, client_secret, bot_token, app_token, secret)
    if (app_token or secret) and not bot_token and not client_id:
        raise SettingsError(
            "SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set"
        )
    api_url = get("SLACK_API_URL") or "https://slack.com/api/"
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL: expected an http(s) URL, got {api_url!r}")
    database_url = get("DATABASE_URL") or f"sqlite:///{ROOT / 'est.db'}"
    try:
        make_url(database_url)
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL: expected a SQLAlchemy URL such as postgresql://user@host/db"
        ) from None
    port_text = get("PORT") or "3000"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SettingsError(f"PORT: expected a port number 1–65535, got {port_text!r}")
    timezone = get("EST_TIMEZONE") or "Europe/Stockholm"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"EST_TIMEZONE: expected a time zone such as Europe/Stockholm, got {timezone!r}"
        ) from None
    language = (get("EST_LANGUAGE") or "sv").lower()
    if language not in ("sv", "en"):
        raise SettingsError(f"EST_LANGUAGE: expected sv or en, got {language!r}")
    clock_tick = _positive(get("EST_CLOCK_TICK") or "5", "EST_CLOCK_TICK")
    outbox_lease = _positive(get("EST_OUTBOX_LEASE") or "120", "EST_OUTBOX_LEASE")
    outbox_claim = int(_positive(get("EST_OUTBOX_CLAIM") or "50", "EST_OUTBOX_CLAIM"))
    try:
        clock_start = read_start(get("EST_CLOCK_START"))
        clock_rate = read_rate(get("EST_CLOCK_RATE"))
    except ClockSettingError as error:
        raise SettingsError(str(error)) from None
    public_url = get("EST_PUBLIC_URL") or ""
    if public_url and not public_url.startswith(("http://", "https://")):
        raise SettingsError(f"EST_PUBLIC_URL: expected an http(s) URL, got {public_url!r}")
    map_tiles = get("EST_MAP_TILES") or ""
    if map_tiles and (
        not map_tiles.startswith(("http://", "https://"))
        or not all(p in map_tiles for p in ("{z}", "{x}", "{y}"))
    ):
        raise SettingsError(
            "EST_MAP_TILES: expected a tile URL template with {z}, {x} and {y}, such as "
            f"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png, got {map_tiles!r}"
        )
    return Settings(
        bot_token=bot_token,
        signing_secret=secret,
        app_token=app_token,
        api_url=api_url.rstrip("/") + "/",
        database_url=database_url,
        port=int(port_text),
        timezone=timezone,
        language=language,
        clock_tick=clock_tick,
        outbox_lease=outbox_lease,
        outbox_claim=outbox_claim,
        client_id=client_id,
        client_secret=client_secret,
        public_url=public_url,
        clock_start=clock_start,
        clock_rate=clock_rate,
        map_tiles=map_tiles,
    )


def _check_oauth(
    client_id: str | None,
    client_secret: str | None,
    bot_token: str | None,
    app_token: str | None,
    secret: str | None,
) -> None:
    """One workspace (SLACK_BOT_TOKEN) or installation through OAuth (client id and secret)."""
    if bool(client_id) != bool(client_secret):
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        raise SettingsError(f"{missing}: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together")
    if not client_id:
        return
    if bot_token:
        raise SettingsError(
            "SLACK_BOT_TOKEN: leave it unset with SLACK_CLIENT_ID (each workspace's token comes "
            "from its installation)"
        )
    if app_token:
        raise SettingsError("SLACK_APP_TOKEN: Socket Mode serves one workspace; unset it for OAuth")
    if not secret:
        raise SettingsError("SLACK_SIGNING_SECRET: required for installation through OAuth")


def _positive(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise SettingsError(f"{name}: expected a number of seconds above 0, got {text!r}")
    return value


# ------------------------------------------------------------------------------------- composition


def settle() -> None:
    """After start-up: move what was built so far out of the garbage collector's way. Its full
    passes over the process's long-lived objects otherwise pause a request now and then
    (bench/RESULTS.md: 80–145 ms, about one listing in fifty)."""
    import gc

    gc.collect()
    gc.freeze()


def build_services(
    settings: Settings, notifier: Notifier | None, *, migrate: bool = True
) -> Services:
    """The services on the configured database; with no notifier, nothing is told (migrating,
    or a clock whose sender posts what is due)."""
    from bot.notifier import NullNotifier
    from bot.services import Services
    from storage.db import Database, make_engine
    from storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    db = Database(engine)
    configure_maps(settings)
    return Services.build(db, notifier or NullNotifier(), build_clock(settings, db))


def configure_maps(settings: Settings) -> None:
    """Map images on the tiles of EST_MAP_TILES (cached beside the data), else schematic."""
    from bot.maps.tiles import TileServer, configure

    cache = console_files(settings.database_url).with_name("est-kartplattor")
    configure(TileServer(settings.map_tiles, cache) if settings.map_tiles else None)


def _database(settings: Settings) -> Database:
    from storage.db import Database, make_engine
    from storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return Database(engine)


def build_clock(settings: Settings, db: Database) -> BotClock:
    """The process's one clock: the real time, or the simulated time the settings ask for, begun
    when the first process with these settings began (so `serve` and `clock` agree)."""
    from bot.timekeeping import BotClock, system_time
    from storage.clock import agree

    if settings.clock_start is None and settings.clock_rate == 1.0:
        return BotClock()
    real_now = system_time()
    start = settings.clock_start or real_now
    began = agree(db, start=start, rate=settings.clock_rate, real_now=real_now)
    return BotClock(start, settings.clock_rate, began=began)


def slack_client(settings: Settings, token: str | None = None) -> WebClient:
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    return WebClient(
        token=token or settings.bot_token,
        base_url=settings.api_url,
        timeout=10,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def team_clients(settings: Settings, client: WebClient) -> TeamClients | None:
    """OAuth mode: each workspace's client, from the installation store; else None."""
    if not settings.oauth:
        return None
    from handlers.installations import TeamClients, installation_store
    from storage.db import make_engine

    store = installation_store(settings.client_id or "", make_engine(settings.database_url))
    return TeamClients(store, client)


def build_bolt(settings: Settings, *, migrate: bool) -> tuple[App, Services]:
    from handlers.bolt import build_app
    from handlers.installations import oauth_settings
    from handlers.notifier import SlackNotifier

    client = slack_client(settings)
    notifier = SlackNotifier(client, team_clients(settings, client))
    services = build_services(settings, notifier, migrate=migrate)
    oauth = None
    if settings.oauth:
        engine = services.db.engine
        oauth = oauth_settings(settings.client_id or "", settings.client_secret or "", engine)
    app = build_app(
        services=services,
        client=client,
        signing_secret=settings.signing_secret or "",
        default_language=settings.language,
        oauth_settings=oauth,
        public_url=settings.public_url,
        verify_token=True,  # auth.test while starting, not before a request's acknowledgement
    )
    return app, services


def serve(settings: Settings) -> int:
    if not settings.has_slack:
        raise SettingsError(
            "SLACK_BOT_TOKEN: required for serve (without it, use: python app.py console)"
        )
    if not settings.app_token and not settings.signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET: required to serve Slack over HTTP (or set SLACK_APP_TOKEN)"
        )
    announce_clock(build_services(settings, None))  # migrate once, before any worker starts
    if settings.app_token:
        from apscheduler.schedulers.background import BackgroundScheduler
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bot.clock import build_scheduler

        app, services = build_bolt(settings, migrate=False)
        # one process for a small installation: the clock's jobs run beside Socket Mode
        # (a separate `clock` process as well is harmless: the outbox hands each row out once)
        build_scheduler(
            clock_context(settings, services), BackgroundScheduler(timezone="UTC")
        ).start()
        print("EST-bot: Socket Mode, with the clock's jobs in the same process", flush=True)
        handler = SocketModeHandler(app, settings.app_token)
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves start() unannotated
        return 0
    metrics_dir = metrics_directory()  # before prometheus_client is imported: it reads it then
    from handlers.server import GunicornServer, create_wsgi_app

    def factory() -> Flask:
        app, services = build_bolt(settings, migrate=False)
        wsgi = create_wsgi_app(
            app,
            services.db,
            calendar=services.calendar,
            clock=services.clock,
            metrics_dir=metrics_dir,
            services=services,
        )
        settle()
        return wsgi

    options = {
        "bind": f"{os.environ.get('HOST', '0.0.0.0')}:{settings.port}",  # noqa: S104 - a server
        "workers": int(os.environ.get("WEB_CONCURRENCY", "2")),
        "worker_class": "gthread",
        "threads": int(os.environ.get("WEB_THREADS", "8")),
        "timeout": 30,
        "graceful_timeout": 10,
        "loglevel": "warning",
        "accesslog": None,
    }
    GunicornServer(factory, options).run()
    return 0


def metrics_directory() -> str:
    """Where gunicorn's workers share their figures for /metrics: PROMETHEUS_MULTIPROC_DIR, or a
    fresh directory of this process's own. Emptied at start: old workers' files would count."""
    import tempfile

    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="est-"))
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.db"):
        old.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return str(path)


def announce_clock(services: Services) -> None:
    """One warning line at start when the bot's time is not the real time."""
    import logging

    from bot.timekeeping import BotClock, describe

    clock = services.clock
    if isinstance(clock, BotClock) and clock.simulated:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("est.clock").warning(describe(clock))


def clock_context(settings: Settings, services: Services) -> ClockContext:
    """What the clock's jobs need: the services and an outbox sender that posts to Slack."""
    import socket

    from slack_sdk import WebClient

    from bot.clock import PREFETCH, PREPARERS, ClockContext, on_failure
    from bot.delivery import OutboxSender
    from handlers.transport import SlackTransport

    # no automatic retries here: the outbox decides when to try again
    client = WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    sender = OutboxSender(
        services.db,
        SlackTransport(client, team_clients(settings, client)),
        PREPARERS,
        worker=worker,
        on_failure=on_failure,
        lease=timedelta(seconds=settings.outbox_lease),  # real time, like Slack's waits
        prefetch=PREFETCH,
        rate=services.clock.rate,  # the one clock's pace: real waits become bot time
        claim=settings.outbox_claim,
    )
    return ClockContext(services, sender)


def clock(settings: Settings) -> int:
    from bot.clock import build_scheduler
    from handlers.notifier import SlackNotifier

    if not settings.has_slack:
        raise SettingsError("SLACK_BOT_TOKEN: required for the clock (it posts to Slack)")
    client = slack_client(settings)
    services = build_services(settings, SlackNotifier(client, team_clients(settings, client)))
    scheduler = build_scheduler(clock_context(settings, services), tick=settings.clock_tick)
    announce_clock(services)
    settle()
    print("EST-bot clock: " + ", ".join(job.id for job in scheduler.get_jobs()), flush=True)
    scheduler.start()
    return 0


def _console_notifier() -> Notifier:
    from bot.notifier import NullNotifier

    return NullNotifier()


def demo(settings: Settings) -> int:
    from bot.demo.loader import load_full_demo

    services = build_services(settings, _console_notifier())
    loaded = load_full_demo(services, now=services.clock.now())
    state = "laddad" if loaded.workspace.created else "fanns redan"
    history = f", {loaded.incidents} händelser på tretton veckor" if loaded.incidents else ""
    where = settings.database_url.split("///")[-1]
    print(f"Demo: {loaded.workspace.group.name} {state}{history} ({where}).")
    return 0


def console_files(database_url: str) -> Path:
    """Where the console saves the files the bot sends: `est-filer/` beside a SQLite database
    file, else beside app.py."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).expanduser().resolve().parent / "est-filer"
    return ROOT / "est-filer"


def console(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.local.console import run_console

    return run_console(
        settings.database_url,
        clock=build_clock(settings, _database(settings)),
        language=settings.language,
        files=console_files(settings.database_url),
        user=args.user,
        channel=args.channel,
        load_demo=args.demo,
    )


def audit(settings: Settings) -> int:
    services = build_services(settings, _console_notifier())
    report = services.audit.verify()
    if report.ok:
        print(f"Granskningsloggen är hel: {report.events} händelser kontrollerade.")
        return 0
    print(
        f"Granskningsloggen är BRUTEN vid händelse {report.broken_at}: {report.reason} "
        f"({report.events} händelser före den är hela)."
    )
    return 1


def gallra(settings: Settings, args: argparse.Namespace) -> int:
    """Retention now (what the clock does nightly); with --dry-run, only what would go."""
    from zoneinfo import ZoneInfo

    services = build_services(settings, _console_notifier())
    now = services.clock.now()
    retention = services.retention
    sweeps = retention.plan(now=now) if args.dry_run else retention.apply(now=now)
    verb = "skulle gallras" if args.dry_run else "gallrades"
    for sweep in sweeps:
        cutoff = sweep.cutoff.astimezone(ZoneInfo(settings.timezone)).date().isoformat()
        print(
            f"{sweep.group} ({sweep.months} månader, före {cutoff}): fritext {verb} i "
            f"{len(sweep.incidents)} händelser, {len(sweep.reports)} lägesrapporter och "
            f"{len(sweep.snapshots)} frysta lägesbilder"
            + (
                f"; {sweep.audit_events} loggposter fick kontrollsummor"
                if sweep.audit_events
                else ""
            )
            + (
                f"; {sweep.audit_kept} äldre loggposter kunde inte gallras"
                if sweep.audit_kept
                else ""
            )
        )
        if sweep.incidents:
            print("  händelser: " + ", ".join(f"#{i}" for i in sweep.incidents))
    if not sweeps:
        print("Inga grupper.")
    return 0


def export_all(settings: Settings, args: argparse.Namespace) -> int:
    """Everything one group holds, as JSON and CSV, for the registrar or an access request."""
    from bot.errors import BotError
    from bot.i18n import translator
    from bot.trust.registrar import export_group, find_group, write_export

    services = build_services(settings, _console_notifier())
    try:
        group = find_group(services.db, args.group)
    except BotError as error:
        print(translator(settings.language).render(error.message), file=sys.stderr)
        return 1
    now = services.clock.now()
    export = export_group(services.db, group, now=now)
    slug = "".join(c if c.isalnum() else "-" for c in group.name.lower()).strip("-")
    directory = Path(args.out or f"export-{slug}-{now:%Y%m%d-%H%M%S}")
    write_export(export, directory)
    rows = sum(export.counts().values())
    print(f"{group.name}: {rows} rader i {len(export.tables)} tabeller → {directory}/")
    print("  export.json och en CSV-fil per tabell; granskningsloggen ingår (audit_event.csv).")
    return 0


def import_incidents(settings: Settings, args: argparse.Namespace) -> int:
    """`import händelser FIL --group NAMN`: a spreadsheet from another system, as incidents."""
    from bot.errors import BotError
    from bot.i18n import translator
    from bot.incidents.imports.report import render
    from bot.incidents.imports.service import ImportRequest

    services = build_services(settings, _console_notifier())
    request = ImportRequest(
        Path(args.file),
        source=args.source or "",
        columns=args.map or "",
        organisation=args.organisation or "",
    )
    tr = translator(settings.language)
    if not request.path.is_file():
        print(tr.gettext("No file “{file}”.", file=args.file), file=sys.stderr)
        return 1
    bar = _progress_bar()
    try:
        report = services.imports.import_file(
            args.group,
            request,
            dry_run=args.dry_run,
            now=services.clock.now(),
            progress=bar.update if bar is not None else None,
        )
    except BotError as error:
        print(tr.render(error.message), file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
    print("\n".join(render(report, tr)))
    return 0


def _progress_bar() -> tqdm[Never] | None:
    """A progress bar on a terminal; nothing when the output goes to a file or a pipe."""
    if not sys.stdout.isatty():
        return None
    import shutil

    from tqdm import tqdm

    size = (
        shutil.get_terminal_size()
    )  # a terminal that says 0 × 0 (tqdm then hides its bar): 80 × 24
    return tqdm(
        unit=" rader", unit_scale=True, leave=False, ncols=min(size.columns, 100), nrows=size.lines
    )


def import_all(settings: Settings, args: argparse.Namespace) -> int:
    """export-all's inverse: one group's rows back into this database, in one transaction."""
    from bot.errors import BotError
    from bot.i18n import translator
    from bot.trust.restore import import_group, read_export

    services = build_services(settings, _console_notifier())
    directory = Path(args.directory)
    try:
        done = import_group(services.db, read_export(directory), now=services.clock.now())
    except BotError as error:
        print(translator(settings.language).render(error.message), file=sys.stderr)
        return 1
    where = f"{done.rows} rader i {done.tables} tabeller från {directory}/"
    print(f"{done.group} (#{done.group_id}): {where}")
    print(
        f"  {done.audit_events} loggposter lades till granskningsloggens kedja, och en om importen."
    )
    return 0


def run_tests(extra: list[str]) -> int:
    steps = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy", "."],
        ["pytest", *extra],
    ]
    for step in steps:
        print("$ " + " ".join(step), flush=True)
        code = subprocess.run([sys.executable, "-m", *step], cwd=ROOT, check=False).returncode  # noqa: S603
        if code != 0:
            return code
    return 0


# -------------------------------------------------------------------------------------------- CLI


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python app.py", description="EST-bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    sub.add_parser("clock", help="run the scheduler")
    con = sub.add_parser("console", help="the bot in the terminal, on the local database")
    con.add_argument("--user", default=None, help="Slack user id to act as (default: demo admin)")
    con.add_argument("--channel", default=None, help="channel id (default: the demo channel)")
    con.add_argument("--demo", action="store_true", help="load the Botkyrka demo data first")
    sub.add_parser("demo", help="load the Botkyrka demo workspace")
    sub.add_parser("migrate", help="upgrade the database schema")
    aud = sub.add_parser("audit", help="the audit log")
    aud.add_argument("action", choices=["verify"])
    gal = sub.add_parser("gallra", help="retention: clear free text past each group's period")
    gal.add_argument("--dry-run", action="store_true", help="only show what would be cleared")
    exp = sub.add_parser("export-all", help="everything a group holds, as JSON and CSV")
    exp.add_argument("--group", required=True, help="the group's name, or #id")
    exp.add_argument("--out", default=None, help="directory (default: export-<group>-<time>)")
    imp = sub.add_parser("import", help="import incidents from a CSV or XLSX file")
    imp.add_argument("what", choices=["händelser", "incidents"])
    imp.add_argument("file", help="the CSV or XLSX file")
    imp.add_argument("--group", required=True, help="the group's name, or #id")
    imp.add_argument("--dry-run", action="store_true", help="report only; save nothing")
    imp.add_argument("--map", default=None, help='columns to fields: "Adress=plats,Typ=kategori"')
    imp.add_argument("--källa", "--source", dest="source", default=None, help="source label")
    imp.add_argument("--organisation", default=None, help="for rows that name none")
    restore = sub.add_parser("import-all", help="a group back from export-all's directory")
    restore.add_argument("directory", help="the directory export-all wrote (with export.json)")
    sub.add_parser("test", help="ruff, mypy and pytest; extra arguments go to pytest")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error("unrecognized arguments: " + " ".join(extra))
    args.extra = extra
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.command == "test":
        return run_tests(args.extra)
    from dotenv import load_dotenv

    load_dotenv(ROOT / ".env")
    try:
        settings = read_settings(dict(os.environ))
        command = args.command or ("serve" if settings.has_slack else "console")
        if command == "serve":
            return serve(settings)
        if command == "console":
            args.user, args.channel = getattr(args, "user", None), getattr(args, "channel", None)
            args.demo = getattr(args, "demo", False)
            return console(settings, args)
        if command == "migrate":
            build_services(settings, _console_notifier())
            print("Databasen är uppdaterad.")
            return 0
        if command == "gallra":
            return gallra(settings, args)
        if command == "export-all":
            return export_all(settings, args)
        if command == "import":
            return import_incidents(settings, args)
        if command == "import-all":
            return import_all(settings, args)
        handlers = {"clock": clock, "demo": demo, "audit": audit}
        return handlers[command](settings)
    except SettingsError as error:
        print(f"Inställningsfel: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    ensure_environment(sys.argv[1:])
    sys.exit(main(sys.argv[1:]))
