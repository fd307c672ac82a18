"""Every service that saves free text refuses personal data, names it, and hands the text back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot.actions.service import ActionDraft
from bot.actors import Actor
from bot.errors import PersonalDataError
from bot.i18n import translator
from bot.incidents.service import parse_quick
from bot.places.service import PlaceForm
from bot.services import Services
from bot.weekly.reports import EntryDraft
from tests.bot.conftest import as_user
from tests.conftest import NOW

# one of each kind; worked out by hand: 811218-9876 is the classic valid personnummer, and
# 811278-9873 its samordningsnummer (day 18 + 60; Luhn sum 47, check digit 3)
ALL_FIVE = (
    "Pnr 811218-9876, snr 811278-9873, ring 070-123 45 67, mejla kalle@example.se, bilen ABC 123"
)
SAID = (
    "ett personnummer (811218-9876), ett samordningsnummer (811278-9873), "
    "ett telefonnummer (070-123 45 67), en e-postadress (kalle@example.se) "
    "och ett registreringsnummer (ABC 123)"
)

Save = Callable[[Services, Actor, Any, str], object]


def _action(s: Services, a: Actor, *, title: str = "Belysning", description: str = "") -> Any:
    draft = ActionDraft(
        title=title,
        owner_user_id="U0ERIK",
        due_date=(NOW + timedelta(days=7)).date(),
        description=description,
        places=["Fittja centrum"],
    )
    return s.actions.create(a, draft, now=NOW)


def _incident(s: Services, a: Actor) -> int:
    return s.incidents.log(a, parse_quick("Fittja centrum; klotter; Tagg"), now=NOW).incident.id


SAVES: dict[str, Save] = {
    "incident": lambda s, a, f, t: s.incidents.log(
        a, parse_quick(f"Fittja centrum; narkotikaförsäljning; {t}"), now=NOW
    ),
    "incident correction": lambda s, a, f, t: s.incidents.correct(
        a, f["incident"], parse_quick(f"Fittja centrum; klotter; {t}"), now=NOW
    ),
    "incident deletion reason": lambda s, a, f, t: s.incidents.delete(
        a, f["incident"], reason=t, now=NOW
    ),
    "report notes": lambda s, a, f, t: s.reports.save(a, [], notes=t, now=NOW),
    "report observation": lambda s, a, f, t: s.reports.save(
        a, [EntryDraft(f["place"], "oroligt", "sämre", t)], now=NOW
    ),
    "action title": lambda s, a, f, t: _action(s, a, title=t),
    "action description": lambda s, a, f, t: _action(s, a, description=t),
    "action note": lambda s, a, f, t: s.actions.add_note(a, f["action"], t, now=NOW),
    "action status comment": lambda s, a, f, t: s.actions.set_status(
        a, f["action"], "klar", comment=t, now=NOW
    ),
    "action postpone reason": lambda s, a, f, t: s.actions.postpone(
        a, f["action"], by_days=7, reason=t, now=NOW
    ),
    "decision": lambda s, a, f, t: s.meetings.decide(a, f["meeting"], t, now=NOW),
    "place name": lambda s, a, f, t: s.places.add(a, PlaceForm(t, "Fittja", "torg", ()), now=NOW),
    "place alias": lambda s, a, f, t: s.places.change(a, f["place"], add_aliases=[t], now=NOW),
    "category": lambda s, a, f, t: s.categories.add(a, label_sv=t, now=NOW),
    "organisation": lambda s, a, f, t: s.groups.add_organisation(a, name=t, kind="skola", now=NOW),
    "group name": lambda s, a, f, t: s.groups.update_group(
        a, name=t, language="sv", timezone="Europe/Stockholm", now=NOW
    ),
}


def _rows(services: Services) -> tuple[int, int]:
    with services.db.engine.connect() as conn:
        events = conn.execute(sql("SELECT count(*) FROM audit_event")).scalar()
        notes = conn.execute(sql("SELECT count(*) FROM action_note")).scalar()
    return int(events or 0), int(notes or 0)


@pytest.mark.parametrize("where", list(SAVES))
def test_personal_data_is_refused_everywhere_text_is_saved(demo: Services, where: str) -> None:
    anna = as_user(demo, "U0ANNA")
    fixtures = {
        "incident": _incident(demo, anna),
        "action": _action(demo, anna).id,
        "meeting": demo.meetings.open(anna, now=NOW)[0],
        "place": demo.places.resolve(anna, "Fittja centrum").id,
    }
    before = _rows(demo)
    with pytest.raises(PersonalDataError) as refused:
        SAVES[where](demo, anna, fixtures, ALL_FIVE)
    assert _rows(demo) == before  # nothing stored, not even an audit event
    error = refused.value
    assert error.found == (
        "personnummer",
        "samordningsnummer",
        "telefonnummer",
        "e-postadress",
        "registreringsnummer",
    )
    message = translator("sv").render(error.message)
    assert SAID in message
    assert ALL_FIVE in error.text  # handed back as typed (or within the line it was part of)
