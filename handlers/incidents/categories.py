"""`/est kategori`: the group's incident categories; admins add, rename and retire them."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.commands import Sub
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.incidents.categories import match_category
from handlers.commands.router import Invocation, Router
from handlers.replies import build_text
from handlers.text import escape

_VERB = re.compile(
    r"^(ny|new|byt namn|rename|ta bort|retire|återställ|aterstall|restore)\b\s*", re.IGNORECASE
)


def category(inv: Invocation) -> None:
    service, actor, now = inv.services.categories, inv.actor, inv.now
    verb_match = _VERB.match(inv.args)
    if not verb_match:
        active = service.of_group(actor)
        names = ", ".join(escape(c.label(inv.tr.language)) for c in active)
        inv.reply(build_text(inv.tr.gettext("Categories: {names}.", names=names)))
        return
    verb, rest = verb_match.group(1).casefold(), inv.args[verb_match.end() :].strip()
    every = service.of_group(actor, include_retired=True)
    if verb in ("ny", "new"):
        added = service.add(actor, label_sv=rest, now=now)
        text = inv.tr.gettext("Added the category *{name}*.", name=escape(added.label_sv))
    elif verb in ("byt namn", "rename"):
        old, sep, new = rest.partition(";")
        if not sep:
            raise InvalidInput(N_("Write `/est kategori byt namn <old>; <new>`."))
        target = match_category(old, every)
        renamed = service.change(actor, target.id, label_sv=new, now=now)
        text = inv.tr.gettext("The category is now called *{name}*.", name=escape(renamed.label_sv))
    else:
        restore = verb in ("återställ", "aterstall", "restore")
        pool = [c for c in every if not c.active] if restore else list(every)
        target = match_category(rest, pool, include_retired=restore)
        service.change(actor, target.id, active=restore, now=now)
        text = (
            inv.tr.gettext("*{name}* is in use again.", name=escape(target.label_sv))
            if restore
            else inv.tr.gettext(
                "*{name}* is retired; old incidents keep it.", name=escape(target.label_sv)
            )
        )
    inv.reply(build_text(text))


def register(app: App, router: Router) -> None:
    router.route(Sub.CATEGORY)(category)
