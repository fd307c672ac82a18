"""Listeners for cause analyses (`/est analys …`, its card's buttons and its form) and for the
pattern chart (`/est mönster …`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient

from bot.actors import Actor
from bot.analysis.chart import render_patterns
from bot.analysis.patterns import hot_times
from bot.analysis.results import AnalysisView
from bot.analysis.service import AnalysisStart
from bot.analysis.timing import PatternReport
from bot.commands import SUBCOMMANDS, Sub, fold
from bot.i18n import Translator
from bot.services import Services
from handlers.actions.blocks import build_action_modal
from handlers.activities.modals import build_new_modal
from handlers.analysis import blocks, cards, forms, period_blocks
from handlers.commands.dispatch import Handler, dispatch
from handlers.commands.router import Invocation, Router
from handlers.ids import Action, Block, Callback
from handlers.interactions import (
    Body,
    Press,
    View,
    metadata,
    modal_submitted,
    opens_modal,
    pressed,
    show_privately,
    tr_for,
)
from handlers.maps import upload_map
from handlers.replies import build_text
from handlers.text import escape, group_today, group_tz


def analysis(inv: Invocation) -> None:
    """`/est analys [ny [plats] | N | period …]`."""
    dispatch(inv, forms.analysis_command(inv.args), ANALYSIS, _usage)


def _new(inv: Invocation, command: forms.NewAnalysis) -> None:
    start = inv.services.analyses.start(inv.actor, command.place, now=inv.now)
    view = _form(inv.tr, inv.actor, start)
    inv.acknowledge()
    inv.client.views_open(trigger_id=inv.trigger_id, view=view)


def _show(inv: Invocation, command: forms.ShowAnalysis) -> None:
    found = inv.services.analyses.get(inv.actor, command.analysis_id)
    inv.reply(cards.build_card(inv.tr, found, group_tz(inv.actor)))


def _period(inv: Invocation, command: forms.PeriodAnalysis) -> None:
    words = command.args.split()
    if fold(command.args).split()[-1:] in (["karta"], ["map"]):
        inv.acknowledge()  # drawing (and fetching tiles) takes a moment
        period = " ".join(words[:-1])
        upload_map(inv, inv.services.maps.period(inv.actor, period, now=inv.now))
        return
    asked = inv.services.periods.post(inv.actor, command.args, now=inv.now)
    if asked.posted:
        inv.reply(period_blocks.build_period_queued(inv.tr, asked.analysis))
    else:  # a reader: to read, not to post
        inv.reply(period_blocks.build_period(inv.tr, asked.analysis))


def _list(inv: Invocation, _command: forms.ListAnalyses) -> None:
    found = inv.services.analyses.of_group(inv.actor)
    inv.reply(cards.build_list(inv.tr, found, group_tz(inv.actor)))


def _usage(inv: Invocation) -> None:
    usage = SUBCOMMANDS[Sub.ANALYSIS].usage(Sub.ANALYSIS)
    inv.reply(build_text(inv.tr.gettext("Write it as {usage}.", usage=usage)))


ANALYSIS: dict[type, Handler] = {
    forms.NewAnalysis: _new,
    forms.ShowAnalysis: _show,
    forms.PeriodAnalysis: _period,
    forms.ListAnalyses: _list,
}


def _form(tr: Translator, actor: Actor, start: AnalysisStart) -> View:
    hot = hot_times(start.pattern.pattern, tr.language) if start.pattern else None
    return blocks.build_analysis_modal(
        tr,
        start.categories,
        channel=actor.channel_id,
        place=start.place,
        hot=hot,
        current=start.current,
    )


def patterns(inv: Invocation) -> None:
    """`/est mönster [plats | stadsdel] [period]`: the chart into the group's channel."""
    report = inv.services.patterns.find(inv.actor, inv.args, now=inv.now)
    inv.acknowledge()  # drawing takes a moment
    group = inv.actor.group.name if inv.actor.group else ""
    png = render_patterns(report, group, inv.tr.language)
    where = report.target or group
    slug = re.sub(r"[^a-z0-9]+", "-", fold(where)).strip("-") or "est"
    name = f"monster-{slug}-{report.first_day}-{report.last_day}.png"
    inv.client.files_upload_v2(
        channel=inv.actor.channel_id,
        content=png,
        filename=name,
        title=name.removesuffix(".png"),
        initial_comment=_pattern_words(inv.tr, report, escape(where)),  # mrkdwn
        alt_txt=_pattern_words(inv.tr, report, where),  # plain text
    )


def _pattern_words(tr: Translator, report: PatternReport, where: str) -> str:
    """ "Händelser vid Fittja centrum, 1 nov. 2025 – 7 okt. 2026: 15. Oftast: …"."""
    return tr.gettext(
        "Incidents at {place}, {days}: {n}. Hot times: {words}.",
        place=where,
        days=report.days(tr),
        n=report.pattern.total,
        words=hot_times(report.pattern, tr.language).sentence(tr),
    )


# -- buttons -----------------------------------------------------------------------------------


def _revise_form(actor: Actor, services: Services, body: Body) -> View:
    start = services.analyses.start_revision(actor, int(body["actions"][0]["value"]))
    return _form(tr_for(actor, {}), actor, start)


def _tied_form(build: Callable[..., View]) -> Callable[[Actor, Services, Body], View]:
    """ "Ny åtgärd" / "Ny aktivitet" on the card: that form, for the analysis's place, tied to
    the analysis."""

    def form(actor: Actor, services: Services, body: Body) -> View:
        current = services.analyses.get(actor, int(body["actions"][0]["value"]))
        return build(
            tr_for(actor, {}),
            channel=actor.channel_id,
            owner=actor.user_id,
            today=group_today(actor, services.clock.now()),
            places=[(current.place_id, current.place)],
            analysis=current.id,
        )

    return form


def open_button(is_open: bool) -> Callable[[Press], None]:
    def act(press: Press) -> None:
        changed = press.services.analyses.set_open(
            press.actor, int(press.action["value"]), is_open, now=press.services.clock.now()
        )
        press.replace(cards.build_card(press.tr, changed, group_tz(press.actor)))

    return act


# -- the form ----------------------------------------------------------------------------------


def _save_new(actor: Actor, services: Services, view: View) -> AnalysisView:
    return services.analyses.create(actor, forms.draft_from(view), now=services.clock.now())


def _save_revision(actor: Actor, services: Services, view: View) -> AnalysisView:
    draft = forms.draft_from(view)
    analysis_id = int(metadata(view)["id"])
    return services.analyses.revise(actor, analysis_id, draft, now=services.clock.now())


def _confirm(
    saved: AnalysisView, actor: Actor, body: Body, client: WebClient, tr: Translator
) -> None:
    show_privately(client, body, actor.user_id, cards.build_card(tr, saved, group_tz(actor)))


def register(app: App, router: Router) -> None:
    router.route(Sub.ANALYSIS)(analysis)
    router.route(Sub.PATTERNS)(patterns)
    app.action(Action.OPEN_ANALYSIS_REVISE)(opens_modal(_revise_form))
    app.action(Action.ANALYSIS_NEW_ACTION)(opens_modal(_tied_form(build_action_modal)))
    app.action(Action.ANALYSIS_NEW_ACTIVITY)(opens_modal(_tied_form(build_new_modal)))
    app.action(Action.ANALYSIS_CLOSE)(pressed(open_button(False)))
    app.action(Action.ANALYSIS_REOPEN)(pressed(open_button(True)))
    app.view(Callback.ANALYSIS_NEW)(modal_submitted(_save_new, Block.CATEGORY, then=_confirm))
    app.view(Callback.ANALYSIS_REVISE)(
        modal_submitted(_save_revision, Block.CATEGORY, then=_confirm)
    )
