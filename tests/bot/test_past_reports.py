"""A situation report for a past week: registered afterwards, within the recording window.

The demo group meets on Tuesdays at 09:00 and wants reports by Monday 15:00 (Stockholm). The
days below are worked out by hand from the calendar:

- Thursday 12 March 2026 is in ISO week 11; week 11's meeting (Tuesday 10 March) is over, so the
  meeting meant is week 12's, Tuesday 17 March 2026. It is before 30 June, so the recording
  window opens on 1 January 2025.
- Week 12 of 2025 is Monday 17 – Sunday 23 March 2025; its meeting is Tuesday 18 March 2025,
  09:00 CET = 08:00 UTC.
- Week 52 of 2024: Tuesday 24 December is julafton, 25 and 26 December are holidays, so its
  meeting moved to Friday 27 December 2024 — before 1 January 2025.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.actors import Actor
from bot.errors import InvalidInput
from bot.i18n import Translator
from bot.services import Services
from bot.timeparse import NoSuchWeek
from bot.weekly.notifications import report_key
from bot.weekly.reports import EntryDraft
from handlers.weekly.blocks import build_picture
from handlers.weekly.report_form import build_report_modal, report_saved_text
from tests.bot.conftest import as_user

SV = Translator("sv")
THURSDAY = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


def refusal(caught: pytest.ExceptionInfo[InvalidInput]) -> str:
    return SV.render(caught.value.message)


def entries(demo: Services, anna: Actor) -> list[EntryDraft]:
    karsby = demo.places.resolve(anna, "Kårsby IP").id
    return [EntryDraft(karsby, "oroligt", "sämre", "Buskörning på grusplanen")]


def posts_of(demo: Services, report_id: int, version: int) -> Any:
    with demo.db.unit_of_work(read_only=True) as uow:
        return uow.outbox.by_key(report_key(report_id, version))


def test_a_past_weeks_form_says_which_meeting_and_that_it_is_registered_afterwards(
    demo, anna, erik
):
    for typed in ("v12 2025", "2025-v12", "vecka 12 2025"):
        form = demo.reports.form(erik, now=THURSDAY, week_text=typed)
        assert (form.iso_year, form.iso_week, form.afterwards) == (2025, 12, True), typed
        assert form.meeting.day == date(2025, 3, 18) and not form.meeting.by_time
    view = build_report_modal(SV, form, channel="C")
    said = " ".join(
        e["text"] for b in view["blocks"] if b["type"] == "context" for e in b["elements"]
    )
    assert "Mötet tisdag 18 mars, vecka 12." in said
    assert "rapporten efterregistreras" in said and "vecka 12 2025" in said
    assert "postas inte i kanalen" in said
    assert json.loads(view["private_metadata"])["w"] == [2025, 12]  # it saves to that week
    # "v12" alone is the week 12 nearest today: next week's, the meeting meant now
    nearest = demo.reports.form(erik, now=THURSDAY, week_text="v12")
    assert (nearest.iso_year, nearest.iso_week, nearest.afterwards) == (2026, 12, False)


def test_a_past_weeks_report_is_kept_with_both_times_and_not_posted(demo, anna, erik):
    saved = demo.reports.save(erik, entries(demo, anna), now=THURSDAY, for_week=(2025, 12))
    assert (saved.iso_year, saved.iso_week, saved.version) == (2025, 12, 1)
    assert saved.updated_at == THURSDAY  # when it was registered
    assert saved.meeting_at == datetime(2025, 3, 18, 8, 0, tzinfo=UTC)  # when it was for
    assert saved.afterwards and saved.after_meeting and saved.late
    assert posts_of(demo, saved.id, 1) is None  # not news in the channel
    assert report_saved_text(SV, saved) == (
        "Lägesrapporten för vecka 12 är sparad (version 1). Den är efterregistrerad, till mötet "
        "vecka 12 2025: `/est lägesbild v12 2025` visar den med dagens datum. Den postas inte i "
        "kanalen."
    )
    picture = demo.meetings.picture(anna, "v12 2025", now=THURSDAY)
    karsby = next(p for p in picture.places if p.place == "Kårsby IP")
    [said] = karsby.reports
    police = "Polisen lokalpolisområde Botkyrka"
    assert (said.organisation, said.registered) == (police, "2026-03-12")
    shown = str(build_picture(SV, picture))
    line = ": :large_orange_circle: oroligt, sämre (registrerad 12 mars 2026, efter mötet)"
    assert police + line in shown
    # the report for the meeting meant now is news, and is posted
    current = demo.reports.save(erik, entries(demo, anna), now=THURSDAY)
    assert (current.iso_week, current.afterwards, current.after_meeting) == (12, False, False)
    assert posts_of(demo, current.id, 1) is not None


def test_a_week_the_window_does_not_take_is_refused_saying_what_is_allowed(demo, anna, erik):
    with pytest.raises(InvalidInput) as before_window:
        demo.reports.form(erik, now=THURSDAY, week_text="v52 2024")
    assert refusal(before_window) == (
        "Du skrev ”v52 2024”: mötet vecka 52 2024, fredag 27 december 2024. "
        "Lägesrapporter kan registreras från 1 januari 2025 till nu."
    )
    august = datetime(2026, 8, 12, 10, 0, tzinfo=UTC)  # after 30 June: only this year
    with pytest.raises(InvalidInput) as closed_year:
        demo.reports.form(erik, now=august, week_text="v12 2025")
    assert refusal(closed_year) == (
        "Du skrev ”v12 2025”: mötet vecka 12 2025, tisdag 18 mars 2025. "
        "Lägesrapporter kan registreras från 1 januari 2026 till nu."
    )
    with pytest.raises(InvalidInput) as stale:  # a form opened in June, submitted in August
        demo.reports.save(erik, entries(demo, anna), now=august, for_week=(2025, 12))
    assert refusal(stale).startswith("Formuläret gällde mötet vecka 12 2025, tisdag 18 mars")
    with pytest.raises(InvalidInput) as ahead:  # beyond the meeting meant now
        demo.reports.form(erik, now=THURSDAY, week_text="v13")
    assert "Rapporter till mötet vecka 13 2026" in refusal(ahead)
    with pytest.raises(NoSuchWeek):
        demo.reports.form(erik, now=THURSDAY, week_text="v54 2025")
    with demo.db.unit_of_work(read_only=True) as uow:  # nothing saved
        assert uow.reports.of_week(erik.group.id, 2025, 12) == []


def test_a_week_before_the_group_started_is_refused(demo, anna, erik):
    demo.group_start.set(anna, "2025-06-01", now=THURSDAY)
    erik = as_user(demo, "U0ERIK")  # the group as it is now
    with pytest.raises(InvalidInput) as caught:
        demo.reports.form(erik, now=THURSDAY, week_text="v12 2025")
    assert refusal(caught) == (
        "Du skrev ”v12 2025”: mötet vecka 12 2025, tisdag 18 mars 2025. "
        "Lägesrapporter kan registreras från 1 juni 2025 till nu."
    )
    with pytest.raises(InvalidInput):
        demo.reports.save(erik, entries(demo, anna), now=THURSDAY, for_week=(2025, 12))
    later = demo.reports.form(erik, now=THURSDAY, week_text="v24 2025")  # Tuesday 10 June
    assert (later.iso_year, later.iso_week, later.meeting.day) == (2025, 24, date(2025, 6, 10))


def test_a_fixed_lagesbild_says_what_was_registered_after_it(demo, anna, erik):
    # week 12 of 2026: the meeting on Tuesday 17 March 09:00 CET (08:00 UTC), closed at 10:00
    meeting_id, _agenda = demo.meetings.open(anna, now=datetime(2026, 3, 17, 8, 30, tzinfo=UTC))
    demo.meetings.close(anna, meeting_id, now=datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    april = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)  # 15 days on: registered afterwards
    saved = demo.reports.save(erik, entries(demo, anna), now=april, for_week=(2026, 12))
    assert saved.afterwards
    frozen = demo.meetings.picture(anna, "v12 2026", now=april)
    assert frozen.version == 1  # the fastställd version, as the meeting agreed it
    assert frozen.registered_since == ("Polisen lokalpolisområde Botkyrka (2026-04-01)",)
    shown = str(build_picture(SV, frozen))
    assert (
        "Registrerat efter den här versionen: Polisen lokalpolisområde Botkyrka (2026-04-01)"
        in (shown)
    )
    assert "registered_since" not in frozen.to_json()  # said when shown, never stored
