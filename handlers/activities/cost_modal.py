"""The cost and document forms of an activity and reading them back into drafts."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
)

from bot.activities.costs import CostDraft
from bot.activities.documents import DocumentDraft
from bot.activities.results import DOCUMENT_KINDS, FUNDING_SOURCES, PlannedActivity
from bot.errors import InvalidInput
from bot.i18n import N_, Translator
from handlers.activities.blocks import document_kind_label, funding_label
from handlers.activities.modals import ViewDict, heading
from handlers.forms import (
    chosen,
    date_input,
    modal,
    picked_date,
    select_input,
    selected,
    text,
    text_input,
)
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback


def build_cost_modal(tr: Translator, a: PlannedActivity, channel: str, year: int) -> ViewDict:
    sources = [Option(value=s, label=funding_label(tr, s)) for s in FUNDING_SOURCES]
    blocks: list[Block] = [
        heading(a),
        text_input(
            B.AMOUNT,
            tr.gettext("Amount (kr)"),
            max_length=20,
            hint=tr.gettext("Kronor and öre, e.g. 1 740,50"),
        ),
        text_input(B.DESCRIPTION, tr.gettext("What it paid for"), max_length=1000),
        text_input(B.SUPPLIER, tr.gettext("Supplier (legal name)")),
        text_input(
            B.ORG_NUMBER, tr.gettext("Supplier's organisation number"), optional=True, max_length=13
        ),
        InputBlock(
            block_id=B.ASSOCIATION,
            label=tr.gettext("Payment to an association"),
            optional=True,
            element=CheckboxesElement(
                action_id=A.ASSOCIATION,
                options=[Option(value="yes", label=tr.gettext("Yes, an association (förening)"))],
            ),
        ),
        text_input(B.INVOICE_NUMBER, tr.gettext("Invoice number"), optional=True, max_length=64),
        date_input(
            B.INVOICE_DATE, tr.gettext("Invoice date"), action_id=A.INVOICE_DATE, optional=True
        ),
        select_input(
            B.FUNDING,
            tr.gettext("Funding source"),
            sources,
            action_id=A.FUNDING,
            initial=sources[0].value,
        ),
        text_input(
            B.GRANT_YEAR, tr.gettext("Grant year"), optional=True, max_length=4, initial=str(year)
        ),
        text_input(B.DIARIENUMMER, tr.gettext("Diarienummer"), optional=True, max_length=64),
        text_input(B.PROJECT_CODE, tr.gettext("Project code"), optional=True, max_length=64),
    ]
    meta = {"c": channel, "id": a.id}
    return modal(tr, Callback.ACTIVITY_COST, tr.gettext("Add a cost"), blocks, meta)


def cost_from(view: ViewDict) -> CostDraft:
    invoice_date = picked_date(view, B.INVOICE_DATE, A.INVOICE_DATE)
    year = text(view, B.GRANT_YEAR, B.GRANT_YEAR)
    if year and not year.isdigit():
        raise InvalidInput(N_("Write a year, e.g. 2026."), field=B.GRANT_YEAR)
    return CostDraft(
        amount=text(view, B.AMOUNT, B.AMOUNT),
        description=text(view, B.DESCRIPTION, B.DESCRIPTION),
        supplier=text(view, B.SUPPLIER, B.SUPPLIER),
        funding_source=selected(view, B.FUNDING, A.FUNDING) or "",
        supplier_org_number=text(view, B.ORG_NUMBER, B.ORG_NUMBER),
        to_association=bool(chosen(view, B.ASSOCIATION, A.ASSOCIATION)),
        invoice_number=text(view, B.INVOICE_NUMBER, B.INVOICE_NUMBER),
        invoice_date=date.fromisoformat(invoice_date) if invoice_date else None,
        grant_year=int(year) if year else None,
        diarienummer=text(view, B.DIARIENUMMER, B.DIARIENUMMER),
        project_code=text(view, B.PROJECT_CODE, B.PROJECT_CODE),
    )


def build_document_modal(tr: Translator, a: PlannedActivity, channel: str) -> ViewDict:
    kinds = [Option(value=k, label=document_kind_label(tr, k)) for k in DOCUMENT_KINDS]
    blocks: list[Block] = [
        heading(a),
        select_input(B.KIND, tr.gettext("Kind of document"), kinds, action_id=A.KIND),
        text_input(B.TITLE, tr.gettext("What it is (no names)")),
        date_input(
            B.DATE,
            tr.gettext("Signed or issued on"),
            action_id=A.DATE,
            hint=tr.gettext(
                "The date on the document when it was signed, not when it was printed."
            ),
        ),
        text_input(
            B.REFERENCE,
            tr.gettext("Where the original is (diarienummer, file or link)"),
            optional=True,
            max_length=300,
        ),
    ]
    meta = {"c": channel, "id": a.id}
    return modal(tr, Callback.ACTIVITY_DOCUMENT, tr.gettext("Add a document"), blocks, meta)


def document_from(view: ViewDict) -> DocumentDraft:
    day = picked_date(view, B.DATE, A.DATE)
    return DocumentDraft(
        kind=selected(view, B.KIND, A.KIND) or "",
        title=text(view, B.TITLE, B.TITLE),
        document_date=date.fromisoformat(day) if day else None,
        reference=text(view, B.REFERENCE, B.REFERENCE),
    )
