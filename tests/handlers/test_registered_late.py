"""An incident registered more than a week after it happened says so on its card and in the
list ("registrerad 12 mars 2026"), so whoever reads it sees it was recorded afterwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.incidents.categories import IncidentCategory
from bot.incidents.results import IncidentList, LoggedIncident
from bot.timeparse import this_week
from handlers.incidents.blocks import build_incident_list, build_logged

TZ = ZoneInfo("Europe/Stockholm")
HAPPENED = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # söndag 1 mars, 21:00 local


def incident(registered: datetime) -> LoggedIncident:
    category = IncidentCategory(1, "lustgas", "Lustgas", "Laughing gas", (), True)
    return LoggedIncident(
        7, 1, "Fittja centrum", "Fittja", category, HAPPENED, "Patroner", None, "U0ANNA",
        "Botkyrka kommun", 1, None, registered, registered, None,
    )  # fmt: skip


def said(message: dict) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def test_the_card_and_the_list_say_a_late_registration():
    late = incident(datetime(2026, 3, 12, 9, 0, tzinfo=UTC))
    sv, en = Translator("sv"), Translator("en")
    assert "registrerad 12 mars 2026" in said(build_logged(sv, late, TZ, created=True))
    assert "registered 12 March 2026" in said(build_logged(en, late, TZ, created=True))
    listing = IncidentList(this_week(now=HAPPENED, tz=TZ), None, 1, (), (), (late,), 0, False)
    assert "(registrerad 12 mars 2026)" in said(build_incident_list(sv, listing, TZ, None))


def test_within_a_week_nothing_is_added():
    soon = incident(HAPPENED + timedelta(days=7))
    assert "registrerad" not in said(build_logged(Translator("sv"), soon, TZ, created=True))
