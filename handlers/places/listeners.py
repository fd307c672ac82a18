"""`/est plats`: the register; admins add, rename, alias, merge and archive places."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.actors import Actor
from bot.commands import Sub
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.places.service import PlaceForm, RegisteredPlace, parse_place_form
from bot.services import Services
from handlers.commands.router import Invocation, Router
from handlers.forms import text
from handlers.ids import Action, Block, Callback
from handlers.interactions import Body, View, modal_submitted, opens_modal, tr_for
from handlers.places.blocks import build_add_place_modal, build_register
from handlers.replies import build_text
from handlers.text import escape, utcnow

_VERB = re.compile(
    r"^(ny|new|byt namn|rename|alias|slå ihop|sla ihop|merge|arkivera|archive)\b\s*", re.IGNORECASE
)


def _two(args: str) -> tuple[str, str]:
    first, sep, second = args.partition(";")
    if not sep or not first.strip() or not second.strip():
        raise InvalidInput(
            N_(
                "Separate the two parts with a semicolon, e.g. "
                "`/est plats slå ihop Fittja C; Fittja centrum`."
            )
        )
    return first.strip(), second.strip()


def place(inv: Invocation) -> None:
    """`/est plats [ny …; byt namn A; B; alias A; x, y; slå ihop A; B; arkivera A]`."""
    places, actor, now = inv.services.places, inv.actor, inv.now
    verb_match = _VERB.match(inv.args)
    if not verb_match:
        register = places.register(actor)
        inv.reply(build_register(inv.tr, register, is_admin=actor.is_admin))
        return
    verb, rest = verb_match.group(1).casefold(), inv.args[verb_match.end() :]
    if verb in ("ny", "new"):
        done = places.add(actor, parse_place_form(rest), now=now)
        message = inv.tr.gettext(
            "Added *{name}* ({district}).", name=escape(done.name), district=escape(done.district)
        )
    elif verb in ("byt namn", "rename"):
        old, new = _two(rest)
        done = places.change(actor, places.resolve(actor, old).id, name=new, now=now)
        message = inv.tr.gettext(
            "*{old}* is now called *{new}*; the old name still finds it.",
            old=escape(old),
            new=escape(done.name),
        )
    elif verb in ("alias",):
        name, aliases = _two(rest)
        target = places.resolve(actor, name)
        done = places.change(actor, target.id, add_aliases=aliases.split(","), now=now)
        message = inv.tr.gettext(
            "*{name}* is also found as: {aliases}.",
            name=escape(done.name),
            aliases=escape(", ".join(done.aliases)),
        )
    elif verb in ("arkivera", "archive"):
        done = places.change(actor, places.resolve(actor, rest).id, active=False, now=now)
        message = inv.tr.gettext(
            "*{name}* is archived; its incidents are kept.", name=escape(done.name)
        )
    else:
        source, target = (places.resolve(actor, n) for n in _two(rest))
        moved = places.merge(actor, source.id, target.id, now=now)
        message = inv.tr.gettext(
            "*{source}* is merged into *{target}*: {n} incidents moved.",
            source=escape(source.name),
            target=escape(target.name),
            n=moved,
        )
    inv.reply(build_text(message))


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
    )
    return services.places.add(actor, form, now=utcnow())


def register(app: App, router: Router) -> None:
    router.route(Sub.PLACE)(place)
    app.action(Action.OPEN_ADD_PLACE)(opens_modal(_add_form))
    app.view(Callback.ADD_PLACE)(modal_submitted(_save_place, Block.NAME))
