"""Map images into the group's channel (the lägesbild's, the period analysis's)."""

from __future__ import annotations

from bot.maps.service import DrawnMap
from handlers.commands.router import Invocation
from handlers.text import escape


def upload_map(inv: Invocation, drawn: DrawnMap) -> None:
    """The map, uploaded like the pattern chart: after the acknowledgement."""
    comment = inv.tr.render(drawn.comment, quote=escape)
    inv.client.files_upload_v2(
        channel=inv.actor.channel_id,
        content=drawn.png,
        filename=drawn.filename,
        title=drawn.filename.removesuffix(".png"),
        initial_comment=comment,
        alt_txt=comment[:1000],
    )
