"""Slack's emoji codes as the characters Slack shows for them, for the terminal.

Only the codes the bot writes and a few common ones people use; an unknown code stays as typed,
as it would in a Slack without that custom emoji.
"""

from __future__ import annotations

import re

EMOJI = {
    "warning": "⚠️",
    "red_circle": "🔴",
    "large_orange_circle": "🟠",
    "large_yellow_circle": "🟡",
    "large_green_circle": "🟢",
    "large_blue_circle": "🔵",
    "white_circle": "⚪",
    "black_circle": "⚫",
    "calendar": "📆",
    "date": "📅",
    "spiral_calendar_pad": "🗓️",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "lock": "🔒",
    "bell": "🔔",
    "memo": "📝",
    "bar_chart": "📊",
    "chart_with_upwards_trend": "📈",
    "chart_with_downwards_trend": "📉",
    "pushpin": "📌",
    "round_pushpin": "📍",
    "paperclip": "📎",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "information_source": "ℹ️",
    "rotating_light": "🚨",
    "busts_in_silhouette": "👥",
    "speech_balloon": "💬",
    "mag": "🔍",
    "dart": "🎯",
    "bulb": "💡",
    "page_facing_up": "📄",
    "inbox_tray": "📥",
    "outbox_tray": "📤",
    "+1": "👍",
    "thumbsup": "👍",
    "eyes": "👀",
    "fire": "🔥",
    "tada": "🎉",
    "wave": "👋",
}
_CODE = re.compile(":(" + "|".join(re.escape(name) for name in EMOJI) + "):")


def emojize(text: str) -> str:
    """`:warning: sent` → `⚠️ sent`; codes that are not known are left as they are."""
    return _CODE.sub(lambda match: EMOJI[match.group(1)], text) if ":" in text else text
