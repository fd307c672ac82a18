"""`/est kategori`: the group's incident categories; admins add, rename and retire them."""

from __future__ import annotations

from slack_bolt import App

from bot.commands import Sub
from bot.incidents.categories import match_category
from handlers.commands.router import Invocation, Router
from handlers.incidents import forms
from handlers.replies import build_text
from handlers.text import escape


def category(inv: Invocation) -> None:
    """`/est kategori …`: see ``forms.category_command`` for what may follow."""
    service, actor, now, tr = inv.services.categories, inv.actor, inv.now, inv.tr
    match forms.category_command(inv.args):
        case forms.ListCategories():
            names = ", ".join(escape(c.label(tr.language)) for c in service.of_group(actor))
            text = tr.gettext("Categories: {names}.", names=names)
        case forms.AddCategory(label):
            added = service.add(actor, label_sv=label, now=now)
            text = tr.gettext("Added the category *{name}*.", name=escape(added.label_sv))
        case forms.RenameCategory(old, new):
            target = match_category(old, service.of_group(actor, include_retired=True))
            renamed = service.change(actor, target.id, label_sv=new, now=now)
            text = tr.gettext("The category is now called *{name}*.", name=escape(renamed.label_sv))
        case forms.RetireCategory(name):
            target = match_category(name, service.of_group(actor, include_retired=True))
            service.change(actor, target.id, active=False, now=now)
            text = tr.gettext(
                "*{name}* is retired; old incidents keep it.", name=escape(target.label_sv)
            )
        case forms.RestoreCategory(name):
            every = service.of_group(actor, include_retired=True)
            target = match_category(name, [c for c in every if not c.active], include_retired=True)
            service.change(actor, target.id, active=True, now=now)
            text = tr.gettext("*{name}* is in use again.", name=escape(target.label_sv))
    inv.reply(build_text(text))


def register(app: App, router: Router) -> None:
    router.route(Sub.CATEGORY)(category)
