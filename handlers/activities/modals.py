"""The activity modals (new, follow-up, cost, motivation) and reading them back into drafts."""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import date, time, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    ExternalDataMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.activities import ActivityDraft, Candidate, FollowUp
from bot.activity_views import ATTENDANCE, COUNTING_METHODS, FUNDING_SOURCES, ActivityView
from bot.costs import CostDraft
from bot.errors import InvalidInput
from bot.i18n import N_, Translator
from handlers.activities.blocks import attendance_label, kind_label, method_label
from handlers.forms import selected, state, text
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.text import clip, escape
from storage.models import ActivityKind

ViewDict = dict[str, Any]


def _modal(tr: Translator, callback: str, title: str, blocks: list[Block], meta: dict) -> ViewDict:
    view = View(
        type="modal",
        callback_id=callback,
        title=title,
        blocks=blocks,
        submit=tr.gettext("Save"),
        close=tr.gettext("Cancel"),
        private_metadata=json.dumps(meta),
    )
    return view.to_dict()


def _text_input(
    block: str,
    label: str,
    *,
    optional: bool = False,
    multiline: bool = False,
    max_length: int = 200,
    initial: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(
            action_id=block, multiline=multiline, max_length=max_length, initial_value=initial
        ),
    )


def _number(block: str, label: str, *, optional: bool = True) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=label,
        optional=optional,
        element=NumberInputElement(action_id=block, is_decimal_allowed=False, min_value=0),
    )


def candidate_label(tr: Translator, c: Candidate) -> str:
    what = tr.gettext("Incident") if c.kind == "incident" else tr.gettext("Report")
    return clip(f"{what} {c.happened} · {c.place} · {c.summary}", 75)


def candidate_option(tr: Translator, c: Candidate) -> Option:
    return Option(value=c.key, label=candidate_label(tr, c))


def build_new_modal(tr: Translator, *, channel: str, owner: str, today: date) -> ViewDict:
    kinds = [Option(value=k.value, label=kind_label(tr, k.value)) for k in ActivityKind]
    blocks: list[Block] = [
        _text_input(B.TITLE, tr.gettext("Activity")),
        InputBlock(
            block_id=B.KIND,
            label=tr.gettext("Kind"),
            element=StaticSelectElement(action_id=A.KIND, options=kinds, initial_option=kinds[0]),
        ),
        InputBlock(
            block_id=B.PLACES,
            label=tr.gettext("Places"),
            element=ExternalDataMultiSelectElement(
                action_id=A.PLACE, min_query_length=0, placeholder=tr.gettext("Type a place")
            ),
        ),
        InputBlock(
            block_id=B.DATE,
            label=tr.gettext("Date"),
            element=DatePickerElement(
                action_id=A.DATE, initial_date=(today + timedelta(days=7)).isoformat()
            ),
        ),
        InputBlock(
            block_id=B.START,
            label=tr.gettext("Starts"),
            element=TimePickerElement(action_id=A.START, initial_time="17:00"),
        ),
        InputBlock(
            block_id=B.END,
            label=tr.gettext("Ends (before the start: the next day)"),
            element=TimePickerElement(action_id=A.END, initial_time="20:00"),
        ),
        InputBlock(
            block_id=B.OWNER,
            label=tr.gettext("Owner"),
            element=UserSelectElement(action_id=A.OWNER, initial_user=owner),
        ),
        InputBlock(
            block_id=B.MOTIVATION,
            label=tr.gettext("Motivated by (incidents and reports at the places)"),
            optional=True,
            hint=tr.gettext("Without it the activity is saved as an unmotivated draft."),
            element=ExternalDataMultiSelectElement(
                action_id=A.MOTIVATION,
                min_query_length=0,
                placeholder=tr.gettext("Records at the chosen places"),
            ),
        ),
        _text_input(
            B.PURPOSE,
            tr.gettext("Purpose (no names)"),
            multiline=True,
            max_length=3000,
            optional=True,
        ),
        _text_input(B.TARGET_GROUP, tr.gettext("Target group"), optional=True),
        _number(B.EXPECTED, tr.gettext("Expected participants")),
        _text_input(
            B.ORGANISERS,
            tr.gettext("Organisers, one a line"),
            multiline=True,
            optional=True,
            max_length=2000,
            hint=tr.gettext(
                "An association with its organisation number: “Norsborg FC; 802000-1234”"
            ),
        ),
    ]
    return _modal(tr, Callback.ACTIVITY_NEW, tr.gettext("New activity"), blocks, {"c": channel})


def _int(view: ViewDict, block: str) -> int | None:
    raw = text(view, block, block).replace(" ", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(N_("Write a whole number from 0 up."), field=block)
    return int(raw)


def _chosen(view: ViewDict, block: str, action: str) -> list[str]:
    options = state(view, block, action).get("selected_options") or []
    return [str(o.get("value", "")) for o in options if o.get("value")]


def draft_from(view: ViewDict) -> ActivityDraft:
    day = state(view, B.DATE, A.DATE).get("selected_date")
    start = state(view, B.START, A.START).get("selected_time")
    end = state(view, B.END, A.END).get("selected_time")
    if not day:
        raise InvalidInput(N_("Choose the date."), field=B.DATE)
    if not start or not end:
        raise InvalidInput(
            N_("Choose when it starts and ends."), field=B.START if not start else B.END
        )
    places = _chosen(view, B.PLACES, A.PLACE)
    return ActivityDraft(
        title=text(view, B.TITLE, B.TITLE),
        kind=selected(view, B.KIND, A.KIND) or "",
        day=date.fromisoformat(day),
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        owner_user_id=selected(view, B.OWNER, A.OWNER) or "",
        place_ids=[int(p) for p in places if p.isdigit()],
        places=[p for p in places if not p.isdigit()],
        organisers=text(view, B.ORGANISERS, B.ORGANISERS),
        target_group=text(view, B.TARGET_GROUP, B.TARGET_GROUP),
        purpose=text(view, B.PURPOSE, B.PURPOSE),
        expected_participants=_int(view, B.EXPECTED),
        motivation=_chosen(view, B.MOTIVATION, A.MOTIVATION),
    )


def chosen_places(view: ViewDict) -> list[int]:
    """The places already chosen in an open modal (for the motivation typeahead)."""
    meta_places: list[object] = []
    with suppress(ValueError):
        meta_places = json.loads(view.get("private_metadata") or "{}").get("places") or []
    typed = _chosen(view, B.PLACES, A.PLACE)
    return [int(p) for p in [*typed, *map(str, meta_places)] if str(p).isdigit()]


def _heading(a: ActivityView) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=f"*#{a.id} {escape(a.title)}*"))


def build_motivate_modal(tr: Translator, a: ActivityView, channel: str) -> ViewDict:
    blocks: list[Block] = [
        _heading(a),
        InputBlock(
            block_id=B.MOTIVATION,
            label=tr.gettext("Motivated by (incidents and reports at the places)"),
            element=ExternalDataMultiSelectElement(action_id=A.MOTIVATION, min_query_length=0),
        ),
    ]
    meta = {"c": channel, "id": a.id, "places": list(a.place_ids)}
    return _modal(tr, Callback.ACTIVITY_MOTIVATE, tr.gettext("Add motivation"), blocks, meta)


def motivation_from(view: ViewDict) -> list[str]:
    return _chosen(view, B.MOTIVATION, A.MOTIVATION)


def build_follow_up_modal(tr: Translator, a: ActivityView, channel: str) -> ViewDict:
    methods = [Option(value=m, label=method_label(tr, m)) for m in COUNTING_METHODS]
    blocks: list[Block] = [
        _heading(a),
        *(
            _number(
                f"{B.ATTENDANCE}_{i}",
                tr.gettext("Attendance: {group}", group=attendance_label(tr, c)),
            )
            for i, c in enumerate(ATTENDANCE)
        ),
        InputBlock(
            block_id=B.COUNTING_METHOD,
            label=tr.gettext("How was it counted?"),
            element=StaticSelectElement(action_id=A.COUNTING_METHOD, options=methods),
        ),
        _number(B.INCIDENTS_DURING, tr.gettext("Incidents during the activity"), optional=False),
        _text_input(
            B.EFFECT,
            tr.gettext("Observed effect (no names)"),
            multiline=True,
            max_length=3000,
            optional=True,
        ),
    ]
    meta = {"c": channel, "id": a.id}
    return _modal(tr, Callback.ACTIVITY_FOLLOW_UP, tr.gettext("Follow-up"), blocks, meta)


def follow_up_from(view: ViewDict) -> FollowUp:
    counts = {c: _int(view, f"{B.ATTENDANCE}_{i}") for i, c in enumerate(ATTENDANCE)}
    during = _int(view, B.INCIDENTS_DURING)
    return FollowUp(
        attendance={c: n for c, n in counts.items() if n is not None},
        counting_method=selected(view, B.COUNTING_METHOD, A.COUNTING_METHOD) or "",
        incidents_during=during if during is not None else 0,
        effect=text(view, B.EFFECT, B.EFFECT),
    )


def build_cost_modal(tr: Translator, a: ActivityView, channel: str, year: int) -> ViewDict:
    sources = [Option(value=s, label=s) for s in FUNDING_SOURCES]
    blocks: list[Block] = [
        _heading(a),
        _text_input(
            B.AMOUNT,
            tr.gettext("Amount (kr)"),
            max_length=20,
            hint=tr.gettext("Kronor and öre, e.g. 1 740,50"),
        ),
        _text_input(B.DESCRIPTION, tr.gettext("What it paid for"), max_length=1000),
        _text_input(B.SUPPLIER, tr.gettext("Supplier (legal name)")),
        _text_input(
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
        _text_input(B.INVOICE_NUMBER, tr.gettext("Invoice number"), optional=True, max_length=64),
        InputBlock(
            block_id=B.INVOICE_DATE,
            label=tr.gettext("Invoice date"),
            optional=True,
            element=DatePickerElement(action_id=A.INVOICE_DATE),
        ),
        InputBlock(
            block_id=B.FUNDING,
            label=tr.gettext("Funding source"),
            element=StaticSelectElement(
                action_id=A.FUNDING, options=sources, initial_option=sources[0]
            ),
        ),
        _text_input(
            B.GRANT_YEAR, tr.gettext("Grant year"), optional=True, max_length=4, initial=str(year)
        ),
        _text_input(B.DIARIENUMMER, tr.gettext("Diarienummer"), optional=True, max_length=64),
        _text_input(B.PROJECT_CODE, tr.gettext("Project code"), optional=True, max_length=64),
    ]
    meta = {"c": channel, "id": a.id}
    return _modal(tr, Callback.ACTIVITY_COST, tr.gettext("Add a cost"), blocks, meta)


def cost_from(view: ViewDict) -> CostDraft:
    invoice_date = state(view, B.INVOICE_DATE, A.INVOICE_DATE).get("selected_date")
    year = text(view, B.GRANT_YEAR, B.GRANT_YEAR)
    if year and not year.isdigit():
        raise InvalidInput(N_("Write a year, e.g. 2026."), field=B.GRANT_YEAR)
    return CostDraft(
        amount=text(view, B.AMOUNT, B.AMOUNT),
        description=text(view, B.DESCRIPTION, B.DESCRIPTION),
        supplier=text(view, B.SUPPLIER, B.SUPPLIER),
        funding_source=selected(view, B.FUNDING, A.FUNDING) or "",
        supplier_org_number=text(view, B.ORG_NUMBER, B.ORG_NUMBER),
        to_association=bool(_chosen(view, B.ASSOCIATION, A.ASSOCIATION)),
        invoice_number=text(view, B.INVOICE_NUMBER, B.INVOICE_NUMBER),
        invoice_date=date.fromisoformat(invoice_date) if invoice_date else None,
        grant_year=int(year) if year else None,
        diarienummer=text(view, B.DIARIENUMMER, B.DIARIENUMMER),
        project_code=text(view, B.PROJECT_CODE, B.PROJECT_CODE),
    )
