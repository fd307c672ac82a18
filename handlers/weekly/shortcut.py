"""Message shortcut "Spara som lägesrapport": what someone wrote in the channel becomes the
organisation's report form, the places the message names first, their observations filled in
with what it says about each (``bot.weekly.from_message``). Saving is the form's own: the same
checks, the personal-data guard among them, with the text left in the form when it refuses."""

from __future__ import annotations

from slack_bolt import App

from bot.i18n import Translator
from bot.rules import MAX_TEXT
from bot.weekly.reports import ReportForm
from handlers.ids import Callback
from handlers.interactions import Press, pressed
from handlers.text import shorten
from handlers.weekly import report_form

_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))  # Slack's escapes in a message's text


def message_text(text: str) -> str:
    """A message's text as its author typed it (Slack sends &, < and > escaped)."""
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def filled(tr: Translator, form: ReportForm, length: int) -> report_form.Filled:
    """The drafted text after what the report already says, each field within what it holds
    (cut after a whole word); when any was cut, or the message names no place, the form says
    so."""
    drafted = form.drafted
    if drafted is None:
        return report_form.Filled({})
    saved = {e.place_id: e.observations for e in form.current.entries} if form.current else {}
    whole = {pid: _after(saved.get(pid, ""), t) for pid, t in drafted.observations.items()}
    notes = _after(form.current.notes if form.current else "", drafted.rest)
    texts = {pid: shorten(t, MAX_TEXT) for pid, t in whole.items()}
    said = []
    if not drafted.observations:
        said.append(
            tr.gettext(":information_source: The message names no place: it is in the notes.")
        )
    if any(len(t) > MAX_TEXT for t in [*whole.values(), notes]):
        said.append(
            tr.gettext(
                ":warning: The message is {n} characters long and a field holds {most}: the "
                "form has the beginning of what it says. The whole message stays in the channel.",
                n=f"{length:,}".replace(",", "\u00a0"),
                most=f"{MAX_TEXT:,}".replace(",", "\u00a0"),
            )
        )
    return report_form.Filled(texts, shorten(notes, MAX_TEXT), " ".join(said))


def _after(saved: str, added: str) -> str:
    """What the report already says, then the message's text: nothing saved is lost."""
    return f"{saved}\n\n{added}" if saved and added else saved or added


def report_from_message(press: Press) -> None:
    """The report form, opened from a message (its channel is the group's)."""
    text = message_text(press.body["message"].get("text", ""))
    form = press.services.reports.form(press.actor, now=press.services.clock.now(), message=text)
    view = report_form.build_report_modal(
        press.tr,
        form,
        channel=press.body["channel"]["id"],
        filled=filled(press.tr, form, len(text)),
    )
    press.open(view)


def register(app: App) -> None:
    app.shortcut(Callback.REPORT_SHORTCUT)(pressed(report_from_message))
