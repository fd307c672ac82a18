"""What each `/est` sub-command's own help teaches: every form it takes, what each does, and two
real examples (tests run every example through the router and expect an answer, not an error).

``/est <kommando> hjälp`` shows one sub-command's help; ``/est hjälp`` lists them all with the
message shortcut and the period words. A word after a sub-command that none of its forms starts
with, but one nearly does, is answered with that form first (``closest_form``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.commands import Sub, fold
from bot.i18n import N_, LazyText

HELP_WORDS = frozenset({"hjalp", "help", "?"})
# the periods `händelser`, `export händelser` and `mönster` read (bot.timeparse)
PERIOD_WORDS = (
    "i dag",
    "i går",
    "denna vecka",
    "förra veckan",
    "v47",
    "vecka 47 2026",
    "november",
    "förra månaden",
    "2026-11",
    "i år",
    "i fjol",
    "2026",
    "senaste 30 dagarna",
    "2026-11-01–2026-11-15",
)
SHORTCUT = "Logga som händelse"  # the message shortcut's name in the manifest


@dataclass(frozen=True)
class Form:
    """One way to write the sub-command: what follows its word ('' for nothing)."""

    text: str
    about: LazyText


@dataclass(frozen=True)
class SubHelp:
    forms: tuple[Form, ...]
    examples: tuple[str, str]  # whole commands, without `/est `


def _help(examples: tuple[str, str], *forms: tuple[str, LazyText]) -> SubHelp:
    return SubHelp(tuple(Form(text, about) for text, about in forms), examples)


# fmt: off
HELP: dict[Sub, SubHelp] = {
    Sub.HELP: _help(
        ("hjälp", "hjälp aktivitet"),
        ("", N_("every sub-command, the message shortcut and the period words")),
        ("<kommando>", N_("one sub-command's help; `/est <kommando> hjälp` works too")),
    ),
    Sub.INCIDENT: _help(
        ("händelse", "händelse Tumba station; klotter; Nytt klotter på perrongen; i går 21:30"),
        ("", N_("the form")),
        ("plats; kategori; beskrivning; när", N_(
            "quick syntax: the fields separated by semicolons; without a time it is now")),
        ("plats; kategori; beskrivning; när; begränsad", N_(
            "only your organisation sees the description")),
        ("…; i morse | i kväll | i natt | i går kväll", N_(
            "a part of the day: without a time, the morning is 08:00, the evening 20:00 and "
            "the night (the one that began most recently, from 22:00) 01:00 of its morning; "
            "“i natt 23” and “i kväll 9” name the hour in it")),
        ("…; 2026-12-01 19", N_("a date and an hour")),
        ("ändra N", N_("correct incident N in the form")),
        ("ta bort N <orsak>", N_("delete incident N, saying why")),
    ),
    Sub.INCIDENTS: _help(
        ("händelser Fittja centrum förra veckan", "händelser förra veckan Fittja"),
        ("", N_("this week's incidents")),
        ("<plats>", N_("at one place")),
        ("<stadsdel>", N_("at every place in a district, e.g. Fittja")),
        ("<period>", N_("in a period: see the period words in `/est hjälp`")),
        ("<plats> <period>", N_("at one place in a period; the period may come first")),
    ),
    Sub.REPORT: _help(
        ("rapport", "rapport Fittja torg, Albys hjärta"),
        ("", N_("this week's situation report for your organisation (a form)")),
        (
            "v46 | v46 2025 | 2025-v46",
            N_(
                "an earlier meeting's, registered afterwards: back to 1 January of last year "
                "until 30 June, then of this year; never before the group's start"
            ),
        ),
        ("<plats>, <plats>", N_("with these places too, besides those with incidents")),
    ),
    Sub.PICTURE: _help(
        ("lägesbild", "lägesbild plats Fittja centrum"),
        ("", N_("this week's situation picture")),
        ("v46 | v46 2025", N_("a week's")),
        ("plats <plats>", N_("one place's levels, week by week")),
        ("ändra v46 <orsak>", N_("a corrected version of a week's agreed picture")),
        ("[v46] karta", N_("the week's picture on the map, as an image in the channel")),
    ),
    Sub.MEETING: _help(
        ("möte", "meeting"),
        ("", N_("the agenda in the channel, with buttons for decisions, actions and closing")),
    ),
    Sub.ACTION: _help(
        ("åtgärd ny", "åtgärd försenade"),
        ("", N_("your open actions")),
        ("ny", N_("a new action (a form)")),
        ("N", N_("action N")),
        ("klar N [kommentar]", N_("mark action N done")),
        ("pågår N | avbruten N [kommentar]", N_("in progress, or cancelled")),
        ("alla | försenade", N_("all open actions, or the overdue ones")),
        ("plats <plats>", N_("the open actions at a place")),
        ("<organisation>", N_("an organisation's open actions")),
    ),
    Sub.ACTIVITY: _help(
        ("aktivitet mina", "aktivitet plats Fittja centrum"),
        ("", N_("the coming activities")),
        ("ny", N_("a new activity (a form)")),
        ("N | mina | plats <plats>", N_("activity N, yours, or those at a place")),
        ("uppföljning N", N_("follow it up: attendance and effect")),
        ("kostnad N | dokument N", N_("add a cost or a document")),
        ("motivera N", N_("link the situation-picture records that motivated it")),
        ("ställ in N <skäl>", N_("cancel it, saying why")),
        ("flytta N 2026-12-13 11:00-16:00 <skäl>", N_("move it to another day or time")),
        ("flytta kostnad K till N <skäl>", N_(
            "a cost (or `dokument D`) filed under the wrong activity, moved with the reason")),
        ("anslag ÅR KÄLLA BELOPP [diarienummer]", N_(
            "money allocated for a year from a funding source (admins)")),
        ("kalender [ny]", N_("the calendar feed's address; `ny` gives a new one (admins)")),
    ),
    Sub.PLACE: _help(
        ("plats", "plats alias Fittja centrum; Fittja C-huset"),
        ("", N_("the place register")),
        ("<plats>", N_(
            "the chain at a place: latest lägesbild, cause analyses, actions and activities, "
            "follow-up")),
        ("ny <namn>; <stadsdel>; <typ>; alias A, B", N_("a new place (admins)")),
        ("byt namn <gammalt>; <nytt>", N_("rename a place")),
        ("alias <plats>; A, B", N_("other names people write for a place")),
        ("slå ihop <från>; <till>", N_("merge two places: the first one's incidents move")),
        ("koordinater <plats>; 59.2475, 17.8610", N_("where a place is on the map (WGS84)")),
        ("arkivera <plats>", N_("a place not offered any more; its history stays")),
    ),
    Sub.CATEGORY: _help(
        ("kategori", "kategori ny Mopedstöld"),
        ("", N_("the group's incident categories")),
        ("ny <namn>", N_("a new category (admins)")),
        ("byt namn <gammalt>; <nytt>", N_("rename a category (admins)")),
        ("ta bort <namn> | återställ <namn>", N_(
            "not offered any more, or offered again; old incidents keep it (admins)")),
    ),
    Sub.SUMMARY: _help(
        ("sammanfattning", "sammanfattning tid måndag 08:00"),
        ("", N_("post last week's summary now")),
        ("v46", N_("post that week's")),
        ("tid <veckodag> HH:MM", N_("when it is posted each week (admins)")),
    ),
    Sub.EXPORT: _help(
        ("export händelser november Fittja centrum", "export bidrag 2026"),
        ("händelser [period] [plats]", N_("incidents as CSV and XLSX")),
        (
            "lägesbild ÅR",
            N_("the year's lägesbild for the council, against the year before (PDF and XLSX)"),
        ),
        ("aktivitet N", N_("an activity's evidence pack for an auditor (PDF)")),
        ("bidrag ÅR", N_("the grant year's report")),
        ("analys [kvartal|tertial] [2026-Q3]", N_("the period analysis as PDF and XLSX")),
    ),
    Sub.ANALYSIS: _help(
        ("analys", "analys ny Fittja centrum"),
        ("", N_("the group's cause analyses, open ones first")),
        ("ny [plats]", N_("a new cause analysis of a problem at a place (a form)")),
        ("N", N_("one cause analysis, with its actions and activities")),
        ("period [kvartal|tertial] [2026-Q3|2026-T2]", N_(
            "the places ranked by need, posted in the channel; its buttons set the next "
            "period's priorities and give the PDF and XLSX")),
        ("period [kvartal|tertial] [2026-Q3] karta", N_("the period on the map, as an image")),
    ),
    Sub.PATTERNS: _help(
        ("mönster Fittja", "mönster Fittja centrum i år"),
        ("[plats | stadsdel] [period]", N_("incidents by weekday and hour, by month (a chart)")),
    ),
    Sub.SETTINGS: _help(
        ("inställningar", "inställningar gallring 24"),
        ("", N_("the group, organisations and members (admins change them)")),
        ("gallring [N]", N_("how many months free text is kept; with N, change it (admins)")),
    ),
    Sub.JOIN: _help(
        ("gå med Botkyrkabyggen", "gå med Polisen lokalpolisområde Botkyrka"),
        ("<organisation>", N_("ask to join the group; an admin approves it")),
        ("<organisation> rapportör", N_("ask to join as a reporter: you log incidents and see "
                                        "your own, nothing else of the group")),
    ),
    Sub.REPORTER: _help(
        ("rapportör", "rapportör länk Nattvandrarna Fittja Botkyrka kommun"),
        ("", N_("the reporters' web links (admins)")),
        ("länk <namn> [organisation]", N_("a personal web link for a reporter outside Slack, "
                                          "shown once (admins)")),
        ("återkalla <namn|N>", N_("revoke a link: it stops working at once (admins)")),
        ("återkoppling av | på", N_("stop (or restart) your monthly feedback")),
    ),
    Sub.LANGUAGE: _help(
        ("språk en", "språk sv"),
        ("sv | en", N_("the bot's language for you")),
    ),
}
# fmt: on


def usage(sub: Sub, form: Form) -> str:
    return f"`/est {sub.value}{' ' + form.text if form.text else ''}`"


def asks_for_help(args: str) -> bool:
    """`/est aktivitet hjälp`, `/est plats help`, `/est möte ?`."""
    return fold(args.strip()) in HELP_WORDS


def _first_words(sub: Sub) -> dict[str, Form]:
    """Each form's first word, when it is a word to type (not a placeholder like N or <plats>)."""
    words: dict[str, Form] = {}
    for form in HELP[sub].forms:
        for alternative in form.text.split(" | "):
            first = alternative.split(" ")[0]
            if first.isalpha() and first.islower():
                words.setdefault(fold(first), Form(alternative, form.about))
    return words


def closest_form(sub: Sub, args: str) -> Form | None:
    """The form whose first word the first word of ``args`` nearly is; None when it is one
    exactly (the mistake is elsewhere) or nothing is close."""
    typed = fold(args.strip().split(" ")[0]) if args.strip() else ""
    words = _first_words(sub)
    if not typed or typed in words or len(typed) < 3:
        return None
    match = process.extractOne(typed, list(words), scorer=fuzz.ratio, score_cutoff=70)
    return words[match[0]] if match else None


def own_words(sub: Sub) -> list[str]:
    """The words the sub-command's forms start with, as the help writes them."""
    return [_verb(form.text) for form in _first_words(sub).values()]


def _verb(text: str) -> str:
    """'ställ in N <skäl>' → 'ställ in': the words before the first placeholder."""
    words = []
    for word in text.split(" "):
        if not (word.isalpha() and word.islower()):
            break
        words.append(word)
    return " ".join(words)
