"""The activity modals (new, follow-up, cost, motivation) and reading them back into drafts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import suppress
from datetime import date, time, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ExternalDataMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    TimePickerElement,
)

from bot.activities.results import ATTENDANCE, COUNTING_METHODS, PlannedActivity
from bot.activities.service import ActivityDraft, Candidate, FollowUp
from bot.errors import InvalidInput
from bot.i18n import N_, Translator
from handlers.activities.blocks import attendance_label, kind_label, method_label
from handlers.forms import (
    chosen,
    date_input,
    free_text_input,
    modal,
    number_input,
    picked_date,
    picked_time,
    select_input,
    selected,
    text,
    text_input,
    user_input,
    whole_number,
)
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.text import clip, escape
from storage.models import ActivityKind

ViewDict = dict[str, Any]


def candidate_label(tr: Translator, c: Candidate) -> str:
    what = tr.gettext("Incident") if c.kind == "incident" else tr.gettext("Report")
    return clip(f"{what} {c.happened} · {c.place} · {c.summary}", 75)


def candidate_option(tr: Translator, c: Candidate) -> Option:
    return Option(value=c.key, label=candidate_label(tr, c))


def build_new_modal(
    tr: Translator,
    *,
    channel: str,
    owner: str,
    today: date,
    places: Sequence[tuple[int, str]] = (),
    analysis: int | None = None,
) -> ViewDict:
    """A new activity; from a cause analysis's card, at its place and tied to it."""
    chosen_places = [Option(value=str(i), label=clip(n, 75)) for i, n in places]
    kinds = [Option(value=k.value, label=kind_label(tr, k.value)) for k in ActivityKind]
    blocks: list[Block] = [
        text_input(B.TITLE, tr.gettext("Activity")),
        select_input(B.KIND, tr.gettext("Kind"), kinds, action_id=A.KIND, initial=kinds[0].value),
        InputBlock(
            block_id=B.PLACES,
            label=tr.gettext("Places"),
            element=ExternalDataMultiSelectElement(
                action_id=A.PLACE,
                min_query_length=0,
                placeholder=tr.gettext("Type a place"),
                initial_options=chosen_places or None,
            ),
        ),
        date_input(
            B.DATE,
            tr.gettext("Date"),
            action_id=A.DATE,
            initial=(today + timedelta(days=7)).isoformat(),
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
        user_input(B.OWNER, tr.gettext("Owner"), action_id=A.OWNER, initial=owner),
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
        free_text_input(B.PURPOSE, tr.gettext("Purpose (no names)"), optional=True),
        text_input(B.TARGET_GROUP, tr.gettext("Target group"), optional=True),
        number_input(B.EXPECTED, tr.gettext("Expected participants"), optional=True, minimum=0),
        text_input(
            B.ORGANISERS,
            tr.gettext("Organisers, one a line"),
            multiline=True,
            optional=True,
            max_length=2000,
            hint=tr.gettext(
                "An association with its organisation number: “Norsborg FC; 802000-1239”"
            ),
        ),
    ]
    meta: dict[str, object] = {"c": channel}
    if analysis is not None:
        meta["analysis"] = analysis
    return modal(tr, Callback.ACTIVITY_NEW, tr.gettext("New activity"), blocks, meta)


def draft_from(view: ViewDict) -> ActivityDraft:
    day = picked_date(view, B.DATE, A.DATE)
    start = picked_time(view, B.START, A.START)
    end = picked_time(view, B.END, A.END)
    if not day:
        raise InvalidInput(N_("Choose the date."), field=B.DATE)
    if not start or not end:
        raise InvalidInput(
            N_("Choose when it starts and ends."), field=B.START if not start else B.END
        )
    places = chosen(view, B.PLACES, A.PLACE)
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
        expected_participants=whole_number(view, B.EXPECTED, B.EXPECTED),
        motivation=chosen(view, B.MOTIVATION, A.MOTIVATION),
        analysis_id=_analysis(view),
    )


def _analysis(view: ViewDict) -> int | None:
    with suppress(ValueError):
        found = json.loads(view.get("private_metadata") or "{}").get("analysis")
        return found if isinstance(found, int) else None
    return None


def chosen_places(view: ViewDict) -> list[int]:
    """The places already chosen in an open modal (for the motivation typeahead)."""
    meta_places: list[object] = []
    with suppress(ValueError):
        meta_places = json.loads(view.get("private_metadata") or "{}").get("places") or []
    typed = chosen(view, B.PLACES, A.PLACE)
    return [int(p) for p in [*typed, *map(str, meta_places)] if str(p).isdigit()]


def heading(a: PlannedActivity) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=f"*#{a.id} {escape(a.title)}*"))


def build_motivate_modal(tr: Translator, a: PlannedActivity, channel: str) -> ViewDict:
    blocks: list[Block] = [
        heading(a),
        InputBlock(
            block_id=B.MOTIVATION,
            label=tr.gettext("Motivated by (incidents and reports at the places)"),
            element=ExternalDataMultiSelectElement(action_id=A.MOTIVATION, min_query_length=0),
        ),
    ]
    meta = {"c": channel, "id": a.id, "places": list(a.place_ids)}
    return modal(tr, Callback.ACTIVITY_MOTIVATE, tr.gettext("Add motivation"), blocks, meta)


def motivation_from(view: ViewDict) -> list[str]:
    return chosen(view, B.MOTIVATION, A.MOTIVATION)


def build_follow_up_modal(tr: Translator, a: PlannedActivity, channel: str) -> ViewDict:
    methods = [Option(value=m, label=method_label(tr, m)) for m in COUNTING_METHODS]
    blocks: list[Block] = [
        heading(a),
        *(
            number_input(
                f"{B.ATTENDANCE}_{i}",
                tr.gettext("Attendance: {group}", group=attendance_label(tr, c)),
                optional=True,
                minimum=0,
            )
            for i, c in enumerate(ATTENDANCE)
        ),
        select_input(
            B.COUNTING_METHOD,
            tr.gettext("How was it counted?"),
            methods,
            action_id=A.COUNTING_METHOD,
        ),
        number_input(B.INCIDENTS_DURING, tr.gettext("Incidents during the activity"), minimum=0),
        free_text_input(B.EFFECT, tr.gettext("Observed effect (no names)"), optional=True),
    ]
    meta = {"c": channel, "id": a.id}
    return modal(tr, Callback.ACTIVITY_FOLLOW_UP, tr.gettext("Follow-up"), blocks, meta)


def follow_up_from(view: ViewDict) -> FollowUp:
    fields = {c: f"{B.ATTENDANCE}_{i}" for i, c in enumerate(ATTENDANCE)}
    counts = {c: whole_number(view, field, field) for c, field in fields.items()}
    during = whole_number(view, B.INCIDENTS_DURING, B.INCIDENTS_DURING)
    return FollowUp(
        attendance={c: n for c, n in counts.items() if n is not None},
        counting_method=selected(view, B.COUNTING_METHOD, A.COUNTING_METHOD) or "",
        incidents_during=during if during is not None else 0,
        effect=text(view, B.EFFECT, B.EFFECT),
    )
