"""Realistic sizes through the request path and the validating fake Slack: each form opens and
each message posts as Slack accepts it, and nothing a person needs is cut off silently."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.actors import Actor
from bot.incidents.service import parse_quick
from bot.places.service import PlaceForm
from bot.summary.notifications import SummaryPosted
from bot.weekly.reports import EntryDraft
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from handlers.transport import SlackTransport
from tests.handlers.conftest import SECRET, Edge, _now

TEAM, CHANNEL, ADMIN = "T0SIZE", "C0SIZE", "U0ADMIN"
Json = dict[str, Any]


def _group(edge: Edge) -> Actor:
    s = edge.services
    s.groups.create_group(
        Actor(TEAM, ADMIN, CHANNEL),
        name="EST Storkommun",
        organisation="Storkommunen",
        kind="kommun",
        language="sv",
        now=_now(),
    )
    return s.groups.locate(TEAM, CHANNEL, ADMIN)


def _places_with_incidents(edge: Edge, admin: Actor, count: int) -> list[str]:
    names = [f"Plats {i:02}" for i in range(1, count + 1)]
    for name in names:
        edge.services.places.add(admin, PlaceForm(name, "Alby", "torg", ()), now=_now())
        edge.services.incidents.log(
            admin, parse_quick(f"{name}; narkotikaförsäljning; Försäljning"), now=_now()
        )
    return names


def _command(edge: Edge, text: str, user: str = ADMIN) -> tuple[int, str]:
    req = sr.slash_command(text, secret=SECRET, team_id=TEAM, channel_id=CHANNEL, user_id=user)
    return edge.post(req)


def _submit(edge: Edge, view: Json, *values: Json, user: str = ADMIN) -> Json:
    req = sr.view_submission(
        view, sr.state_values(*values), secret=SECRET, user_id=user, team_id=TEAM
    )
    status, body = edge.post(req)
    assert status == 200, body
    return json.loads(body) if body else {}


def _levels(view: Json, level: str) -> list[Json]:
    ids = json.loads(view["private_metadata"])["places"]
    return [sr.select_value(f"level_{pid}", Action.LEVEL, level) for pid in ids]


def _headers(view: Json) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


def test_a_report_for_40_busy_places_comes_in_two_pages_and_keeps_every_answer(edge: Edge) -> None:
    admin = _group(edge)
    names = _places_with_incidents(edge, admin, 40)

    assert _command(edge, "rapport")[0] == 200
    [opened] = edge.slack.calls_to("views.open")
    first = opened.response["view"]
    # 24 places of 4 blocks and the intro's 2: 98 blocks (Slack's limit is 100); no notes yet
    assert len(first["blocks"]) == 98
    assert "Sida 1 av 2" in first["blocks"][0]["text"]["text"]
    assert first["submit"]["text"] == "Spara och fortsätt"
    assert Block.NOTES not in {b.get("block_id") for b in first["blocks"]}
    second = _submit(edge, first, *_levels(first, "oroligt"))

    assert second["response_action"] == "update"
    page = second["view"]
    assert len(page["blocks"]) == 2 + 16 * 4 + 1  # the intro, 16 places, the notes
    assert "Sida 2 av 2" in page["blocks"][0]["text"]["text"]
    assert sorted(_headers(first) + _headers(page)) == names  # every place, once
    report = edge.services.reports.mine(admin, now=_now())
    assert report is not None and (report.version, len(report.entries)) == (1, 24)
    notes = sr.text_value(Block.NOTES, Action.NOTES, "Lugnare i centrum")
    assert _submit(edge, page, *_levels(page, "allvarligt"), notes) == {}  # the form closes

    report = edge.services.reports.mine(admin, now=_now())
    assert report is not None and (report.version, report.notes) == (2, "Lugnare i centrum")
    levels = sorted(e.level for e in report.entries)
    assert levels == ["allvarligt"] * 16 + ["oroligt"] * 24
    [saved] = edge.slack.calls_to("chat.postMessage")
    assert "version 2" in saved.args["text"]


def test_an_error_on_the_first_page_stays_in_the_form_and_nothing_is_saved(edge: Edge) -> None:
    admin = _group(edge)
    _places_with_incidents(edge, admin, 30)
    _command(edge, "rapport")
    first = edge.slack.calls_to("views.open")[0].response["view"]
    pid = json.loads(first["private_metadata"])["places"][3]
    observed = sr.text_value(f"obs_{pid}", Action.OBSERVATIONS, "Ring 070-123 45 67")

    answer = _submit(edge, first, *_levels(first, "lugnt"), observed)

    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [f"obs_{pid}"]
    assert "telefonnummer" in answer["errors"][f"obs_{pid}"]
    assert edge.services.reports.mine(admin, now=_now()) is None


def _organisations(edge: Edge, admin: Actor, names: list[str]) -> dict[str, int]:
    for name in names:
        edge.services.groups.add_organisation(admin, name=name, kind="förening", now=_now())
    overview = edge.services.groups.overview(admin)
    return {o.name: o.id for o in overview.organisations}


def _open_from_settings(edge: Edge, action: str) -> Json:
    status, _body = _command(edge, "inställningar")
    assert status == 200
    press = sr.block_action(action, secret=SECRET, team_id=TEAM, channel_id=CHANNEL, user_id=ADMIN)
    assert edge.post(press)[0] == 200
    view: Json = edge.slack.calls_to("views.open")[-1].response["view"]
    return view


def _element(view: Json, block_id: str) -> Json:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element: Json = block["element"]
    return element


def test_15_organisations_report_through_a_menu_not_11_checkboxes(edge: Edge) -> None:
    admin = _group(edge)
    ids = _organisations(edge, admin, [f"Förening {i:02}" for i in range(1, 15)])
    assert len(ids) == 15

    view = _open_from_settings(edge, Action.OPEN_MEETING_SETTINGS)

    menu = _element(view, Block.REPORTING)
    assert menu["type"] == "multi_static_select"  # checkboxes hold 10
    assert [o["value"] for o in menu["options"]] == [str(i) for i in ids.values()]
    chosen = [str(ids[f"Förening {i:02}"]) for i in (2, 5, 14)]
    picked = sr.state_value(
        Block.REPORTING,
        Block.REPORTING,
        "multi_static_select",
        selected_options=[sr.option(v) for v in chosen],
    )
    keep = [
        sr.select_value(Block.MEETING_WEEKDAY, Block.MEETING_WEEKDAY, "1"),
        sr.time_value(Block.MEETING_TIME, Block.MEETING_TIME, "09:00"),
        sr.select_value(Block.DEADLINE_WEEKDAY, Block.DEADLINE_WEEKDAY, "0"),
        sr.time_value(Block.DEADLINE_TIME, Block.DEADLINE_TIME, "12:00"),
        sr.text_value(Block.CALL_LEAD, Block.CALL_LEAD, "72"),
        sr.text_value(Block.NUDGE_LEAD, Block.NUDGE_LEAD, "4"),
    ]
    assert _submit(edge, view, *keep, picked) == {}

    assert edge.services.meeting_settings.get(admin).reporting == tuple(int(v) for v in chosen)


def test_a_150_character_name_is_shown_whole_across_text_and_description(edge: Edge) -> None:
    admin = _group(edge)
    name = "Föreningen för trygghet och gemenskap i " + "Alby, Fittja, Hallunda, Norsborg; " * 4
    name = name[:149].rstrip() + "x"
    assert len(name) == 150
    ids = _organisations(edge, admin, [name])

    assert _command(edge, "gå med", user="U0NEW")[0] == 200

    view = edge.slack.calls_to("views.open")[0].response["view"]
    option = next(
        o for o in _element(view, Block.ORGANISATION)["options"] if o["value"] == str(ids[name])
    )
    assert option["text"]["text"] == name[:74] + "…"
    assert option["description"]["text"] == "…" + name[74:147] + "…"
    value = sr.select_value(Block.ORGANISATION, Action.ORGANISATION, str(ids[name]))
    assert _submit(edge, view, value, user="U0NEW") == {}
    asked = edge.services.groups.overview(admin).pending
    assert [(m.user_id, m.organisation.name) for m in asked] == [("U0NEW", name)]


def test_more_than_100_organisations_are_found_by_typing(edge: Edge) -> None:
    admin = _group(edge)
    ids = _organisations(edge, admin, [f"Förening {i:03}" for i in range(1, 121)])
    assert len(ids) == 121

    assert _command(edge, "gå med", user="U0NEW")[0] == 200

    view = edge.slack.calls_to("views.open")[0].response["view"]
    menu = _element(view, Block.ORGANISATION)
    assert menu["type"] == "external_select" and "options" not in menu
    typed = sr.block_suggestion(
        Action.ORGANISATION,
        "förening 11",
        secret=SECRET,
        view=view,
        user_id="U0NEW",
        team_id=TEAM,
        block_id=Block.ORGANISATION,
    )
    status, answer = edge.post(typed)
    found = json.loads(answer)["options"]
    assert status == 200
    assert [o["text"]["text"] for o in found] == [f"Förening {i}" for i in range(110, 120)]
    everything = sr.block_suggestion(
        Action.ORGANISATION, "", secret=SECRET, view=view, user_id="U0NEW", team_id=TEAM
    )
    assert len(json.loads(edge.post(everything)[1])["options"]) == 100  # a menu's most

    chosen = next(o for o in found if o["text"]["text"] == "Förening 117")
    value = sr.select_value(Block.ORGANISATION, Action.ORGANISATION, chosen["value"])
    assert _submit(edge, view, value, user="U0NEW") == {}
    asked = edge.services.groups.overview(admin).pending
    assert [m.organisation.id for m in asked] == [ids["Förening 117"]]


def test_an_organisation_of_another_group_cannot_be_joined_by_its_id(edge: Edge) -> None:
    admin = _group(edge)
    other = edge.services.groups.create_group(
        Actor(TEAM, "U0OTHER", "C0OTHER"),
        name="EST Annan",
        organisation="Annans kommun",
        kind="kommun",
        language="sv",
        now=_now(),
    )
    stranger_org = edge.services.groups.overview(
        edge.services.groups.locate(TEAM, other.channel_id, "U0OTHER")
    ).organisations[0]
    assert _command(edge, "gå med", user="U0NEW")[0] == 200
    view = edge.slack.calls_to("views.open")[0].response["view"]

    value = sr.select_value(Block.ORGANISATION, Action.ORGANISATION, str(stranger_org.id))
    answer = _submit(edge, view, value, user="U0NEW")

    assert answer == {
        "response_action": "errors",
        "errors": {Block.ORGANISATION: "Den organisationen finns inte i gruppen."},
    }
    assert edge.services.groups.overview(admin).pending == ()


def test_a_10000_character_message_through_the_shortcut_fills_the_form_with_a_notice(
    edge: Edge,
) -> None:
    admin = _group(edge)
    _places_with_incidents(edge, admin, 1)
    words = "Bråk vid trappan mot Munkhättevägen, flera personer inblandade. "
    long = (words * 200)[:10_000]
    shortcut = sr.message_shortcut(
        Callback.LOG_INCIDENT_SHORTCUT,
        {"ts": "1763800000.000100", "text": long, "user": ADMIN},
        secret=SECRET,
        user_id=ADMIN,
        channel_id=CHANNEL,
        team_id=TEAM,
    )

    assert edge.post(shortcut)[0] == 200

    view = edge.slack.calls_to("views.open")[0].response["view"]
    description = _element(view, Block.DESCRIPTION)
    prefilled = description["initial_value"]
    assert len(prefilled) <= description["max_length"] == 3000
    kept = prefilled.removesuffix("…")
    assert long.startswith(kept) and long[len(kept)] == " "  # cut after a whole word
    assert len(kept) > 2900
    said = json.dumps(view["blocks"], ensure_ascii=False)
    assert "Meddelandet har 10\u00a0000 tecken" in said and "3\u00a0000" in said
    assert "länkar till det" in said
    assert json.loads(view["private_metadata"])["link"].startswith("https://")


def _three_reporting(edge: Edge, admin: Actor) -> list[Actor]:
    s = edge.services
    for name, kind, user in (
        ("Polisen", "polis", "U0POL"),
        ("Bostadsbolaget", "bostadsbolag", "U0BO"),
    ):
        s.groups.add_organisation(admin, name=name, kind=kind, now=_now())
        s.groups.add_member(admin, user_id=user, organisation=name, role="medlem", now=_now())
    return [admin, *(s.groups.locate(TEAM, CHANNEL, u) for u in ("U0POL", "U0BO"))]


def _parts_of_the_reply(edge: Edge, answer: str, key: str) -> list[Json]:
    return [json.loads(answer), *(b for k, b in edge.slack.response_urls if k == key)]


def _texts(message: Json) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


@pytest.mark.parametrize(("length", "by_dm"), [(1200, False), (2900, True)])
def test_a_lagesbild_of_60_places_comes_whole_in_parts_slack_accepts(
    edge: Edge, length: int, by_dm: bool
) -> None:
    admin = _group(edge)
    names = _places_with_incidents(edge, admin, 60)
    places = edge.services.places.register(admin)
    for n, reporter in enumerate(_three_reporting(edge, admin)):
        observed = f"[{n}] " + ("Grupp ungdomar vid entrén, lustgas på marken. " * 70)[:length]
        entries = [EntryDraft(p.id, "oroligt", "sämre", observed) for p in places]
        edge.services.reports.save(reporter, entries, now=_now())
    req = sr.slash_command(
        "lägesbild",
        secret=SECRET,
        team_id=TEAM,
        channel_id=CHANNEL,
        user_id=ADMIN,
        response_url=edge.slack.response_url("bild"),
    )

    status, answer = edge.post(req)

    assert status == 200
    replied = _parts_of_the_reply(edge, answer, "bild")
    dms = [c.args for c in edge.slack.calls_to("chat.postMessage") if c.args["channel"] == ADMIN]
    parts = [d["blocks"] for d in dms]
    if by_dm:  # 5 blocks a place: more parts than the acknowledgement and 5 posts carry
        assert [r["text"] for r in replied] == [
            f"Lägesbilden har {len(parts)} delar, fler än ett svar rymmer: de kommer till dig "
            "som direktmeddelande."
        ]
        assert len(parts) > 6
    else:
        assert dms == []
        parts = [r["blocks"] for r in replied]
        # A place is 4 blocks: a divider, its section, and the three reports' lines in two
        # sections (each line is about 1 255 characters: the organisation, ": ", the level
        # ":large_orange_circle: oroligt" (29), ", sämre", " — " and 1 204 of observations;
        # two make 2 510 with the newline, within a section's 3 000, a third would not).
        # A message holds 45 blocks (BLOCKS_PER_MESSAGE), the first 43 after the header and the
        # note of which meeting: 10 places (40 blocks) in the first, 11 (44) in each next, so
        # 10 + 4 × 11 = 54 places in five messages and the last 6 (24 blocks) with "Alla
        # organisationer har rapporterat." in a sixth.
        assert len(parts) == 6
        assert [sum(b["type"] == "divider" for b in p) for p in parts] == [10, 11, 11, 11, 11, 6]
    said = json.dumps(parts, ensure_ascii=False)
    assert all(len(p) <= 50 for p in parts)
    assert sorted(n for n in names if f"*{n}*" in said) == names  # every place …
    assert all(said.count(f"*{n}*") == 1 for n in names)  # … once
    for n in range(3):  # and every observation whole, at every place
        whole = f"[{n}] " + ("Grupp ungdomar vid entrén, lustgas på marken. " * 70)[:length]
        assert said.count(json.dumps(whole, ensure_ascii=False)[1:-1]) == 60
    assert f"Del {len(parts)} av {len(parts)}." in said


def test_the_weekly_summary_of_60_places_says_how_many_more_and_where(edge: Edge) -> None:
    admin = _group(edge)
    last_week = _now() - timedelta(days=7)
    start = (last_week - timedelta(days=1)).date().isoformat()  # the group was there last week
    edge.services.group_start.set(admin, start, now=_now())
    admin = edge.services.groups.locate(TEAM, CHANNEL, ADMIN)
    for i in range(1, 61):
        name = f"Plats {i:02}"
        edge.services.places.add(admin, PlaceForm(name, "Alby", "torg", ()), now=last_week)
        for _ in range(1 + i % 3):
            quick = parse_quick(f"{name}; narkotikaförsäljning; Försäljning")
            edge.services.incidents.log(admin, quick, now=last_week)
    _year, week, _ = last_week.astimezone(ZoneInfo("Europe/Stockholm")).isocalendar()
    summary = edge.services.summaries.show(admin, f"v{week}", now=_now())
    assert len(summary.places) == 60 and summary.total == 20 * 1 + 20 * 2 + 20 * 3
    group = admin.group
    assert group is not None
    transport = SlackTransport(WebClient(token="xoxb-test", base_url=edge.slack.api_url))

    transport.send(CHANNEL, SummaryPosted(group, summary))

    [posted] = edge.slack.calls_to("chat.postMessage")
    text = _texts(posted.args)
    more = 60 - len(summary.concern) - 10
    assert f"… och {more} platser till" in text
    assert f"`/est händelser v{week}` visar alla." in text
