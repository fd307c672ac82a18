"""Listeners for setting up a group: `/est inställningar`, `/est gå med`, `/est språk`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.actors import Actor, EstGroup, Membership, Party
from bot.commands import Sub
from bot.errors import BotError, InvalidInput
from bot.i18n import N_, Translator, translator
from bot.services import Services
from bot.timeparse import format_day
from handlers.commands.router import Invocation, Router
from handlers.forms import number, selected, text
from handlers.groups import blocks, forms
from handlers.groups.lifecycle import learn_name
from handlers.ids import Action, Block, Callback
from handlers.interactions import (
    Body,
    Press,
    View,
    actor_of,
    metadata,
    modal_submitted,
    opens_modal,
    pressed,
    show_privately,
)
from handlers.replies import build_text
from handlers.text import escape


def settings(inv: Invocation) -> None:
    actor = inv.actor
    if actor.group is None:
        if actor.channel_id.startswith("D"):
            raise InvalidInput(N_("Run `/est inställningar` in the channel the group will use."))
        inv.acknowledge()
        inv.client.views_open(
            trigger_id=inv.trigger_id,
            view=blocks.build_create_group_modal(inv.tr, actor.channel_id),
        )
        return
    match forms.settings_command(inv.args):
        case forms.Retention(months):
            retention(inv, months)
        case forms.Start(day):
            start(inv, day)
        case forms.ShowSettings():
            overview = inv.services.groups.overview(actor)
            inv.reply(blocks.build_settings(inv.tr, overview, is_admin=actor.is_admin))


def retention(inv: Invocation, months: int | None) -> None:
    """`/est inställningar gallring [månader]`: how long free text is kept."""
    if months is not None:
        kept = inv.services.retention.set_months(inv.actor, months, now=inv.now)
    else:
        kept = inv.services.retention.months(inv.actor)
    inv.reply(
        build_text(
            inv.tr.gettext(
                "Free text in incidents and situation reports is cleared after {n} months; "
                "counts, places, categories and the audit log are kept.",
                n=kept,
            )
        )
    )


def start(inv: Invocation, typed: str) -> None:
    """`/est inställningar start [datum]`: the first day the group's records may be dated."""
    if typed:
        day = inv.services.group_start.set(inv.actor, typed, now=inv.now)
    else:
        day = inv.services.group_start.get(inv.actor)
    text = inv.tr.gettext(
        "The group's records can be dated from {day}. An admin changes it with `/est "
        "inställningar start 2025-01-01`.",
        day=format_day(day),
    )
    inv.reply(build_text(text))


def join(inv: Invocation) -> None:
    if inv.args:
        organisation, role = forms.join_command(inv.args)
        member = inv.services.groups.request_join(
            inv.actor, organisation=organisation, role=role, now=inv.now
        )
        inv.reply(
            build_text(
                inv.tr.gettext(
                    "Your request to join through *{org}* has been sent to the group's admins.",
                    org=escape(member.organisation.name),
                )
            )
        )
        learn_name(inv.client, inv.services, inv.actor.team_id, inv.actor.user_id)
        return
    organisations = inv.services.groups.joinable_organisations(inv.actor)
    assert inv.actor.group is not None
    inv.acknowledge()
    inv.client.views_open(
        trigger_id=inv.trigger_id,
        view=blocks.build_join_modal(inv.tr, inv.actor.group, organisations),
    )


def language(inv: Invocation) -> None:
    chosen = inv.services.groups.set_language(inv.actor, inv.args, now=inv.now)
    inv.reply(build_text(translator(chosen).gettext("From now on I answer you in English.")))


def _decide(approve: bool) -> Callable[[Press], None]:
    def decide(press: Press) -> None:
        actor = press.actor
        member = press.services.groups.decide_join(
            actor, int(press.action["value"]), approve=approve, now=press.services.clock.now()
        )
        assert actor.group is not None
        decided = blocks.build_join_decided(
            press.tr, actor.group, member, approved=approve, decided_by=actor.user_id
        )
        press.replace(decided)

    return decide


# ------------------------------------------------ modal builders and savers, one per form


def _organisation_form(actor: Actor, services: Services, body: Body) -> View:
    return blocks.build_add_organisation_modal(translator(actor.language))


def _member_form(actor: Actor, services: Services, body: Body) -> View:
    organisations = services.groups.overview(actor).organisations
    return blocks.build_add_member_modal(translator(actor.language), organisations)


def _change_member_form(actor: Actor, services: Services, body: Body) -> View:
    services.groups.overview(actor)  # a member of the group: admins are checked on saving
    return blocks.build_change_member_modal(translator(actor.language))


def _change_member(actor: Actor, services: Services, view: View) -> Membership:
    return services.groups.change_member_of(
        actor,
        selected(view, Block.USER, Action.USER) or "",
        selected(view, Block.ROLE, Action.ROLE) or "medlem",
        now=services.clock.now(),
    )


def _member_changed(
    member: Membership, actor: Actor, body: Body, client: WebClient, tr: Translator
) -> None:
    if member.status == "inactive":
        text = tr.gettext("<@{user}> is no longer a member of the group.", user=member.user_id)
    else:
        text = tr.gettext(
            "<@{user}> is now {role} for {org}.",
            user=member.user_id,
            role=member.role,
            org=escape(member.organisation.name),
        )
    show_privately(client, body, actor.user_id, build_text(text))


def _group_form(actor: Actor, services: Services, body: Body) -> View:
    group = services.groups.overview(actor).group
    return blocks.build_edit_group_modal(translator(actor.language), group)


def _create_group(actor: Actor, services: Services, view: View) -> EstGroup:
    return services.groups.create_group(
        actor,
        name=text(view, Block.NAME, Action.NAME),
        organisation=text(view, Block.ORGANISATION, Action.ORGANISATION),
        kind=selected(view, Block.KIND, Action.KIND) or "",
        language=selected(view, Block.LANGUAGE, Action.LANGUAGE) or "sv",
        now=services.clock.now(),
    )


def _edit_group(actor: Actor, services: Services, view: View) -> EstGroup:
    return services.groups.update_group(
        actor,
        name=text(view, Block.NAME, Action.NAME),
        language=selected(view, Block.LANGUAGE, Action.LANGUAGE) or "sv",
        timezone=text(view, Block.TIMEZONE, Action.TIMEZONE),
        hotspot=(
            int(number(view, Block.HOTSPOT_COUNT, Action.HOTSPOT_COUNT)),
            int(number(view, Block.HOTSPOT_DAYS, Action.HOTSPOT_DAYS)),
            number(view, Block.HOTSPOT_FACTOR, Action.HOTSPOT_FACTOR),
        ),
        now=services.clock.now(),
    )


def _add_organisation(actor: Actor, services: Services, view: View) -> Party:
    return services.groups.add_organisation(
        actor,
        name=text(view, Block.NAME, Action.NAME),
        kind=selected(view, Block.KIND, Action.KIND) or "",
        now=services.clock.now(),
    )


@dataclass(frozen=True)
class _Joined:
    """A membership just made, and the services to keep the member's name with."""

    member: Membership
    services: Services


def _add_member(actor: Actor, services: Services, view: View) -> _Joined:
    member = services.groups.add_member(
        actor,
        user_id=selected(view, Block.USER, Action.USER) or "",
        organisation=forms.organisation_ref(
            selected(view, Block.ORGANISATION, Action.ORGANISATION)
        ),
        role=selected(view, Block.ROLE, Action.ROLE) or "medlem",
        now=services.clock.now(),
    )
    return _Joined(member, services)


def _request_join(actor: Actor, services: Services, view: View) -> _Joined:
    organisation = forms.organisation_ref(selected(view, Block.ORGANISATION, Action.ORGANISATION))
    member = services.groups.request_join(
        actor, organisation=organisation, now=services.clock.now()
    )
    return _Joined(member, services)


def _learn_name(
    joined: _Joined, actor: Actor, _body: Body, client: WebClient, _tr: Translator
) -> None:
    """After the form closed: the new member's name, from ``users.info``."""
    learn_name(client, joined.services, actor.team_id, joined.member.user_id)


def organisation_options(ack: Ack, body: Body, services: Services) -> None:
    """Typeahead for the organisation menu of a group with more than a menu holds."""
    actor = actor_of(body, services, metadata(body.get("view") or {}).get("c"))
    try:
        found = services.groups.search_organisations(actor, body.get("value", ""))
    except BotError:
        found = ()
    ack(options=[blocks.organisation_option(o).to_dict() for o in found])


def register(app: App, router: Router) -> None:
    router.route(Sub.SETTINGS)(settings)
    router.route(Sub.JOIN)(join)
    router.route(Sub.LANGUAGE)(language)
    app.action(Action.OPEN_ADD_ORGANISATION)(opens_modal(_organisation_form))
    app.action(Action.OPEN_ADD_MEMBER)(opens_modal(_member_form))
    app.action(Action.OPEN_CHANGE_MEMBER)(opens_modal(_change_member_form))
    app.action(Action.OPEN_EDIT_GROUP)(opens_modal(_group_form))
    app.action(Action.APPROVE_JOIN)(pressed(_decide(True)))
    app.action(Action.REJECT_JOIN)(pressed(_decide(False)))
    app.view(Callback.CREATE_GROUP)(modal_submitted(_create_group, Block.NAME))
    app.view(Callback.EDIT_GROUP)(modal_submitted(_edit_group, Block.NAME))
    app.view(Callback.ADD_ORGANISATION)(modal_submitted(_add_organisation, Block.NAME))
    app.view(Callback.ADD_MEMBER)(modal_submitted(_add_member, Block.USER, then=_learn_name))
    app.view(Callback.CHANGE_MEMBER)(
        modal_submitted(_change_member, Block.USER, then=_member_changed)
    )
    app.view(Callback.JOIN)(modal_submitted(_request_join, Block.ORGANISATION, then=_learn_name))
    app.options(Action.ORGANISATION)(organisation_options)
