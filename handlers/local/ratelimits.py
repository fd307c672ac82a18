"""Slack's rate limits as the fake Slack applies them: token buckets per method per workspace
(Slack's tiers) and, for chat.postMessage, per channel as well.

Slack evaluates its limits "per API method per workspace/team per app": the fake keys each bucket
on the workspace of the call's bot token (``LocalSlack.install`` says which token is whose) and
the method, and for a per-channel limit on the channel too. A call over any of its buckets is
answered 429 with ``Retry-After`` (whole seconds, as Slack sends it) and charges none of them.
Source: https://docs.slack.dev/apis/web-api/rate-limits (the tiers) and each method's reference
page (its tier, under "Rate limits"). chat.postMessage is "special": about one message a second
per channel with short bursts, "while also maintaining a workspace-wide limit" whose size Slack
does not publish, so a test or benchmark names the one it assumes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RATE_LIMITS = "https://docs.slack.dev/apis/web-api/rate-limits"
# requests a minute per tier ("1+", "20+", "50+", "100+": the fake takes the least)
TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
# the tier of each method the bot calls, from the method's reference page
TIERS: dict[str, int] = {
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "chat.delete": 3,
    "conversations.open": 3,
    "conversations.info": 3,
    "conversations.members": 4,
    "users.info": 4,
    "users.list": 2,
    "users.lookupByEmail": 3,
    "views.open": 4,
    "views.push": 4,
    "views.update": 4,
    "views.publish": 4,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "files.info": 4,
    "team.info": 3,
}


@dataclass(frozen=True)
class Budget:
    """A token bucket: ``per_second`` refill, at most ``burst`` calls at once."""

    per_second: float
    burst: float

    @classmethod
    def per_minute(cls, calls: float, burst: float | None = None) -> Budget:
        """A per-minute limit: ``calls`` a minute, all of them at once unless ``burst`` says."""
        return cls(calls / 60.0, float(calls if burst is None else burst))

    @classmethod
    def tier(cls, tier: int) -> Budget:
        return cls.per_minute(TIER_PER_MINUTE[tier])


Key = tuple[str, ...]


class RateLimits:
    """The buckets of one fake Slack; not thread-safe (the fake calls it under its lock)."""

    def __init__(self) -> None:
        self.per_channel: dict[str, Budget] = {}  # method -> each channel's budget
        self.per_workspace: dict[str, Budget] = {}  # method -> each workspace's budget
        self._buckets: dict[Key, tuple[float, float]] = {}  # key -> (tokens, at)

    def tiers(self, *, messages_per_minute: float | None = None) -> None:
        """Every method of ``TIERS`` limited per workspace as its tier says; with
        ``messages_per_minute``, chat.postMessage's workspace-wide limit too."""
        for method, tier in TIERS.items():
            self.per_workspace[method] = Budget.tier(tier)
        if messages_per_minute is not None:
            self.per_workspace["chat.postMessage"] = Budget.per_minute(messages_per_minute)

    def charge(self, method: str, *, team: str, channel: str, at: float) -> int | None:
        """Take one call out of each bucket it falls in; or, when one of them is empty, take
        none and return the whole seconds until the emptiest has room (Retry-After)."""
        buckets: list[tuple[Key, Budget]] = []
        if (budget := self.per_channel.get(method)) is not None:
            buckets.append(((method, team, channel), budget))
        if (budget := self.per_workspace.get(method)) is not None:
            buckets.append(((method, team), budget))
        filled = [(key, budget, self._filled(key, budget, at)) for key, budget in buckets]
        short = [(1 - tokens) / budget.per_second for _k, budget, tokens in filled if tokens < 1]
        for key, _budget, tokens in filled:
            self._buckets[key] = (tokens if short else tokens - 1, at)
        return max(1, math.ceil(max(short) - 1e-9)) if short else None  # 10.000000001 is 10

    def _filled(self, key: Key, budget: Budget, at: float) -> float:
        tokens, last = self._buckets.get(key, (budget.burst, at))
        return min(budget.burst, tokens + (at - last) * budget.per_second)
