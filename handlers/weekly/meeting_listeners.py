"""`/est lägesbild [vNN | plats X | karta | ändra vNN orsak]` and `/est möte`: the week's
lägesbild, the meeting's agenda with its levels, decisions and actions, its minutes, and the
meeting settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import App

from bot.actors import Actor
from bot.commands import Sub
from bot.services import Services
from bot.weekly.meetings import MeetingDecision
from bot.weekly.settings import MeetingSettings
from handlers.actions.blocks import build_action_modal
from handlers.commands.router import Invocation, Router
from handlers.forms import selected, state, text, whole_number
from handlers.groups.listeners import organisation_options
from handlers.ids import Action, Block, Callback
from handlers.incidents.listeners import place_options
from handlers.interactions import (
    Body,
    Press,
    View,
    metadata,
    modal_submitted,
    opens_modal,
    pressed,
    tr_for,
)
from handlers.maps import upload_map
from handlers.replies import build_text
from handlers.text import group_today
from handlers.weekly import blocks, forms


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
    router.route(Sub.PICTURE)(picture)
    router.route(Sub.MEETING)(meeting)
    app.action(Action.OPEN_MEETING_SETTINGS)(opens_modal(_meeting_settings_form))
    app.view(Callback.MEETING_SETTINGS)(
        modal_submitted(_save_meeting_settings, Block.MEETING_WEEKDAY)
    )
    app.action(Action.DECISION)(opens_modal(_decision_form))
    app.action(Action.MEETING_ACTION)(opens_modal(_action_form))
    app.action(Action.SET_LEVEL)(pressed(set_level))
    app.action(Action.CLOSE_MEETING)(pressed(close_meeting))
    app.view(Callback.DECISION)(modal_submitted(_save_decision, Block.DECISION))
    app.options(Block.REPORTING)(organisation_options)  # the menu past 100 organisations
    app.options(Action.PLACE_CHOICE)(place_options)  # the decision's place, past 100 places
