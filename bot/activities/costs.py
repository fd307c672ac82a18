"""Costs of activities: amounts in öre, supplier and organisation number, invoice, funding.

The rules come from the 2023 grant dispute (domain.md §4): a description is required; a
payment to an association (ticked as one, or recognised by its organisation number or its name)
needs its legal name and a valid organisation number; a cost dated
outside its funding source's year is flagged; moving a cost to another activity needs a reason
and is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.activities.associations import is_association
from bot.activities.results import CostItem, cost_item
from bot.activities.rules import check_org_number
from bot.activities.service import changeable
from bot.actors import Actor
from bot.commands import fold
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.recording import Kind, check_since, window
from bot.rules import check_text, require
from storage.db import Database
from storage.models import ActivityCost, FundingSource, GrantAllocation, Role
from storage.repositories import UnitOfWork, snapshot

MAX_AMOUNT_ORE = 100_000_000_00  # 100 million kronor: past that it is a typing error
_AMOUNT = re.compile(r"^(\d{1,3}(?:[ .\u00a0]\d{3})+|\d+)(?:[,.:](\d{1,2}))?$")


def parse_amount(text: str) -> int:
    """'1 740 kr', '1740,50', '1.740:50', '12 000' → öre (integer). Never a float."""
    raw = text.strip().casefold().removesuffix("kr").removesuffix("sek").strip().rstrip(":-")
    raw = raw.replace("\u00a0", " ")
    match = _AMOUNT.match(raw)
    if match is None:
        raise InvalidInput(
            N_("Write the amount in kronor, e.g. 1 740 or 1 740,50."), field="amount"
        )
    kronor = int(re.sub(r"\D", "", match.group(1)))
    ore = int((match.group(2) or "0").ljust(2, "0"))
    total = kronor * 100 + ore
    if not 0 < total <= MAX_AMOUNT_ORE:
        raise InvalidInput(N_("The amount must be above 0 kr."), field="amount")
    return total


def parse_source(value: str) -> str:
    key = fold(value.strip())
    english = {"state grant": "statsbidrag", "own budget": "egen budget", "other": "annat"}
    key = fold(english.get(key, key))
    for source in FundingSource:
        if fold(source.value) == key or (len(key) >= 4 and fold(source.value).startswith(key)):
            return source.value
    raise InvalidInput(
        N_(
            "Unknown funding source “{value}”. Choose one of: {sources}.",
            value=value,
            sources=", ".join(s.value for s in FundingSource),
        ),
        field="funding",
    )


@dataclass(frozen=True)
class CostDraft:
    amount: str
    description: str
    supplier: str
    funding_source: str
    supplier_org_number: str = ""
    to_association: bool = False
    invoice_number: str = ""
    invoice_date: date | None = None
    grant_year: int | None = None
    diarienummer: str = ""
    project_code: str = ""


@dataclass(frozen=True)
class CheckedCost:
    amount_ore: int
    description: str
    supplier: str
    org_number: str | None
    to_association: bool  # ticked, or recognised by its number or name
    source: str
    invoice_number: str
    diarienummer: str
    project_code: str


def check_cost(draft: CostDraft) -> CheckedCost:
    """Every rule a single cost line must meet; the first broken one is raised, under its field."""
    amount = parse_amount(draft.amount)
    description = check_text(draft.description, "description", 1000)
    if not description:
        raise InvalidInput(
            N_("Say what the cost paid for: an auditor must be able to trace it."),
            field="description",
        )
    supplier = check_text(" ".join(draft.supplier.split()), "supplier", 200)
    number = draft.supplier_org_number.strip()
    org_number = check_org_number(number, "org_number") if number else None
    if draft.to_association and (not supplier or org_number is None):
        raise InvalidInput(
            N_(
                "A payment to an association needs the association's legal name and its "
                "organisation number."
            ),
            field="org_number" if supplier else "supplier",
        )
    if not supplier:
        raise InvalidInput(N_("Name the supplier."), field="supplier")
    association = is_association(supplier, org_number, draft.to_association)
    if association and org_number is None:  # named as one, box or not
        raise InvalidInput(
            N_(
                "“{supplier}” is an association by its name: a payment to an association needs "
                "its organisation number.",
                supplier=supplier,
            ),
            field="org_number",
        )
    source = parse_source(draft.funding_source)
    if source == FundingSource.STATSBIDRAG and draft.grant_year is None:
        raise InvalidInput(N_("Say which year's state grant pays for this."), field="grant_year")
    if draft.grant_year is not None and not 2000 <= draft.grant_year <= 2100:
        raise InvalidInput(N_("Write a year, e.g. 2026."), field="grant_year")
    return CheckedCost(
        amount,
        description,
        supplier,
        org_number,
        association,
        source,
        check_text(draft.invoice_number, "invoice_number", 64),
        check_text(draft.diarienummer, "diarienummer", 64),
        check_text(draft.project_code, "project_code", 64),
    )


class CostService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, actor: Actor, activity_id: int, draft: CostDraft, *, now: datetime) -> CostItem:
        group = require(actor, Role.MEDLEM)
        checked = check_cost(draft)
        if draft.invoice_date is not None:  # ahead is allowed: an invoice for what is coming
            win = window(now, ZoneInfo(group.timezone), group.started_on)
            check_since(draft.invoice_date, win, Kind.COST, field="invoice_date")
        with self.db.unit_of_work() as uow:
            activity = changeable(uow, actor, group.id, activity_id)
            row = uow.costs.add(
                ActivityCost(
                    group_id=group.id,
                    activity_id=activity_id,
                    amount_ore=checked.amount_ore,
                    description=checked.description,
                    supplier=checked.supplier,
                    supplier_org_number=checked.org_number,
                    to_association=checked.to_association,
                    invoice_number=checked.invoice_number,
                    invoice_date=draft.invoice_date,
                    funding_source=checked.source,
                    grant_year=draft.grant_year,
                    diarienummer=checked.diarienummer,
                    project_code=checked.project_code,
                    created_by=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            uow.audit.record_row("cost.created", row, actor=actor.user_id, at=now)
            day = activity.start_at.astimezone(ZoneInfo(group.timezone)).date()
            return cost_item(row, day)

    def move(
        self, actor: Actor, cost_id: int, to_activity: int, reason: str, *, now: datetime
    ) -> CostItem:
        """Move a cost line to another activity: only with a reason, which the audit keeps."""
        group = require(actor, Role.MEDLEM)
        reason = check_text(reason, "reason", 500)
        if not reason:
            raise InvalidInput(N_("Say why the cost moves to another activity."), field="reason")
        with self.db.unit_of_work() as uow:
            row = _cost_in(uow, group.id, cost_id)
            if row.activity_id == to_activity:
                raise InvalidInput(
                    N_("The cost already belongs to activity #{id}.", id=to_activity)
                )
            changeable(uow, actor, group.id, row.activity_id)
            target = changeable(uow, actor, group.id, to_activity)
            before = snapshot(row)
            row.activity_id, row.updated_at = to_activity, now
            uow.costs.save(row)
            uow.audit.record_row(
                "cost.moved",
                row,
                actor=actor.user_id,
                at=now,
                before=before,
                extra={"reason": reason},
            )
            return cost_item(row, target.start_at.astimezone(ZoneInfo(group.timezone)).date())

    def allocate(
        self,
        actor: Actor,
        year: int,
        source: str,
        amount: str,
        *,
        diarienummer: str = "",
        now: datetime,
    ) -> int:
        """Admins record what a funding source allocated for a year (spent against allocated)."""
        group = require(actor, Role.ADMIN)
        source, ore = parse_source(source), parse_amount(amount)
        with self.db.unit_of_work() as uow:
            row = uow.grants.allocation(group.id, year, source)
            before = snapshot(row) if row else None
            if row is None:
                row = GrantAllocation(
                    group_id=group.id,
                    year=year,
                    funding_source=source,
                    amount_ore=ore,
                    set_by=actor.user_id,
                    set_at=now,
                )
            row.amount_ore, row.set_by, row.set_at = ore, actor.user_id, now
            row.diarienummer = check_text(diarienummer, "diarienummer", 64) or row.diarienummer
            uow.grants.save(row)
            uow.audit.record_row("allocation.set", row, actor=actor.user_id, at=now, before=before)
            return ore


def _cost_in(uow: UnitOfWork, group_id: int, cost_id: int) -> ActivityCost:
    row = uow.costs.get(cost_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No cost #{id} in this group.", id=cost_id))
    return row
