"""Making user text safe to post, and time at the edge."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from bot.actors import Actor
from bot.i18n import Translator

MRKDWN_LIMIT = 3000


WORD_JOINER = "\u2060"  # invisible, no width, and no break: a letter to mrkdwn's parser
# What mrkdwn formats around a word: *bold*, _italic_, ~strike~, `code` (and ``` blocks), and a
# quote where a line begins with ">" (escaped below to "&gt;", which Slack reads back as ">")
_FORMATTING = re.compile(r"[*_~`]|^(?=&gt;)", re.MULTILINE)
_LINK = re.compile(r"https?://\S+")


def escape(text: str) -> str:
    """A user's text, safe inside the bot's own mrkdwn: it can never mention, link or format.

    `<!channel>` becomes `&lt;!channel&gt;`, and `<https://evil|Swedbank>` stays literal (Slack
    reads only &, < and > as control characters). Slack has no backslash escape for `*`, `_`,
    `~` and backticks, and a user's `*fet*` inside the bot's `*{name}*` would otherwise turn
    bold on and off in the wrong places. Mrkdwn formats only at a word's edge, so each of those
    characters is put between two word joiners (U+2060, invisible and without width): to the
    parser it then stands inside a word, and shows as typed. Plain_text objects would also do,
    but most user text sits inside the bot's sentences, which need mrkdwn. Links are left whole,
    so a pasted address stays clickable. The console's renderer drops the joiners again.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    parts = _LINK.split(text)
    links = _LINK.findall(text)
    guarded = [_FORMATTING.sub(_joined, part) for part in parts]
    return "".join(g + (links[i] if i < len(links) else "") for i, g in enumerate(guarded))


def _joined(match: re.Match[str]) -> str:
    """A formatting character between word joiners; before a quote's ">", one joiner."""
    return f"{WORD_JOINER}{match.group(0)}{WORD_JOINER}" if match.group(0) else WORD_JOINER


# C0 controls but tab and newline, DEL, C1 controls, the bidirectional overrides and isolates
# that make text read differently from what it is (U+202A–U+202E, U+2066–U+2069), and the word
# joiner the bot puts around formatting characters (U+2060), should its text be pasted back
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2060\u2066-\u2069]")


def strip_controls(value: Any) -> Any:
    """The payload with control characters removed from every string, in place for containers.

    NUL cannot be stored in PostgreSQL text, escape codes would reach terminals reading logs and
    exports, and bidi overrides disguise text; nobody types them on purpose. "\r\n" → "\n".
    """
    if isinstance(value, str):
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL.sub("", value) if _CONTROL.search(value) else value
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = strip_controls(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = strip_controls(item)
    return value


def clip(text: str, limit: int = MRKDWN_LIMIT) -> str:
    """Shorten to Slack's limit, saying so with an ellipsis rather than failing."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(text: str, limit: int) -> str:
    """The beginning of ``text`` within ``limit``, cut after a whole word, with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = max(head.rfind(" "), head.rfind("\n"))
    return (head[:cut] if cut > limit // 2 else head).rstrip() + "…"


def paragraphs(lines: Sequence[str], limit: int = MRKDWN_LIMIT) -> list[str]:
    """Lines joined into as few texts as hold them, each within Slack's ``limit``: one section
    each, so a long list goes on in the next block instead of being cut (a single line longer
    than the limit is shortened, with an ellipsis)."""
    texts: list[str] = []
    for line in (clip(line, limit) for line in lines):
        if texts and len(texts[-1]) + 1 + len(line) <= limit:
            texts[-1] += "\n" + line
        else:
            texts.append(line)
    return texts


def quoted(text: str, language: str) -> str:
    """”text” in Swedish, “text” in English: what a person wrote, in the reader's quotes."""
    return f"“{text}”" if language == "en" else f"”{text}”"


def format_when(at: datetime, tz: ZoneInfo, language: str) -> str:
    """'fredag 20 november 2026 kl. 21:30' — the long form of the one date style of messages."""
    local = at.astimezone(tz)
    if language == "en":
        return format_datetime(local, "EEEE d MMMM y 'at' HH:mm", locale="en_GB")
    return format_datetime(local, "EEEE d MMMM y 'kl.' HH:mm", locale="sv_SE")


def format_short(at: datetime, tz: ZoneInfo, language: str) -> str:
    """'fre 20 nov. 21:30' for lists: the short form of the one date style of messages."""
    local = at.astimezone(tz)
    locale = "en_GB" if language == "en" else "sv_SE"
    return format_datetime(local, "EEE d MMM HH:mm", locale=locale)


def format_day_short(day: date | str, language: str, *, year: bool = False) -> str:
    """'tis 8 dec.', with ``year`` 'tis 8 dec. 2026' (an ISO text is read first): a day in a
    message. Files keep ISO dates."""
    shown = date.fromisoformat(day) if isinstance(day, str) else day
    pattern = "EEE d MMM y" if year else "EEE d MMM"
    return format_date(shown, pattern, locale="en_GB" if language == "en" else "sv_SE")


def format_local_short(local: str, language: str) -> str:
    """'ons 16 dec. 19:00' from a stored local time 'YYYY-MM-DD HH:MM' (a snapshot's text)."""
    shown = datetime.fromisoformat(local)
    locale = "en_GB" if language == "en" else "sv_SE"
    return format_datetime(shown, "EEE d MMM HH:mm", locale=locale)


def format_day_only(at: datetime, tz: ZoneInfo, language: str) -> str:
    """'12 mars 2026': the day something was registered."""
    locale = "en_GB" if language == "en" else "sv_SE"
    return format_datetime(at.astimezone(tz), "d MMMM y", locale=locale)


def group_tz(actor: Actor) -> ZoneInfo:
    """The time zone the person's group lives in (Stockholm before they have a group)."""
    return ZoneInfo(actor.group.timezone if actor.group else "Europe/Stockholm")


def group_today(actor: Actor, now: datetime) -> date:
    """Today in the person's group, at the bot's time ``now``."""
    return now.astimezone(group_tz(actor)).date()


def slack_reason(tr: Translator, code: str) -> str:
    """Slack's error code, said as a reader would say it; an unknown code is named as Slack's."""
    words = {
        "upload_failed": tr.gettext("the upload did not go through"),
        "channel_not_found": tr.gettext("the channel no longer exists"),
        "not_in_channel": tr.gettext("the bot is not in the channel"),
        "is_archived": tr.gettext("the channel is archived"),
        "ratelimited": tr.gettext("Slack asked the bot to wait too many times"),
        "user_not_found": tr.gettext("the person is no longer in the workspace"),
        "account_inactive": tr.gettext("the person is no longer in the workspace"),
        "user_disabled": tr.gettext("the person is no longer in the workspace"),
        "cannot_dm_bot": tr.gettext("the recipient is a bot"),
        "msg_too_long": tr.gettext("the message was too long for Slack"),
        "invalid_blocks": tr.gettext("Slack refused the message's layout"),
    }
    return words.get(code) or tr.gettext("Slack answered “{code}”", code=escape(code))
