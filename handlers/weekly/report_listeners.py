"""`/est rapport` and the report form: an organisation's lägesrapport for the week's meeting,
page by page when its places are more than one modal holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.actors import Actor
from bot.commands import Sub
from bot.errors import BotError
from bot.i18n import Translator
from bot.services import Services
from bot.weekly.reports import EntryDraft, WeeklyReport
from handlers.commands.router import Invocation, Router, error_message
from handlers.forms import selected, text
from handlers.ids import Action, Block, Callback
from handlers.interactions import (
    Body,
    View,
    actor_of,
    error_block,
    metadata,
    modal_submitted,
    opens_modal,
    tr_for,
)
from handlers.replies import build_text
from handlers.weekly import forms, report_form, shortcut


def _report_form(actor: Actor, services: Services, body: Body) -> View:
    """The "Lämna lägesrapport" button of the call and the nudge."""
    form = services.reports.form(actor, now=services.clock.now())
    return report_form.build_report_modal(tr_for(actor, {}), form, channel=actor.channel_id)


def report(inv: Invocation) -> None:
    """`/est rapport [vNN] [plats, plats]`: the report for the meeting meant now, for the user's
    organisation, in a form that says which meeting and why; named places are added to those
    with incidents. A week typed may be an earlier meeting's within the recording window (a
    report registered afterwards), never a later one."""
    asked = forms.report_command(inv.args)
    form = inv.services.reports.form(inv.actor, now=inv.now, add=asked.places, week_text=asked.week)
    view = report_form.build_report_modal(inv.tr, form, channel=inv.actor.channel_id)
    inv.acknowledge()
    inv.client.views_open(trigger_id=inv.trigger_id, view=view)


def _entries(view: View) -> list[EntryDraft]:
    entries = []
    for place_id in metadata(view).get("places", []):
        level = selected(view, f"level_{place_id}", Action.LEVEL)
        trend = selected(view, f"trend_{place_id}", Action.TREND) or "oförändrat"
        if level:
            observations = text(view, f"obs_{place_id}", Action.OBSERVATIONS)
            entries.append(EntryDraft(int(place_id), level, trend, observations))
    return entries


def _save_report(actor: Actor, services: Services, view: View) -> WeeklyReport:
    """The report form's last (or only) page; after earlier pages, only this page's places.
    It saves to the week the form was opened for."""
    notes, meta = text(view, Block.NOTES, Action.NOTES), metadata(view)
    only = meta["places"] if int(meta.get("p", 1)) > 1 else None
    return services.reports.save(
        actor,
        _entries(view),
        notes=notes,
        only=only,
        now=services.clock.now(),
        for_week=_for_week(meta),
    )


def _for_week(meta: dict[str, Any]) -> tuple[int, int] | None:
    year, week = meta.get("w") or (None, None)  # the week the form was opened for
    return (int(year), int(week)) if year and week else None


def report_page_submitted(
    ack: Ack, body: Body, view: View, services: Services, context: dict[str, Any]
) -> None:
    """A page of a report form longer than one modal, not the last: its places are saved and
    the next page takes its place; a refusal stays in the form, under its field."""
    meta = metadata(view)
    actor = actor_of(body, services, meta.get("c"))
    tr = tr_for(actor, context)
    try:
        following = services.reports.save_page(
            actor,
            _entries(view),
            shown=meta["places"],
            following=meta["rest"],
            now=services.clock.now(),
            for_week=_for_week(meta),
        )
    except BotError as error:
        block = error_block(view, getattr(error, "field", None), f"level_{meta['places'][0]}")
        ack(response_action="errors", errors={block: error_message(tr, error)["text"]})
        return
    page = report_form.build_report_modal(
        tr,
        following,
        channel=meta.get("c") or actor.channel_id,
        page=int(meta["p"]) + 1,
        pages=int(meta["n"]),
        saves_to=_for_week(meta),
    )
    ack(response_action="update", view=page)


def _report_submitted(last_page: Callable[..., None]) -> Callable[..., None]:
    """The report form's submission: a page with more to follow, or the last page."""

    def listener(
        ack: Ack,
        body: Body,
        view: View,
        services: Services,
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        if metadata(view).get("rest"):
            report_page_submitted(ack, body, view, services, context)
            return
        last_page(ack=ack, body=body, view=view, services=services, client=client, context=context)

    return listener


def _report_saved(
    saved: WeeklyReport, actor: Actor, body: Body, client: WebClient, tr: Translator
) -> None:
    message = report_form.report_saved_text(tr, saved)
    client.chat_postMessage(channel=actor.user_id, **build_text(message))


def register(app: App, router: Router) -> None:
    router.route(Sub.REPORT)(report)
    app.action(Action.OPEN_REPORT)(opens_modal(_report_form))
    last_page = modal_submitted(_save_report, Block.NOTES, then=_report_saved)
    app.view(Callback.REPORT)(_report_submitted(last_page))
    shortcut.register(app)  # "Spara som lägesrapport"
