"""EXPERIMENT for `http_bench.py --experiments`: `python app.py serve` with two things memoised.

Per worker process and without any invalidation, `GroupService.locate` (the member lookup every
`/est` does: three ORM queries) and the router's `build_help` (Block Kit). Not correct for the
product (a membership change would go unnoticed); it only bounds what caching those two could
gain. Same environment as `python app.py serve`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `app`, `bot` and `handlers` importable
    sys.path.insert(0, str(ROOT))


def memoise() -> None:
    from bot.groups.service import GroupService
    from handlers.commands import router
    from handlers.commands.blocks import build_help

    locate = GroupService.locate
    actors: dict[tuple[str, str, str], Any] = {}
    helps: dict[tuple[str, str | None, bool], Any] = {}

    def memo_locate(self: GroupService, team_id: str, channel_id: str, user_id: str) -> Any:
        key = (team_id, channel_id, user_id)
        if key not in actors:
            actors[key] = locate(self, team_id, channel_id, user_id)
        return actors[key]

    def memo_help(tr: Any, available: Any, *, group_name: str | None, only: bool = False) -> Any:
        key = (tr.language, group_name, only)
        if key not in helps:
            helps[key] = build_help(tr, available, group_name=group_name, only=only)
        return helps[key]

    GroupService.locate = memo_locate  # type: ignore[method-assign]
    router.build_help = memo_help  # type: ignore[attr-defined]  # the name the router calls


if __name__ == "__main__":
    import app

    memoise()
    sys.exit(app.main(["serve"]))
