"""`/est plats`: the register; admins add, rename, alias, merge and archive places."""

from __future__ import annotations

from slack_bolt import App

from bot.actors import Actor
from bot.commands import Sub
from bot.places.service import PlaceForm, RegisteredPlace
from bot.services import Services
from handlers.analysis.chain_blocks import build_chain
from handlers.commands.router import Invocation, Router
from handlers.forms import text
from handlers.ids import Action, Block, Callback
from handlers.interactions import Body, View, modal_submitted, opens_modal, tr_for
from handlers.places import blocks, forms
from handlers.places.blocks import build_add_place_modal, build_register
from handlers.text import group_tz


def place(inv: Invocation) -> None:
    """`/est plats [<plats> | ny …; byt namn A; B; alias A; x, y; slå ihop A; B; arkivera A]`."""
    places, actor, now, tr = inv.services.places, inv.actor, inv.now, inv.tr
    match forms.place_command(inv.args):
        case forms.ShowRegister():
            message = build_register(tr, places.register(actor), is_admin=actor.is_admin)
        case forms.ShowPlace(name):
            chain = inv.services.chains.of_place(actor, name, now=now)
            message = build_chain(tr, chain, group_tz(actor))
        case forms.AddPlace(form):
            message = blocks.added(tr, places.add(actor, form, now=now))
        case forms.RenamePlace(old, new):
            done = places.change(actor, places.resolve(actor, old).id, name=new, now=now)
            message = blocks.renamed(tr, old, done)
        case forms.AddAliases(name, aliases):
            target = places.resolve(actor, name)
            message = blocks.aliased(
                tr, places.change(actor, target.id, add_aliases=aliases, now=now)
            )
        case forms.ArchivePlace(name):
            done = places.change(actor, places.resolve(actor, name).id, active=False, now=now)
            message = blocks.archived(tr, done)
        case forms.LocatePlace(name, coordinates):
            done = places.locate(actor, places.resolve(actor, name).id, coordinates, now=now)
            message = blocks.located(tr, done)
        case forms.MergePlaces(source_name, target_name):
            source, target = places.resolve(actor, source_name), places.resolve(actor, target_name)
            message = blocks.merged(
                tr, source, target, places.merge(actor, source.id, target.id, now=now)
            )
    inv.reply(message)


def _add_form(actor: Actor, services: Services, body: Body) -> View:
    name = body["actions"][0].get("value", "")
    return build_add_place_modal(tr_for(actor, {}), name=name, channel=actor.channel_id)


def _save_place(actor: Actor, services: Services, view: View) -> RegisteredPlace:
    aliases = text(view, Block.ALIASES, Action.ALIASES)
    form = PlaceForm(
        text(view, Block.NAME, Action.NAME),
        text(view, Block.DISTRICT, Action.DISTRICT),
        text(view, Block.KIND, Action.KIND),
        tuple(a.strip() for a in aliases.split(",") if a.strip()),
        text(view, Block.COORDINATES, Action.COORDINATES),
    )
    return services.places.add(actor, form, now=services.clock.now())


def register(app: App, router: Router) -> None:
    router.route(Sub.PLACE)(place)
    app.action(Action.OPEN_ADD_PLACE)(opens_modal(_add_form))
    app.view(Callback.ADD_PLACE)(modal_submitted(_save_place, Block.NAME))
