"""Making user text safe to post, and time at the edge."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

MRKDWN_LIMIT = 3000


def escape(text: str) -> str:
    """Escape Slack's control characters so a user's text can never mention or link.

    `<!channel>` becomes `&lt;!channel&gt;`, `<https://evil|Swedbank>` stays literal.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int = MRKDWN_LIMIT) -> str:
    """Shorten to Slack's limit, saying so with an ellipsis rather than failing."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def utcnow() -> datetime:
    return datetime.now(UTC)


def format_when(at: datetime, tz: ZoneInfo, language: str) -> str:
    """'fredag 20 nov. 2026 kl. 21:30' — a time people read without thinking."""
    local = at.astimezone(tz)
    if language == "en":
        return format_datetime(local, "EEEE d MMM y 'at' HH:mm", locale="en_GB")
    return format_datetime(local, "EEEE d MMM y 'kl.' HH:mm", locale="sv_SE")


def format_short(at: datetime, tz: ZoneInfo, language: str) -> str:
    """'fre 20/11 21:30' for lists."""
    local = at.astimezone(tz)
    return format_datetime(local, "EEE d/M HH:mm", locale="en_GB" if language == "en" else "sv_SE")
