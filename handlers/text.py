"""Making user text safe to post, and time at the edge."""

from __future__ import annotations

from datetime import UTC, datetime

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
