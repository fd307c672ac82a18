"""`/est plats <namn>` as Block Kit: the chain at the place, from its latest lägesbild through
its cause analyses and what grew out of them to the follow-up counts."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.activities.results import PlannedActivity
from bot.analysis.chain import PlaceChain
from bot.analysis.periods import named_period, period_name
from bot.i18n import Translator
from handlers import blockkit as kit
from handlers.analysis.cards import day, tie_line, title
from handlers.text import clip, escape
from handlers.weekly.blocks import level_label

ANALYSES_SHOWN = 10  # each a section and a context: within Slack's 50 blocks


def _picture_line(tr: Translator, chain: PlaceChain) -> str:
    if chain.picture is None:
        return tr.gettext("No frozen lägesbild has this place yet.")
    p = chain.picture
    return tr.gettext(
        "*Latest lägesbild*: w. {week}, {year} · {level} · {n} incidents",
        week=p.iso_week,
        year=p.iso_year,
        level=level_label(tr, p.level),
        n=p.incidents,
    )


def _effect(tr: Translator, activity: PlannedActivity) -> str:
    """'#7 Nattvandring — genomförd · 4 weeks: 9 incidents before, 3 after'."""
    line = f"#{activity.id} {escape(activity.title)} — {escape(activity.status)}"
    for effect in activity.effects:
        line += " · " + tr.ngettext(
            "{n} week: {before} incidents before, {after} after",
            "{n} weeks: {before} incidents before, {after} after",
            effect.weeks,
            before=effect.before,
            after=effect.after,
        )
    return line


def build_chain(tr: Translator, chain: PlaceChain, tz: ZoneInfo) -> dict[str, Any]:
    head = f"{chain.place} ({chain.district})"
    blocks = [kit.header(clip(head, 150)), kit.section(_picture_line(tr, chain))]
    if chain.prioritised:  # "kvartal 4 2026": the periods in words, as the messages say them
        periods = ", ".join(period_name(tr, named_period(p)) for p in chain.prioritised)
        blocks.append(
            kit.context(tr.gettext(":dart: Prioritised place ({periods})", periods=periods))
        )
    if not chain.analyses:
        blocks.append(
            kit.section(
                tr.gettext(
                    "No cause analysis of this place yet: `/est analys ny {place}`.",
                    place=escape(chain.place),
                )
            )
        )
    for analysis in chain.analyses[:ANALYSES_SHOWN]:
        ties = [tie_line(tr, t) for t in analysis.ties]
        grown = "\n".join(f"• {t}" for t in ties) or tr.gettext("No actions or activities yet.")
        when = tr.gettext("changed {day}", day=day(tr, analysis.updated_at, tz))
        text = f"*{escape(title(tr, analysis))}* · {when}\n{grown}"
        blocks.append(kit.section(clip(text)))
    followed = [_effect(tr, a) for a in chain.activities if a.effects]
    if followed:
        label = tr.gettext("*Follow-up* (incidents at the place)")
        blocks.append(kit.section(clip(label + "\n" + "\n".join(followed))))
    return {"text": head, "blocks": blocks}
