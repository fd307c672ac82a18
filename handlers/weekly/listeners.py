"""`/est rapport`, `/est lägesbild [vNN | plats X]`, `/est möte`: the weekly cycle in Slack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.actors import Actor
from bot.commands import Sub
from bot.errors import BotError
from bot.i18n import Translator
from bot.services import Services
from bot.weekly.meetings import MeetingDecision
from bot.weekly.reports import EntryDraft, WeeklyReport
from bot.weekly.settings import MeetingSettings
from handlers.actions.blocks import build_action_modal
from handlers.commands.router import Invocation, Router, error_message
from handlers.forms import selected, state, text, whole_number
from handlers.groups.listeners import organisation_options
from handlers.ids import Action, Block, Callback
from handlers.incidents.listeners import place_options
from handlers.interactions import (
    Body,
    Press,
    View,
    actor_of,
    error_block,
    metadata,
    modal_submitted,
    opens_modal,
    pressed,
    tr_for,
)
from handlers.maps import upload_map
from handlers.replies import build_text
from handlers.text import group_today
from handlers.weekly import blocks, forms, report_form, shortcut


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


def picture(inv: Invocation) -> None:
    """`/est lägesbild [vNN]`, `… plats <place>` or `… ändra vNN <orsak>`."""
    meetings, actor, now = inv.services.meetings, inv.actor, inv.now
    match forms.picture_command(inv.args):
        case forms.CorrectPicture(week, reason):  # a new frozen version
            corrected = meetings.correct(actor, week, reason, now=now)
            _reply_in_parts(inv, blocks.build_picture(inv.tr, corrected))
        case forms.PlaceHistory(name):
            place, weeks = meetings.place_history(actor, name, now=now)
            inv.reply(blocks.build_history(inv.tr, place, weeks))
        case forms.ShowPicture(week):
            messages = blocks.build_picture(inv.tr, meetings.picture(actor, week, now=now))
            _reply_in_parts(inv, messages)
        case forms.PictureMap(week):
            _post_map(inv, week)


def _post_map(inv: Invocation, week: str) -> None:
    inv.acknowledge()  # drawing (and fetching tiles) takes a moment
    upload_map(inv, inv.services.maps.picture(inv.actor, week, now=inv.now))


REPLIES = 6  # the acknowledgement and the five posts a command's response_url takes


def _reply_in_parts(inv: Invocation, messages: list[dict[str, Any]]) -> None:
    """A large picture continues in further messages; past what one reply can carry, all its
    parts come as a direct message instead (the reply says so)."""
    if len(messages) <= REPLIES:
        for message in messages:
            inv.reply(message)
        return
    notice = inv.tr.gettext(
        "The lägesbild has {n} parts, more than a reply holds: they come to you as a direct "
        "message.",
        n=len(messages),
    )
    inv.reply(build_text(notice))
    for message in messages:
        inv.client.chat_postMessage(channel=inv.actor.user_id, **message)


def meeting(inv: Invocation) -> None:
    """`/est möte`: the agenda, posted in the channel, with buttons for the meeting. Opening the
    meeting writes, so Slack is acknowledged first; a refusal follows through response_url."""
    inv.acknowledge()
    meeting_id, agenda = inv.services.meetings.open(inv.actor, now=inv.now)
    assert inv.actor.group is not None
    for message in blocks.build_picture(inv.tr, agenda, meeting_id=meeting_id):
        inv.client.chat_postMessage(channel=inv.actor.group.channel_id, **message)


# -- interactions ------------------------------------------------------------------------------


def _decision_form(actor: Actor, services: Services, body: Body) -> View:
    meeting_id = int(body["actions"][0]["value"])
    agenda = services.meetings.picture(actor, now=services.clock.now())
    return blocks.build_decision_modal(tr_for(actor, {}), agenda, meeting_id, actor.channel_id)


def _action_form(actor: Actor, services: Services, body: Body) -> View:
    meeting_id, year, week = (int(x) for x in body["actions"][0]["value"].split(":"))
    return build_action_modal(
        tr_for(actor, {}),
        channel=actor.channel_id,
        owner=actor.user_id,
        today=group_today(actor, services.clock.now()),
        week=(year, week),
        decision=f"meeting:{meeting_id}",
    )


def set_level(press: Press) -> None:
    """A place's menu on the agenda: set the joint level (the agenda is redrawn with it), or a
    new action at the place."""
    meeting_id, place_id, level = press.action["selected_option"]["value"].split(":")
    actor, tr = press.actor, press.tr
    if level == "action":  # "Ny åtgärd här…": the action form with the place and the week
        name, year, week = press.services.meetings.action_place(
            actor, int(meeting_id), int(place_id)
        )
        view = build_action_modal(
            tr,
            channel=actor.channel_id,
            owner=actor.user_id,
            today=group_today(actor, press.services.clock.now()),
            places=[(int(place_id), name)],
            week=(year, week),
            decision=f"meeting:{meeting_id}",
        )
        press.open(view)
        return
    agenda = press.services.meetings.set_level(
        actor, int(meeting_id), int(place_id), level, now=press.services.clock.now()
    )
    shown = press.body.get("message")
    press.replace(blocks.build_agenda_part(tr, agenda, int(meeting_id), shown))
    label = blocks.level_label(tr, level)
    press.answer(build_text(tr.gettext("Joint level set: {level}.", level=label)))


def close_meeting(press: Press) -> None:
    minutes = press.services.meetings.close(
        press.actor, int(press.action["value"]), now=press.services.clock.now()
    )
    assert press.actor.group is not None
    for message in blocks.build_minutes(press.tr, minutes):
        press.client.chat_postMessage(channel=press.actor.group.channel_id, **message)


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


def _meeting_settings_form(actor: Actor, services: Services, body: Body) -> View:
    current = services.meeting_settings.get(actor)
    return blocks.build_meeting_settings_modal(tr_for(actor, {}), current, actor.channel_id)


def _hours(view: View, block: str) -> int:
    return whole_number(view, block, block, negative=True, required=True)


def _save_meeting_settings(actor: Actor, services: Services, view: View) -> MeetingSettings:
    chosen = state(view, Block.REPORTING, Block.REPORTING).get("selected_options") or []
    settings = MeetingSettings(
        meeting_weekday=int(selected(view, Block.MEETING_WEEKDAY, Block.MEETING_WEEKDAY) or 1),
        meeting_time=str(state(view, Block.MEETING_TIME, Block.MEETING_TIME).get("selected_time")),
        deadline_weekday=int(selected(view, Block.DEADLINE_WEEKDAY, Block.DEADLINE_WEEKDAY) or 0),
        deadline_time=str(
            state(view, Block.DEADLINE_TIME, Block.DEADLINE_TIME).get("selected_time")
        ),
        call_lead_hours=_hours(view, Block.CALL_LEAD),
        nudge_lead_hours=_hours(view, Block.NUDGE_LEAD),
        reporting=tuple(int(o["value"]) for o in chosen),
    )
    return services.meeting_settings.save(actor, settings, now=services.clock.now())


def _save_decision(actor: Actor, services: Services, view: View) -> MeetingDecision:
    due = state(view, Block.DUE, Action.DUE).get("selected_date")
    place = selected(view, Block.PLACE, Action.PLACE_CHOICE)
    return services.meetings.decide(
        actor,
        int(metadata(view)["meeting"]),
        text(view, Block.DECISION, Action.DECISION_TEXT),
        place_id=int(place) if place else None,
        owner=selected(view, Block.OWNER, Action.OWNER),
        due=date.fromisoformat(due) if due else None,
        now=services.clock.now(),
    )


def register(app: App, router: Router) -> None:
    router.route(Sub.REPORT)(report)
    router.route(Sub.PICTURE)(picture)
    router.route(Sub.MEETING)(meeting)
    app.action(Action.OPEN_REPORT)(opens_modal(_report_form))
    app.action(Action.OPEN_MEETING_SETTINGS)(opens_modal(_meeting_settings_form))
    app.view(Callback.MEETING_SETTINGS)(
        modal_submitted(_save_meeting_settings, Block.MEETING_WEEKDAY)
    )
    app.action(Action.DECISION)(opens_modal(_decision_form))
    app.action(Action.MEETING_ACTION)(opens_modal(_action_form))
    app.action(Action.SET_LEVEL)(pressed(set_level))
    app.action(Action.CLOSE_MEETING)(pressed(close_meeting))
    last_page = modal_submitted(_save_report, Block.NOTES, then=_report_saved)
    app.view(Callback.REPORT)(_report_submitted(last_page))
    app.view(Callback.DECISION)(modal_submitted(_save_decision, Block.DECISION))
    app.options(Block.REPORTING)(organisation_options)  # the menu past 100 organisations
    app.options(Action.PLACE_CHOICE)(place_options)  # the decision's place, past 100 places
    shortcut.register(app)  # "Spara som lägesrapport"
