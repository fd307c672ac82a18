"""The iCalendar feed at its secret per-group URL, served by the web app."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from slack_sdk import WebClient

from bot.activities.service import ActivityDraft
from bot.demo.workspace import load_demo
from bot.errors import Forbidden
from handlers.bolt import build_app
from handlers.server import create_wsgi_app
from tests.bot.conftest import as_user
from tests.bot.test_activity_views import statements
from tests.conftest import NOW

SECRET = "unit-secret"


@pytest.fixture
def demo(services):
    load_demo(services.db, services.groups, now=NOW)
    return services


@pytest.fixture
def anna(demo):
    return as_user(demo, "U0ANNA")


@pytest.fixture
def web(demo):
    client = WebClient(token="xoxb-unit", base_url="http://127.0.0.1:9/api/")
    app = build_app(services=demo, client=client, signing_secret=SECRET, default_language="sv")
    return create_wsgi_app(app, demo.db, calendar=demo.calendar).test_client()


def test_the_feed_lists_activities_and_meetings(demo, anna, web):
    now = datetime.now(UTC)
    day = (now + timedelta(days=10)).date()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    walk = demo.activities.create(
        anna,
        ActivityDraft(
            title="Nattvandring",
            kind="nattvandring",
            day=day,
            start=time(21, 0),
            end=time(1, 0),
            owner_user_id="U0OMAR",
            place_ids=[fittja],
            purpose="Vuxna ute kvällstid",
        ),
        now=now,
    )
    lena = as_user(demo, "U0BRA")  # a reader may subscribe …
    token = demo.calendar.token(lena, now=now)
    assert demo.calendar.token(anna, now=now) == token  # one token per group
    response = web.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[f"activity-{walk.id}@est-bot"]
    assert str(event["summary"]) == "Nattvandring"
    assert str(event["location"]) == "Fittja centrum"
    assert event.decoded("dtstart") == walk.start_at
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=4)
    meetings = [e for e in events.values() if str(e["uid"]).startswith("meeting-")]
    assert len(meetings) == 14 and all("Lägesbildsmöte v." in str(e["summary"]) for e in meetings)
    # a Tuesday-09:00 meeting in Stockholm
    first = meetings[0].decoded("dtstart")
    assert first.astimezone(ZoneInfo("Europe/Stockholm")).time() == time(9)

    assert web.get("/calendar/not-the-token.ics").status_code == 404
    with pytest.raises(Forbidden):  # … but only an admin makes a new address
        demo.calendar.token(lena, renew=True, now=now)
    fresh = demo.calendar.token(anna, renew=True, now=now)
    assert fresh != token
    assert web.get(f"/calendar/{token}.ics").status_code == 404
    assert web.get(f"/calendar/{fresh}.ics").status_code == 200


def test_cancelled_activities_say_so(demo, anna, web):
    now = datetime.now(UTC)
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    market = demo.activities.create(
        anna,
        ActivityDraft(
            title="Julmarknad",
            kind="evenemang",
            day=(now + timedelta(days=20)).date(),
            start=time(11),
            end=time(16),
            owner_user_id="U0ANNA",
            place_ids=[fittja],
        ),
        now=now,
    )
    demo.activities.cancel(anna, market.id, "Storm", now=now)
    token = demo.calendar.token(anna, now=now)
    calendar = Calendar.from_ical(web.get(f"/calendar/{token}.ics").data)
    [event] = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("activity-")]
    assert str(event["status"]) == "CANCELLED"


def test_the_feed_reads_the_places_of_all_its_activities_at_once(demo, anna):
    now = datetime.now(UTC)
    fittja = [demo.places.resolve(anna, name).id for name in ("Fittja torg", "Fittja centrum")]

    def plan(title: str, days: int, place_ids: list[int]) -> int:
        return demo.activities.create(
            anna,
            ActivityDraft(
                title=title,
                kind="evenemang",
                day=(now + timedelta(days=days)).date(),
                start=time(11),
                end=time(16),
                owner_user_id="U0ANNA",
                place_ids=place_ids,
            ),
            now=now,
        ).id

    market = plan("Julmarknad", 20, fittja)
    token = demo.calendar.token(anna, now=now)
    one, body = statements(demo.db, lambda: demo.calendar.feed(token, now=now))
    [event] = [e for e in Calendar.from_ical(body).walk("VEVENT") if "activity-" in e["uid"]]
    assert str(event["uid"]) == f"activity-{market}@est-bot"
    assert str(event["location"]) == "Fittja centrum, Fittja torg"  # by name
    for k in range(3):
        plan(f"Lovaktivitet {k}", 21 + k, fittja[:1])
    four, body = statements(demo.db, lambda: demo.calendar.feed(token, now=now))
    locations = sorted(
        str(e["location"])
        for e in Calendar.from_ical(body).walk("VEVENT")
        if "activity-" in e["uid"]
    )
    assert locations == ["Fittja centrum, Fittja torg"] + ["Fittja torg"] * 3
    assert four == one  # not one query per activity


def test_the_calendar_command_gives_the_full_address_when_the_web_process_has_one(demo):
    from handlers.local import slack_requests as sr
    from handlers.local.localslack import LocalSlack

    with LocalSlack() as slack:
        app = build_app(
            services=demo,
            client=WebClient(token="xoxb-unit", base_url=slack.api_url),
            signing_secret=SECRET,
            default_language="sv",
            process_before_response=True,
            public_url="https://est.botkyrka.se/",
        )
        web = create_wsgi_app(app, demo.db, calendar=demo.calendar).test_client()
        req = sr.slash_command(
            "aktivitet kalender",
            secret=SECRET,
            team_id="T0EST",
            channel_id="C0EST",
            user_id="U0ANNA",
        )
        answer = web.post("/slack/events", data=req.body, headers=req.headers)
    token = demo.calendar.token(as_user(demo, "U0ANNA"), now=datetime.now(UTC))
    assert f"<https://est.botkyrka.se/calendar/{token}.ics>" in answer.get_data(as_text=True)
