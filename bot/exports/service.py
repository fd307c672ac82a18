"""Exports people take to their meetings: incidents as CSV and XLSX, the annual lägesbild as PDF
and XLSX, an activity's evidence pack as PDF and XLSX, the grant year report as XLSX. The files
are made here (no Slack); the edge sends them to the requester by DM.

Each export is recorded in the audit log (who took which data out, and when).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.activities.evidence import EvidenceService
from bot.activities.evidence_pdf import evidence_pdf
from bot.activities.evidence_xlsx import evidence_xlsx
from bot.activities.grant_xlsx import grant_xlsx
from bot.actors import Actor
from bot.analysis.period_files import period_tables
from bot.analysis.ranking import PeriodService
from bot.errors import InvalidInput
from bot.exports.annual.concern import needs
from bot.exports.annual.document import Annual, annual_pdf, annual_xlsx
from bot.exports.annual.facts import gather, span_of
from bot.exports.formats import ExportFile, Table, local_text, to_csv, to_pdf, to_xlsx
from bot.i18n import N_, translator
from bot.incidents.columns import IncidentRecord, Reader, incident_table
from bot.places.service import resolve
from bot.rules import require
from bot.timeparse import NoSuchWeek, Period, parse_period, split_period
from storage.db import Database
from storage.models import Place, Role
from storage.repositories import UnitOfWork

MIN_YEAR = 2000


def slug(text: str) -> str:
    """'Fittja centrum v. 47' → 'fittja-centrum-v-47': safe in any file name."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def split_leading_period(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[Period | None, str]:
    """'v47 Fittja centrum' → (v47, 'Fittja centrum'); a period last is understood too."""
    words = text.split()
    for count in range(min(4, len(words)), 0, -1):
        try:
            leading = parse_period(" ".join(words[:count]), now=now, tz=tz)
        except NoSuchWeek:
            raise  # "v54 Fittja": a week was meant, and there is none
        except InvalidInput:
            continue
        return leading, " ".join(words[count:])
    place, trailing = split_period(text, now=now, tz=tz)
    return trailing, place


_YEAR_WORDS = {
    "i år": 0,
    "i ar": 0,
    "this year": 0,
    "förra året": -1,
    "forra aret": -1,
    "i fjol": -1,
    "last year": -1,
}


def annual_year(args: str, this_year: int) -> int:
    """'2026', 'i år', 'förra året' / 'i fjol' (nothing: this year); a year not begun, or not a
    year, is refused, saying what was understood."""
    text = " ".join(args.split())
    if not text or text.casefold() in _YEAR_WORDS:
        return this_year + _YEAR_WORDS.get(text.casefold(), 0)
    if not text.isdecimal():
        raise InvalidInput(
            N_(
                "“{text}” is not a year I know. Write the year, e.g. `/est export lägesbild "
                "{year}`, or “i år” or “förra året”.",
                text=text,
                year=this_year,
            )
        )
    year = int(text)
    if year > this_year:
        raise InvalidInput(
            N_(
                "{asked} has not begun: the annual lägesbild can be made for {first}–{year}, "
                "e.g. `/est export lägesbild {year}`.",
                asked=year,
                first=MIN_YEAR,
                year=this_year,
            )
        )
    if year < MIN_YEAR:
        raise InvalidInput(
            N_(
                "The bot holds no records from {asked}; the first year is {first}.",
                asked=year,
                first=MIN_YEAR,
            )
        )
    return year


def _number(args: str, example: str) -> int:
    """'17' or '#17'; else how to write it, with the example."""
    word = args.strip().lstrip("#")
    if not word.isdecimal():
        raise InvalidInput(N_("Write for example `/est export {example}`.", example=example))
    return int(word)


class ExportService:
    def __init__(self, db: Database, evidence: EvidenceService) -> None:
        self.db = db
        self.evidence = evidence
        self.periods = PeriodService(db)

    def period(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export analys [kvartal | tertial] [2026-Q3]`: the period analysis (PDF, XLSX)."""
        analysis = self.periods.report(actor, args, now=now)
        tr, tz = translator(actor.language), ZoneInfo(analysis_tz(actor))
        period = analysis.period
        with self.db.unit_of_work() as uow:
            _audit(
                uow,
                actor,
                actor.group.id if actor.group else 0,
                now,
                "analys",
                period.first,
                period.last,
                len(analysis.places),
            )
        title = tr.gettext(
            "Period analysis {label}: {group}", label=period.label, group=analysis.group
        )
        subtitle = (
            tr.gettext(
                "{first} – {last}, against the period before ({before}) and the same period a year "
                "before ({year}). Made {made} from the EST group's records.",
                first=period.first.isoformat(),
                last=period.last.isoformat(),
                before=period.before().label,
                year=period.year_before().label,
                made=local_text(now, tz),
            )
            + "\n"
            + tr.gettext(
                "Places ranked by need: incidents, their rise over the period before, 3 for every "
                "serious week, 1 for every worrying week, 2 for every overdue action."
            )
        )
        tables = period_tables(tr, analysis)
        stem = f"periodanalys-{period.label}"
        return [
            ExportFile(f"{stem}.pdf", title, to_pdf(title, subtitle, tables, footer=title)),
            ExportFile(f"{stem}.xlsx", title, to_xlsx(tables)),
        ]

    def incidents(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export händelser [period] [plats]`: every incident, this year by default."""
        group = require(actor, Role.LASARE)
        tz, tr = ZoneInfo(group.timezone), translator(actor.language)
        asked, place_text = split_leading_period(args.strip(), now=now, tz=tz)
        period = asked or parse_period("i år", now=now, tz=tz)
        reader = Reader(tz, tr, actor.member.organisation.id if actor.member else None)
        with self.db.unit_of_work() as uow:
            place = resolve(uow, actor, group.id, place_text) if place_text.strip() else None
            found = uow.exports.incidents(
                group.id, period.start, period.end, place_id=place.id if place else None
            )
            headers, rows = incident_table([IncidentRecord(*row) for row in found], reader)
            first = period.start.astimezone(tz).date()
            last = (period.end - timedelta(microseconds=1)).astimezone(tz).date()
            _audit(uow, actor, group.id, now, "händelser", first, last, len(rows), place)
        title = tr.gettext("Incidents") + f" {tr.render(period.label)}"
        if place is not None:
            title += f", {place.name}"
        table = Table(title, headers, rows)
        name = slug(f"handelser {first.isoformat()} {last.isoformat()} {place_text}")
        return [
            ExportFile(f"{name}.csv", title, to_csv(table)),
            ExportFile(f"{name}.xlsx", title, to_xlsx([table])),
        ]

    def yearly_picture(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export lägesbild 2026`: the annual report (PDF and XLSX)."""
        group = require(actor, Role.LASARE)
        tz, tr = ZoneInfo(group.timezone), translator(actor.language)
        today = now.astimezone(tz).date()
        year = annual_year(args, today.year)
        with self.db.unit_of_work() as uow:
            facts = gather(uow, group.id, span_of(year, today), tz, tr)
            _audit(uow, actor, group.id, now, "lägesbild", date(year, 1, 1), date(year, 12, 31), 0)
        doc = Annual(tr, tz, group.name, facts, needs(facts, today), local_text(now, tz), today)
        return [
            ExportFile(f"lagesbild-{year}.pdf", doc.title, annual_pdf(doc)),
            ExportFile(f"lagesbild-{year}.xlsx", doc.title, annual_xlsx(doc)),
        ]

    def activity(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export aktivitet 17`: the activity's evidence pack (PDF and XLSX)."""
        activity_id = _number(args, "aktivitet 17")
        pack = self.evidence.activity_pack(actor, activity_id, now=now)
        stem = f"aktivitet-{activity_id}-{now:%Y%m%d-%H%M}"
        title = translator(actor.language).gettext(
            "evidence pack for activity #{id} {title}", id=activity_id, title=pack.activity.title
        )
        return [
            ExportFile(f"{stem}.pdf", title, evidence_pdf(pack)),
            ExportFile(f"{stem}.xlsx", title, evidence_xlsx(pack)),
        ]

    def grant(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export bidrag 2026`: the grant year report (XLSX)."""
        year = _number(args, "bidrag 2026")
        report = self.evidence.grant_report(actor, year, now=now)
        title = translator(actor.language).gettext("Grant year {year}", year=year)
        return [ExportFile(f"bidrag-{year}-{now:%Y%m%d-%H%M}.xlsx", title, grant_xlsx(report))]


def analysis_tz(actor: Actor) -> str:
    return actor.group.timezone if actor.group else "Europe/Stockholm"


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    group_id: int,
    now: datetime,
    kind: str,
    first: date,
    last: date,
    rows: int,
    place: Place | None = None,
) -> None:
    uow.audit.record(
        "export.created",
        entity="export",
        entity_id=None,
        actor=actor.user_id,
        at=now,
        group_id=group_id,
        after={
            "kind": kind,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "place": place.name if place else None,
            "rows": rows,
        },
    )
