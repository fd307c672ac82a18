"""The reporters' web pages as HTML (pure functions): the form, the confirmation, the monthly
feedback and the refusals. Every text a person typed, and every text of the group, is escaped;
the page loads nothing but its own stylesheet (no script, no third-party asset)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from zoneinfo import ZoneInfo

from bot.errors import BotError, UnknownName
from bot.i18n import LazyText, Translator
from bot.incidents.results import LoggedIncident
from bot.reporters.notifications import Feedback
from bot.reporters.webform import FormChoices, Submission
from handlers.text import format_when

STYLESHEET = "/rapportera.css"


def _page(tr: Translator, title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{tr.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{STYLESHEET}">\n</head>\n<body>\n<main>\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _error(tr: Translator, error: BotError) -> str:
    text = escape(tr.render(error.message))
    if isinstance(error, UnknownName) and error.suggestions:
        names = ", ".join(f"”{s}”" for s in error.suggestions)
        text += " " + escape(tr.gettext("Did you mean: {names}?", names=names))
    return f'<div class="error" role="alert" id="fel"><p>{text}</p></div>'


def build_form(
    tr: Translator,
    *,
    group: str,
    reporter: str,
    choices: FormChoices,
    csrf: str,
    typed: Submission | None = None,
    error: BotError | None = None,
    feedback_path: str = "",
) -> str:
    """The form: place (with the group's places as suggestions), category, when, what."""
    typed = typed or Submission("", "", "", "")
    options = "\n".join(f'<option value="{escape(name)}">' for name in choices.places)
    categories = ['<option value="">' + escape(tr.gettext("Choose a category")) + "</option>"]
    for category in choices.categories:
        label = category.label(tr.language)
        chosen = " selected" if typed.category in (category.key, label) else ""
        categories.append(
            f'<option value="{escape(category.key)}"{chosen}>{escape(label)}</option>'
        )
    field = getattr(error, "field", None) if error is not None else None
    invalid = {field: ' aria-invalid="true" aria-describedby="fel"'} if field else {}
    if field == "when":  # its hint stays described too
        invalid["when"] = ' aria-invalid="true" aria-describedby="fel nar-hjalp"'
    body = f"""<h1>{escape(tr.gettext("Report an incident"))}</h1>
<p class="lead">{escape(tr.gettext("To {group}, as {name}.", group=group, name=reporter))}</p>
<p class="note">{
        escape(
            tr.gettext(
                "Write about the place and what happened, never who: no names, personal identity "
                "numbers, phone numbers or e-mail addresses."
            )
        )
    }</p>
{_error(tr, error) if error else ""}
<form method="post" action="" accept-charset="utf-8">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<label for="plats">{escape(tr.gettext("Place"))}</label>
<input id="plats" name="plats" list="platser" required autocomplete="off" maxlength="200"
 value="{escape(typed.place)}"{invalid.get("place", "")}>
<datalist id="platser">
{options}
</datalist>
<label for="kategori">{escape(tr.gettext("Category"))}</label>
<select id="kategori" name="kategori" required{invalid.get("category", "")}>
{"".join(categories)}
</select>
<label for="nar">{escape(tr.gettext("When"))}</label>
<input id="nar" name="nar" maxlength="100" value="{escape(typed.when)}"
{invalid.get("when", ' aria-describedby="nar-hjalp"')}>
<p class="hint" id="nar-hjalp">{
        escape(tr.gettext("Empty for now, or e.g. “igår 21:30”, “i fredags kl 22”, “20/11 21.30”."))
    }</p>
<label for="vad">{escape(tr.gettext("What happened"))}</label>
<textarea id="vad" name="vad" rows="5" maxlength="3000"{invalid.get("description", "")}>\
{escape(typed.description)}</textarea>
<button type="submit">{escape(tr.gettext("Send the report"))}</button>
</form>
{_feedback_link(tr, feedback_path)}"""
    return _page(tr, tr.gettext("Report an incident"), body)


def _feedback_link(tr: Translator, path: str) -> str:
    if not path:
        return ""
    label = escape(tr.gettext("What your reports have led to"))
    return f'<p class="more"><a href="{escape(path)}">{label}</a></p>'


def build_saved(
    tr: Translator, incident: LoggedIncident, tz: ZoneInfo, *, created: bool, again: str
) -> str:
    """What was saved, and nothing else of the group."""
    head = (
        tr.gettext("Thank you! Your report is saved.")
        if created
        else tr.gettext("This report was already saved.")
    )
    rows = [
        (tr.gettext("Place"), incident.place),
        (tr.gettext("Category"), incident.category.label(tr.language)),
        (tr.gettext("When"), format_when(incident.occurred_at, tz, tr.language)),
        (tr.gettext("What happened"), incident.description or "–"),
        (tr.gettext("Reference"), f"#{incident.id}"),
    ]
    listed = "\n".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    body = f"""<h1>{escape(head)}</h1>
<dl class="saved">
{listed}
</dl>
<p><a class="button" href="{escape(again)}">{escape(tr.gettext("Report another incident"))}\
</a></p>"""
    return _page(tr, head, body)


def build_feedback(
    tr: Translator,
    feedback: Feedback | None,
    *,
    on: bool,
    csrf: str,
    back: str,
    month: LazyText,
) -> str:
    """The month's feedback behind the link, and the switch to stop (or restart) it."""
    title = tr.gettext("What your reports have led to")
    if not on:
        text = tr.gettext("You have switched the monthly feedback off.")
        content = f"<p>{escape(text)}</p>"
    elif feedback is None or not feedback.places:
        text = tr.gettext("You reported no incidents in {month}.", month=tr.render(month))
        content = f"<p>{escape(text)}</p>"
    else:
        content = "\n".join(f"<p>{escape(line)}</p>" for line in feedback_lines(tr, feedback))
    switch = (
        tr.gettext("Stop the monthly feedback")
        if on
        else tr.gettext("Start the monthly feedback again")
    )
    body = f"""<h1>{escape(title)}</h1>
{content}
<form method="post" action="" accept-charset="utf-8">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<input type="hidden" name="aterkoppling" value="{"av" if on else "på"}">
<button type="submit" class="secondary">{escape(switch)}</button>
</form>
<p class="more"><a href="{escape(back)}">{escape(tr.gettext("Report an incident"))}</a></p>"""
    return _page(tr, title, body)


def feedback_lines(tr: Translator, feedback: Feedback) -> list[str]:
    """The feedback as plain lines (the web page and the console)."""
    lines = [
        tr.ngettext(
            "In {month} you reported {n} incident, at {places}.",
            "In {month} you reported {n} incidents, at {places}.",
            feedback.total,
            month=tr.render(feedback.month_label),
            places=", ".join(p.name for p in feedback.places),
        )
    ]
    for place in feedback.places:
        done = place_done(tr, place.actions, place.activities, place.level_change)
        if done:
            lines.append(f"{place.name}: {done}")
    if len(lines) == 1:
        lines.append(tr.gettext("The group has your reports in its picture of these places."))
    lines.append(tr.gettext("Thank you for reporting: it helps the group see where to act."))
    return lines


def place_done(
    tr: Translator,
    actions: Sequence[str],
    activities: Sequence[str],
    level_change: tuple[str, str] | None,
) -> str:
    parts = []
    if actions:
        parts.append(tr.gettext("actions done: {titles}", titles="; ".join(actions)))
    if activities:
        parts.append(tr.gettext("activities held: {titles}", titles="; ".join(activities)))
    if level_change:
        parts.append(
            tr.gettext(
                "the joint level went from {old} to {new}", old=level_change[0], new=level_change[1]
            )
        )
    return ", ".join(parts)


def build_refusal(tr: Translator, status: int, *, retry_after: float = 0) -> str:
    """404 unknown link, 410 revoked, 413 too large, 429 too many, 400 the form's token, 408 the
    form stopped arriving."""
    texts = {
        404: tr.gettext("This reporting link does not exist. Ask the group's admin for yours."),
        410: tr.gettext(
            "This reporting link has been revoked. Ask the group's admin for a new one."
        ),
        413: tr.gettext("The report is too large. Shorten the text and try again."),
        408: tr.gettext(
            "The report stopped arriving before it was complete, so nothing was saved. Check "
            "the connection and send it again."
        ),
        429: tr.gettext(
            "Too many reports from this link just now. Try again in {n} minutes.",
            n=max(1, round(retry_after / 60)),
        ),
        400: tr.gettext(
            "The form had expired or was not this link's. Open the link again and send "
            "the report once more."
        ),
    }
    text = texts.get(status, texts[400])
    return _page(tr, text, f"<h1>{escape(tr.gettext('Not possible'))}</h1>\n<p>{escape(text)}</p>")


STYLE = """
:root { color-scheme: light; --ink: #1b1b1b; --accent: #0b5cad; --bad: #a4161a; }
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f7f9; }
main { max-width: 34rem; margin: 0 auto; padding: 1rem 1.1rem 3rem; background: #fff;
  min-height: 100vh; }
h1 { font-size: 1.5rem; margin: .4rem 0 .6rem; }
.lead { margin: 0 0 .4rem; font-weight: 600; }
.note, .hint { color: #4a4f55; font-size: .95rem; margin: .2rem 0 .8rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input, select, textarea { width: 100%; font: inherit; padding: .65rem .7rem; border: 2px solid
  #8a9096; border-radius: .4rem; background: #fff; color: inherit; }
input:focus, select:focus, textarea:focus, button:focus, a:focus { outline: 3px solid #f0b400;
  outline-offset: 2px; }
[aria-invalid="true"] { border-color: var(--bad); }
button, a.button { display: block; width: 100%; margin-top: 1.4rem; padding: .85rem; font: inherit;
  font-weight: 700; text-align: center; color: #fff; background: var(--accent); border: 0;
  border-radius: .4rem; text-decoration: none; }
button.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
.error { border-left: 6px solid var(--bad); background: #fdecec; padding: .3rem .9rem;
  margin: .8rem 0; }
dl.saved { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
dl.saved dt { font-weight: 600; }
dl.saved dd { margin: 0; overflow-wrap: anywhere; }
.more { margin-top: 1.6rem; }
a { color: var(--accent); }
"""
