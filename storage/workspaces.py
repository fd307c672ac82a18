"""Which Enterprise Grid organisation a workspace belongs to, for finding its bot token.

slack_sdk's installation store is keyed by (enterprise_id, team_id), and a group knows only its
workspace (team). A workspace installed on its own inside a Grid organisation has a bot row with
both ids; an installation for the whole organisation has none with the team, so the workspaces
it serves are noted here as their requests arrive (Slack sends ``enterprise_id`` with each).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, Executable, desc, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from storage.models import EnterpriseTeam
from storage.oauth_tables import slack_bots


def enterprise_of(engine: Engine, team_id: str, *, client_id: str) -> str | None:
    """The Grid organisation of ``team_id``: from its own installation, else from what its
    requests said; None outside Grid (or for a workspace never heard from)."""
    installed = (
        select(slack_bots.c.enterprise_id)
        .where(
            slack_bots.c.client_id == client_id,
            slack_bots.c.team_id == team_id,
            slack_bots.c.enterprise_id.is_not(None),
            slack_bots.c.bot_token.is_not(None),
        )
        .order_by(desc(slack_bots.c.installed_at))
        .limit(1)
    )
    noted = select(col(EnterpriseTeam.enterprise_id)).where(col(EnterpriseTeam.team_id) == team_id)
    with engine.connect() as conn:
        found = conn.execute(installed).scalar() or conn.execute(noted).scalar()
    return str(found) if found else None


def note_enterprise(engine: Engine, team_id: str, enterprise_id: str, *, now: datetime) -> None:
    """Remember that ``team_id`` belongs to ``enterprise_id`` (a workspace can move to another
    organisation: the latest word counts)."""
    row = {"team_id": team_id, "enterprise_id": enterprise_id, "seen_at": now}
    latest = {"enterprise_id": enterprise_id, "seen_at": now}
    statement: Executable
    if engine.dialect.name == "postgresql":
        upsert = postgresql.insert(EnterpriseTeam).values(row)
        statement = upsert.on_conflict_do_update(index_elements=["team_id"], set_=latest)
    else:
        lite = sqlite.insert(EnterpriseTeam).values(row)
        statement = lite.on_conflict_do_update(index_elements=["team_id"], set_=latest)
    with engine.begin() as conn:
        conn.execute(statement)
