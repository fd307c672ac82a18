"""Incidents over real HTTP: quick syntax, the modal, the message shortcut, lists, corrections.

One group per backend (module scoped): Anna (admin, Botkyrka kommun) and Erik (member, the
police) in channel C_INC, with four places. The listing test gets a group of its own, so its
counts are exactly what it stored. Expected values are computed here by hand from the real clock.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from storage.db import reading
from tests.e2e.conftest import SECRET, Bot

pytestmark = pytest.mark.e2e

CHANNEL = "C_INC"
LIST_CHANNEL = "C_INC_LIST"
ANNA, ERIK, STRANGER, LISA = "U_ANNA", "U_ERIK", "U_STRANGER", "U_LISA"
KOMMUN, POLISEN = "Botkyrka kommun", "Polisen lokalpolisområde Botkyrka"
STHLM = ZoneInfo("Europe/Stockholm")
PLACES = (
    "Fittja centrum; Fittja; centrum; alias Fittja C",
    "Fittja torg; Fittja; torg",
    "Kårsby IP; Hallunda/Norsborg; idrottsplats; alias Karsby IP",
    "Tumba station; Tumba; station",
)
WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
SAVED = re.compile(r"Sparad som händelse #(\d+)")
DANGEROUS = ("<!channel>", "<@U123>", "<https://evil")


# -- set-up ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    channel: str
    places: dict[str, int]  # name -> id
    organisations: dict[str, int]  # name -> id


def _submit(bot: Bot, view: dict[str, Any], values: dict[str, Any], user: str = ANNA) -> bytes:
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=user))
    assert status == 200, body
    assert body in (b"", b"{}"), body
    return body


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


def _open_from_button(bot: Bot, message: dict[str, Any], action_id: str) -> dict[str, Any]:
    before = len(bot.slack.calls_to("views.open"))
    button = _button(message, action_id)
    press = sr.block_action(
        action_id, button.get("value"), secret=SECRET, user_id=ANNA, channel_id=CHANNEL
    )
    assert bot.post(press)[0] == 200
    view: dict[str, Any] = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    return view


def make_group(bot: Bot, channel: str, *, admin: str = ANNA, with_police: bool) -> Group:
    slack = bot.slack
    slack.clear()
    assert bot.command("inställningar", channel_id=channel, user_id=admin) == {}
    view = slack.wait_for("views.open")[0].response["view"]
    assert view["callback_id"] == Callback.CREATE_GROUP
    values = sr.state_values(
        sr.text_value(Block.NAME, Action.NAME, f"EST {channel}"),
        sr.text_value(Block.ORGANISATION, Action.ORGANISATION, KOMMUN),
        sr.select_value(Block.KIND, Action.KIND, "kommun"),
        sr.select_value(Block.LANGUAGE, Action.LANGUAGE, "sv"),
    )
    _submit(bot, view, values, user=admin)
    # the group's records go back to last year, as an established group's do
    start = f"{local_now().year - 1}-01-01"
    answer = bot.command(f"inställningar start {start}", channel_id=channel, user_id=admin)
    assert f"från {long_day(date.fromisoformat(start))}" in answer["text"], answer
    for form in PLACES:
        answer = bot.command(f"plats ny {form}", channel_id=channel, user_id=admin)
        assert f"*{form.split(';')[0]}*" in answer["text"], answer
    if with_police:
        settings = bot.command("inställningar", channel_id=channel, user_id=ANNA)
        view = _open_from_button(bot, settings, Action.OPEN_ADD_ORGANISATION)
        values = sr.state_values(
            sr.text_value(Block.NAME, Action.NAME, POLISEN),
            sr.select_value(Block.KIND, Action.KIND, "polis"),
        )
        _submit(bot, view, values)
        view = _open_from_button(bot, settings, Action.OPEN_ADD_MEMBER)
        values = sr.state_values(
            sr.user_value(Block.USER, Action.USER, ERIK),
            sr.select_value(Block.ORGANISATION, Action.ORGANISATION, POLISEN),
            sr.select_value(Block.ROLE, Action.ROLE, "medlem"),
        )
        _submit(bot, view, values)
    group_id = bot.scalar(f"SELECT id FROM est_group WHERE slack_channel_id = '{channel}'")
    assert group_id is not None
    places = dict(rows(bot, f"SELECT name, id FROM place WHERE group_id = {group_id}"))
    orgs = dict(rows(bot, f"SELECT name, id FROM organisation WHERE group_id = {group_id}"))
    assert set(places) == {"Fittja centrum", "Fittja torg", "Kårsby IP", "Tumba station"}
    if with_police:
        member = (
            f"SELECT status FROM member WHERE slack_user_id = '{ERIK}' AND group_id = {group_id}"
        )
        assert bot.scalar(member) == "active"
    slack.clear()
    return Group(channel, places, orgs)


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    return make_group(bot, CHANNEL, with_police=True)


# -- helpers -----------------------------------------------------------------------------------


def rows(bot: Bot, sql: str) -> list[tuple[Any, ...]]:
    engine = bot.engine()
    try:
        with reading(engine).connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def as_utc(value: Any) -> datetime:
    """A timestamp read with raw SQL: SQLite gives naive-UTC text, PostgreSQL aware datetimes."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def incidents(bot: Bot) -> int:
    return int(bot.scalar("SELECT count(*) FROM incident"))


def saved_id(message: dict[str, Any]) -> int:
    match = SAVED.search(message.get("text", ""))
    assert match, message
    return int(match[1])


def log(bot: Bot, quick: str, user: str = ANNA, channel: str = CHANNEL) -> dict[str, Any]:
    return bot.answer(f"händelse {quick}", channel_id=channel, user_id=user)


def log_ok(bot: Bot, quick: str, user: str = ANNA, channel: str = CHANNEL) -> int:
    return saved_id(log(bot, quick, user, channel))


def text_objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from text_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from text_objects(value)


def plain_texts(message: dict[str, Any]) -> list[str]:
    return [t["text"] for t in text_objects(message.get("blocks", [])) if t["type"] == "plain_text"]


def everything(message: dict[str, Any]) -> str:
    return message.get("text", "") + "\n" + "\n".join(t["text"] for t in text_objects(message))


def assert_never_formatted(message: dict[str, Any]) -> None:
    """What people typed may appear only in plain_text; mrkdwn and the fallback stay clean."""
    mrkdwn = [t["text"] for t in text_objects(message) if t["type"] == "mrkdwn"]
    for needle in DANGEROUS:
        assert needle not in message.get("text", ""), message["text"]
        for shown in mrkdwn:
            assert needle not in shown, shown


def local_now() -> datetime:
    return datetime.now(UTC).astimezone(STHLM)


def at_local(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, clock(hh, mm), tzinfo=STHLM).astimezone(UTC)


def long_day(day: date) -> str:
    """'måndag 1 januari 2024', as the bot words an understood time."""
    return f"{WEEKDAYS_SV[day.weekday()]} {day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def options_request(bot: Bot, view: dict[str, Any], value: str, user: str = ANNA) -> dict:
    """What Slack sends when someone types into the place typeahead (block_suggestion)."""
    payload = {
        "type": "block_suggestion",
        "user": {"id": user, "username": "anna", "name": "anna", "team_id": sr.TEAM_ID},
        "container": {"type": "view", "view_id": view["id"]},
        "api_app_id": sr.APP_ID,
        "token": sr.VERIFICATION_TOKEN,
        "action_id": Action.PLACE,
        "block_id": Block.PLACE,
        "value": value,
        "team": {"id": sr.TEAM_ID, "domain": sr.TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view,
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    status, _h, answer = bot.post(sr.sign(body, SECRET))
    assert status == 200, answer
    result: dict = json.loads(answer)
    return result


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def category_option(view: dict[str, Any], label: str) -> dict[str, Any]:
    options = block(view, Block.CATEGORY)["element"]["options"]
    return next(o for o in options if o["text"]["text"] == label)


def form_values(
    *,
    place: dict[str, Any],
    category: dict[str, Any],
    day: str,
    hhmm: str,
    description: str | None,
    duplicate: list[str] | None = None,
) -> dict[str, Any]:
    entries = [
        sr.select_value(
            Block.PLACE,
            Action.PLACE,
            place["value"],
            text=place["text"]["text"],
            type_="external_select",
        ),
        sr.select_value(
            Block.CATEGORY, Action.CATEGORY, category["value"], text=category["text"]["text"]
        ),
        sr.date_value(Block.DATE, Action.DATE, day),
        sr.time_value(Block.WHEN, Action.TIME, hhmm),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, description),
        sr.select_value(Block.PERSISTENCE, Action.PERSISTENCE, None),
    ]
    if duplicate is not None:
        entries.append(sr.checkbox_values(Block.DUPLICATE, Action.DUPLICATE, duplicate))
    return sr.state_values(*entries)


def open_form(bot: Bot, slack: LocalSlack) -> dict[str, Any]:
    assert bot.command("händelse", channel_id=CHANNEL, user_id=ANNA) == {}
    view: dict[str, Any] = slack.wait_for("views.open")[-1].response["view"]
    assert view["callback_id"] == Callback.INCIDENT
    return view


def place_option(bot: Bot, view: dict[str, Any], typed: str, name: str) -> dict[str, Any]:
    options = options_request(bot, view, typed)["options"]
    return next(o for o in options if o["text"]["text"] == name)


# -- 1. quick syntax ---------------------------------------------------------------------------


def test_quick_syntax_saves_exactly_what_it_shows(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    before = incidents(bot)
    answer = log(
        bot, "Fittja centrum; narkotikaförsäljning; Öppen försäljning vid tunnelbanan; igår 21:30"
    )
    n = saved_id(answer)
    assert incidents(bot) == before + 1

    yesterday = local_now().date() - timedelta(days=1)
    summary = next(t for t in plain_texts(answer) if t.startswith("Fittja centrum · "))
    first, quote = summary.split("\n")
    place, category, when = first.split(" · ")
    assert (place, category) == ("Fittja centrum", "Öppen narkotikaförsäljning")
    month = MONTHS_SV[yesterday.month - 1][:3]
    weekday = WEEKDAYS_SV[yesterday.weekday()]
    assert re.fullmatch(rf"{weekday} {yesterday.day} {month}\S* {yesterday.year} kl\. 21:30", when)
    assert quote == "”Öppen försäljning vid tunnelbanan”"
    assert f"<@{ANNA}>" in everything(answer) and KOMMUN in everything(answer)
    assert _button(answer, Action.EDIT_INCIDENT)["value"] == str(n)

    (row,) = rows(
        bot,
        "SELECT i.occurred_at, i.reporter_user_id, i.organisation_id, i.place_id, i.description,"
        f" i.version, c.label_sv FROM incident i JOIN category c ON c.id = i.category_id"
        f" WHERE i.id = {n}",
    )
    assert as_utc(row[0]) == at_local(yesterday, 21, 30)
    assert row[1:] == (
        ANNA,
        group.organisations[KOMMUN],
        group.places["Fittja centrum"],
        "Öppen försäljning vid tunnelbanan",
        1,
        "Öppen narkotikaförsäljning",
    )
    assert rows(bot, f"SELECT version FROM incident_version WHERE incident_id = {n}") == [(1,)]
    audit = f"SELECT action FROM audit_event WHERE entity = 'incident' AND entity_id = {n}"
    assert rows(bot, audit) == [("incident.created",)]

    # the reporter's organisation comes from the membership: Erik reports for the police
    erik = log(bot, "Kårsby IP; skadegörelse; Krossad ruta i omklädningsrummet; nu", user=ERIK)
    m = saved_id(erik)
    assert f"<@{ERIK}>" in everything(erik) and POLISEN in everything(erik)
    sql = f"SELECT reporter_user_id, organisation_id FROM incident WHERE id = {m}"
    assert rows(bot, sql) == [(ERIK, group.organisations[POLISEN])]


# -- 2. places from what people type -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "place"), [("fittja c", "Fittja centrum"), ("Karsby ip", "Kårsby IP")]
)
def test_typed_place_names_resolve(bot: Bot, group: Group, typed: str, place: str) -> None:
    n = log_ok(bot, f"{typed}; klotter; Tags på väggen; nu")
    assert bot.scalar(f"SELECT place_id FROM incident WHERE id = {n}") == group.places[place]


def test_an_ambiguous_place_asks_and_the_button_saves(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    before = incidents(bot)
    quick = "Fittja; nedskräpning; Sopor överallt; nu"
    answer = log(bot, quick)
    assert incidents(bot) == before  # never silently mapped to one of them
    assert "Fittja" in answer["text"] and not SAVED.search(answer["text"])
    choices = {
        e["text"]["text"]: e
        for b in answer["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith(Action.PICK_PLACE)
    }
    assert {"Fittja centrum", "Fittja torg"} <= set(choices)
    assert "Tumba station" not in choices
    ids = sorted(e["action_id"] for e in choices.values())
    assert ids == [f"{Action.PICK_PLACE}_{i}" for i in range(len(ids))] and len(ids) <= 3
    _button(answer, Action.OPEN_ADD_PLACE)  # an admin may add "Fittja" as a place
    # a member (not admin) gets the choices but no "add this place"
    erik = log(bot, quick, user=ERIK)
    assert not any(
        e["action_id"] == Action.OPEN_ADD_PLACE
        for b in erik["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    )

    chosen = choices["Fittja torg"]
    press = sr.block_action(
        chosen["action_id"],
        chosen["value"],
        secret=SECRET,
        user_id=ANNA,
        channel_id=CHANNEL,
        response_url=slack.response_url("pick"),
    )
    assert bot.post(press)[0] == 200
    reply = slack.wait_for_response("pick")
    assert reply.get("replace_original") is True
    n = saved_id(reply)
    assert "Fittja torg · Nedskräpning · " in "\n".join(plain_texts(reply))
    assert incidents(bot) == before + 1
    sql = f"SELECT place_id, description, reporter_user_id FROM incident WHERE id = {n}"
    assert rows(bot, sql) == [(group.places["Fittja torg"], "Sopor överallt", ANNA)]


# -- 3. bad input ------------------------------------------------------------------------------


def _refusals() -> list[Any]:
    long_description = "x" * 3001
    too_long = "Fittja centrum; narkotikaförsäljning; " + "y" * 4000
    return [
        pytest.param(
            "Fittja centrum; xyzzy; Något hände; igår 21:30",
            ANNA,
            ["ingen kategori", "xyzzy"],
            id="unknown-category",
        ),
        pytest.param(
            "Fittja centrum; narkotikaförsäljning; Försäljning; 2024-01-01 12:00",
            ANNA,
            ["Du skrev ”2024-01-01 12:00”", "måndag 1 januari 2024 kl. 12:00", "kan registreras"],
            id="outside-the-recording-window",
        ),
        pytest.param(
            "Fittja centrum; narkotikaförsäljning; Försäljning; när solen gick ner",
            ANNA,
            ["Jag kunde inte läsa", "när solen gick ner", "som en tid"],
            id="unreadable-time",
        ),
        pytest.param("Fittja centrum", ANNA, ["Skriv: plats; kategori"], id="missing-fields"),
        pytest.param(
            "Fittja centrum; narkotikaförsäljning; Ring 070-123 45 67 om du ser något; nu",
            ANNA,
            ["telefonnummer", "070-123 45 67"],
            id="phone",
        ),
        pytest.param(
            "Fittja centrum; narkotikaförsäljning; Tips från anna.svensson@example.se; nu",
            ANNA,
            ["e-postadress", "anna.svensson@example.se"],
            id="e-mail",
        ),
        pytest.param(
            f"Fittja centrum; narkotikaförsäljning; {long_description}; nu",
            ANNA,
            ["för lång", "3001 tecken", "högst 3000"],
            id="description-over-3000",
        ),
        pytest.param(
            too_long,
            ANNA,
            [f"för långt ({len('händelse ' + too_long)} tecken; högst 4000)"],
            id="text-over-4000",
        ),
        pytest.param(
            "Fittja centrum; narkotikaförsäljning; Försäljning; igår 21:30",
            STRANGER,
            ["inte medlem", "/est gå med"],
            id="not-a-member",
        ),
    ]


@pytest.mark.parametrize(("quick", "user", "expected"), _refusals())
def test_bad_input_gets_a_swedish_answer_and_stores_nothing(
    bot: Bot, group: Group, quick: str, user: str, expected: list[str]
) -> None:
    before = incidents(bot)
    answer = log(bot, quick, user=user)
    for part in expected:
        assert part in answer["text"], answer["text"]
    if "telefonnummer" in expected or "e-postadress" in expected:
        assert quick in everything(answer)  # handed back, so nothing typed is lost
    assert not SAVED.search(everything(answer))
    assert incidents(bot) == before


def test_a_time_in_the_future_is_refused_with_what_was_understood(bot: Bot, group: Group) -> None:
    before = incidents(bot)
    tomorrow = local_now().date() + timedelta(days=1)
    answer = log(bot, "Fittja centrum; narkotikaförsäljning; Försäljning; i morgon 10:00")
    assert "framtiden" in answer["text"]
    assert f"{long_day(tomorrow)} kl. 10:00" in answer["text"], answer["text"]
    assert incidents(bot) == before


def test_a_personnummer_is_refused_and_the_text_handed_back(bot: Bot, group: Group) -> None:
    before = incidents(bot)
    quick = "Fittja centrum; narkotikaförsäljning; Sålde till 811218-9876 vid entrén; igår 21:30"
    answer = log(bot, quick)
    assert "personnummer" in answer["text"] and "811218-9876" in answer["text"]
    assert quick in everything(answer)  # the whole text, so nothing typed is lost
    assert incidents(bot) == before


def test_a_long_refused_text_is_handed_back_whole(bot: Bot, group: Group) -> None:
    description = "Beskrivning av läget. " * 135 + "Ring 070-123 45 67."  # 2989 characters
    assert len(description) == 2989  # within the 3000 a description may have
    quick = f"Fittja centrum; narkotikaförsäljning; {description}; nu"
    answer = log(bot, quick)
    assert "telefonnummer" in answer["text"]
    # Slack allows 3000 characters a section: the text comes back across sections, all of it
    handed_back = "".join(t["text"] for t in text_objects(answer) if t["type"] == "plain_text")
    assert quick in handed_back


# -- 4. escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("<!channel> test", "ordningsstörning"),
        ("<@U123> var där", "hot"),
        ("Se <https://evil.example|Swedbank>", "skadegörelse"),
        ("*bold* och _kursiv_", "övrigt"),
    ],
)
def test_descriptions_are_stored_as_typed_and_shown_literally(
    bot: Bot, slack: LocalSlack, group: Group, description: str, category: str
) -> None:
    answer = log(bot, f"Fittja torg; {category}; {description}; nu")
    n = saved_id(answer)
    assert bot.scalar(f"SELECT description FROM incident WHERE id = {n}") == description
    assert any(f"”{description}”" in t for t in plain_texts(answer))
    assert_never_formatted(answer)

    listing = bot.command("händelser Fittja torg", channel_id=CHANNEL, user_id=ANNA)
    entry = next(t for t in plain_texts(listing) if t.startswith(f"#{n} "))
    assert f"”{description}”" in entry
    assert_never_formatted(listing)
    for call in slack.calls:  # a hotspot notice or anything else the bot posted
        assert_never_formatted(call.args)


@pytest.mark.parametrize(
    "command",
    [
        "händelse <!channel>; klotter; Tags; nu",  # unknown place
        "händelse Fittja torg; <!channel>; Tags; nu",  # unknown category
        "händelse Fittja torg; klotter; Tags; <!channel> igår",  # unreadable time
        "händelser <@U123> torget",  # listing an unknown place
    ],
)
def test_typed_text_in_error_replies_is_escaped(bot: Bot, group: Group, command: str) -> None:
    before = incidents(bot)
    answer = bot.command(command, channel_id=CHANNEL, user_id=ANNA)
    assert incidents(bot) == before
    assert_never_formatted(answer)


def test_a_member_of_one_group_can_set_up_another_channel(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    answer = bot.command("inställningar", channel_id="C_INC_NEW", user_id=ERIK)
    assert answer == {}
    assert slack.wait_for("views.open")[0].response["view"]["callback_id"] == Callback.CREATE_GROUP


# -- 5. the modal round trip -------------------------------------------------------------------


def test_the_modal_round_trip_with_the_view_the_bot_sent(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    view = open_form(bot, slack)
    today = local_now().date()
    assert block(view, Block.DATE)["element"]["initial_date"] == today.isoformat()
    assert block(view, Block.PLACE)["element"]["type"] == "external_select"

    answer = options_request(bot, view, "fittja")
    labels = {o["text"]["text"]: o["value"] for o in answer["options"]}
    assert labels["Fittja centrum"] == str(group.places["Fittja centrum"])
    assert labels["Fittja torg"] == str(group.places["Fittja torg"])
    assert "Tumba station" not in labels
    place = next(o for o in answer["options"] if o["text"]["text"] == "Fittja centrum")
    category = category_option(view, "Otrygghet")

    before = incidents(bot)
    day = today - timedelta(days=2)
    description = "<!here> Grupp som *hotade* förbipasserande"
    values = form_values(
        place=place, category=category, day=day.isoformat(), hhmm="14:15", description=description
    )
    submit = sr.view_submission(view, values, secret=SECRET, user_id=ANNA)
    status, _h, body = bot.post(submit)
    assert (status, body) == (200, b"")
    confirmed = slack.wait_for("chat.postEphemeral")[0]
    assert confirmed.args["channel"] == CHANNEL and confirmed.args["user"] == ANNA
    n = saved_id(confirmed.args)
    assert incidents(bot) == before + 1
    assert "Fittja centrum · Otrygghet · " in "\n".join(plain_texts(confirmed.args))
    assert "<!here>" not in json.dumps(
        [t for t in text_objects(confirmed.args) if t["type"] == "mrkdwn"]
    )
    (row,) = rows(
        bot,
        "SELECT occurred_at, place_id, category_id, description, idempotency_key"
        f" FROM incident WHERE id = {n}",
    )
    assert as_utc(row[0]) == at_local(day, 14, 15)
    assert row[1:] == (
        group.places["Fittja centrum"],
        int(category["value"]),
        description,
        view["id"],
    )

    # the same view again (double click, Slack's retry): one incident, still a 200
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=ANNA))
    assert (status, body) == (200, b"")
    again = slack.wait_for("chat.postEphemeral", count=2)[1]
    assert f"Redan sparad som händelse #{n}" in again.args["text"]
    assert incidents(bot) == before + 1


# -- 6. the modal with errors ------------------------------------------------------------------


def test_the_modal_shows_errors_under_their_fields(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    view = open_form(bot, slack)
    place = place_option(bot, view, "tumba", "Tumba station")
    category = category_option(view, "Klotter")
    today = local_now().date()
    before = incidents(bot)

    values = form_values(
        place=place,
        category=category,
        day=today.isoformat(),
        hhmm="00:00",
        description="Sprejade, 811218-9876 var med",
    )
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET))
    answer = json.loads(body)
    assert status == 200
    assert answer["response_action"] == "errors" and list(answer["errors"]) == [Block.DESCRIPTION]
    assert "personnummer" in answer["errors"][Block.DESCRIPTION]
    assert "Texten innehåller" in answer["errors"][Block.DESCRIPTION]

    tomorrow = today + timedelta(days=1)
    values = form_values(
        place=place,
        category=category,
        day=tomorrow.isoformat(),
        hhmm="10:00",
        description="Nya tags",
    )
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET))
    answer = json.loads(body)
    assert status == 200
    assert answer == {
        "response_action": "errors",
        "errors": {Block.WHEN: f"Tiden {long_day(tomorrow)} kl. 10:00 ligger i framtiden."},
    }
    assert incidents(bot) == before
    assert slack.calls_to("chat.postEphemeral") == []


# -- 7. the message shortcut -------------------------------------------------------------------


def test_logging_a_message_and_asking_before_a_duplicate(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    ts = "1763800000.000300"
    message = {"text": "Lustgaspatroner vid Fittja torg", "ts": ts, "user": ERIK}
    link = f"https://est-test.slack.com/archives/{CHANNEL}/p1763800000000300"

    def shortcut() -> dict[str, Any]:
        opened = len(slack.calls_to("views.open"))
        req = sr.message_shortcut(
            Callback.LOG_INCIDENT_SHORTCUT, message, secret=SECRET, channel_id=CHANNEL
        )
        assert bot.post(req)[0] == 200
        view: dict[str, Any] = slack.wait_for("views.open", count=opened + 1)[-1].response["view"]
        return view

    view = shortcut()
    permalink = slack.wait_for("chat.getPermalink")[0]
    assert (permalink.args["channel"], permalink.args["message_ts"]) == (CHANNEL, ts)
    assert block(view, Block.DESCRIPTION)["element"]["initial_value"] == message["text"]
    assert link in json.dumps(view["blocks"])
    assert not any(b.get("block_id") == Block.DUPLICATE for b in view["blocks"])

    place = place_option(bot, view, "fittja torg", "Fittja torg")
    category = category_option(view, "Lustgas")
    values = form_values(
        place=place,
        category=category,
        day=block(view, Block.DATE)["element"]["initial_date"],
        hhmm=block(view, Block.WHEN)["element"]["initial_time"],
        description=message["text"],
    )
    before = incidents(bot)
    _submit(bot, view, values)
    n = saved_id(slack.wait_for("chat.postEphemeral")[0].args)
    sql = f"SELECT source_channel, source_ts, source_link, description FROM incident WHERE id = {n}"
    assert rows(bot, sql) == [(CHANNEL, ts, link, message["text"])]

    # the same message again: the form asks before a second incident
    second = shortcut()
    duplicate = block(second, Block.DUPLICATE)
    assert duplicate["element"]["type"] == "checkboxes"
    assert f"#{n}" in duplicate["label"]["text"]
    status, _h, body = bot.post(sr.view_submission(second, values, secret=SECRET))
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors"
    assert list(answer["errors"]) == [Block.DUPLICATE]
    assert f"#{n}" in answer["errors"][Block.DUPLICATE]
    assert incidents(bot) == before + 1

    ticked = {**values, **sr.checkbox_values(Block.DUPLICATE, Action.DUPLICATE, ["yes"])}
    _submit(bot, second, ticked)
    m = saved_id(slack.wait_for("chat.postEphemeral", count=2)[1].args)
    assert m != n and incidents(bot) == before + 2
    assert bot.scalar(f"SELECT count(*) FROM incident WHERE source_ts = '{ts}'") == 2


# -- 8. correct and delete ---------------------------------------------------------------------


def _total(listing: dict[str, Any]) -> int:
    header = next(b for b in listing["blocks"] if b["type"] == "header")["text"]["text"]
    match = re.match(r"(\d+) händelser?, ", header)
    assert match, header
    return int(match[1])


def test_correcting_and_deleting_keep_the_history(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    confirmation = log(bot, "Kårsby IP; brand; Soptunna i brand; nu")
    n = saved_id(confirmation)
    edit = _button(confirmation, Action.EDIT_INCIDENT)
    press = sr.block_action(
        Action.EDIT_INCIDENT, edit["value"], secret=SECRET, user_id=ANNA, channel_id=CHANNEL
    )
    assert bot.post(press)[0] == 200
    view = slack.wait_for("views.open")[0].response["view"]
    assert view["callback_id"] == Callback.INCIDENT_EDIT
    (row,) = rows(bot, f"SELECT occurred_at, category_id FROM incident WHERE id = {n}")
    at = as_utc(row[0]).astimezone(STHLM)
    place = block(view, Block.PLACE)["element"]["initial_option"]
    category = block(view, Block.CATEGORY)["element"]["initial_option"]
    assert place["value"] == str(group.places["Kårsby IP"])
    assert (category["value"], category["text"]["text"]) == (str(row[1]), "Brand")
    assert block(view, Block.DATE)["element"]["initial_date"] == at.date().isoformat()
    assert block(view, Block.WHEN)["element"]["initial_time"] == at.strftime("%H:%M")
    assert block(view, Block.DESCRIPTION)["element"]["initial_value"] == "Soptunna i brand"

    values = form_values(
        place=place,
        category=category,
        day=at.date().isoformat(),
        hhmm=at.strftime("%H:%M"),
        description="Två soptunnor i brand",
    )
    before = incidents(bot)
    _submit(bot, view, values)
    assert saved_id(slack.wait_for("chat.postEphemeral")[0].args) == n
    assert incidents(bot) == before
    sql = f"SELECT version, description FROM incident WHERE id = {n}"
    assert rows(bot, sql) == [(2, "Två soptunnor i brand")]
    versions = f"SELECT version FROM incident_version WHERE incident_id = {n} ORDER BY version"
    assert rows(bot, versions) == [(1,), (2,)]
    audit = f"SELECT action FROM audit_event WHERE entity = 'incident' AND entity_id = {n}"
    assert sorted(rows(bot, audit)) == [("incident.changed",), ("incident.created",)]
    listing = bot.command("händelser Kårsby IP", channel_id=CHANNEL, user_id=ANNA)
    entry = next(t for t in plain_texts(listing) if t.startswith(f"#{n} "))
    assert "(rättad)" in entry and "Två soptunnor i brand" in entry
    total = _total(listing)

    # Erik is neither the reporter nor an admin
    refused = log(bot, f"ta bort {n} Fel plats", user=ERIK)
    assert "Bara den som rapporterade eller en administratör" in refused["text"]
    assert bot.scalar(f"SELECT deleted_at FROM incident WHERE id = {n}") is None
    no_reason = log(bot, f"ta bort {n}")
    assert "Skriv varför" in no_reason["text"]

    deleted = log(bot, f"ta bort {n} Dubblett")
    assert f"Händelse #{n} är borttagen" in deleted["text"]
    listing = bot.command("händelser Kårsby IP", channel_id=CHANNEL, user_id=ANNA)
    assert _total(listing) == total - 1
    assert not any(t.startswith(f"#{n} ") for t in plain_texts(listing))
    assert "Brand" not in dict(_counts(listing, "Per kategori"))
    sql = f"SELECT delete_reason, version FROM incident WHERE id = {n}"
    assert rows(bot, sql) == [("Dubblett", 3)]
    assert rows(bot, versions) == [(1,), (2,), (3,)]
    assert bot.scalar(f"SELECT deleted_at FROM incident WHERE id = {n}") is not None
    deleted_audit = f"{audit} AND action = 'incident.deleted'"
    assert rows(bot, deleted_audit) == [("incident.deleted",)]


# -- 9. listing --------------------------------------------------------------------------------

# (place, quick category, Swedish label, how many) — all "nu", so all in this week
LISTED = (
    ("Fittja centrum", "langning", "Öppen narkotikaförsäljning", 2),
    ("Fittja centrum", "klotter", "Klotter", 2),
    ("Fittja torg", "klotter", "Klotter", 1),
    ("Kårsby IP", "skadegörelse", "Skadegörelse", 2),
    ("Tumba station", "brand", "Brand", 2),
    ("Tumba station", "nedskräpning", "Nedskräpning", 2),
    ("Fittja torg", "lustgas", "Lustgas", 2),
    ("Kårsby IP", "buskörning", "Buskörning", 2),
    ("Tumba station", "otrygghet", "Otrygghet", 2),
)


def _counts(listing: dict[str, Any], title: str) -> list[tuple[str, int]]:
    field = next(t for t in plain_texts(listing) if t.startswith(title + "\n"))
    counted = []
    for line in field.split("\n")[1:]:
        n, name = line.split("  ", 1)
        counted.append((name, int(n)))
    return counted


def _entry_ids(message: dict[str, Any]) -> list[int]:
    return [int(m[1]) for t in plain_texts(message) if (m := re.match(r"#(\d+) ", t))]


def test_listing_counts_filters_and_pages(bot: Bot, slack: LocalSlack, group: Group) -> None:
    # a group of its own (admin Lisa), so the counts are exactly what this test stored
    make_group(bot, LIST_CHANNEL, admin=LISA, with_police=False)
    stored = [
        log_ok(bot, f"{place}; {category}; Iakttagelse {i}; nu", LISA, LIST_CHANNEL)
        for place, category, _label, times in LISTED
        for i in range(times)
    ]
    assert len(stored) == 17
    year, week, _ = local_now().isocalendar()

    listing = bot.command("händelser", channel_id=LIST_CHANNEL, user_id=LISA)
    header = next(b for b in listing["blocks"] if b["type"] == "header")["text"]["text"]
    assert header == f"17 händelser, v. {week} {year}"
    by_category = _counts(listing, "Per kategori")
    assert dict(by_category) == {
        "Klotter": 3,
        "Öppen narkotikaförsäljning": 2,
        "Skadegörelse": 2,
        "Brand": 2,
        "Nedskräpning": 2,
        "Lustgas": 2,
        "Buskörning": 2,
        "Otrygghet": 2,
    }
    assert by_category[0] == ("Klotter", 3)  # most first
    by_place = _counts(listing, "Per plats")
    assert dict(by_place) == {
        "Tumba station": 6,
        "Fittja centrum": 4,
        "Kårsby IP": 4,
        "Fittja torg": 3,
    }
    assert [n for _p, n in by_place] == [6, 4, 4, 3]
    newest_first = sorted(stored, reverse=True)
    assert _entry_ids(listing) == newest_first[:15]

    more = _button(listing, Action.MORE_INCIDENTS)
    assert more["text"]["text"] == "Visa fler"
    press = sr.block_action(
        Action.MORE_INCIDENTS,
        more["value"],
        secret=SECRET,
        user_id=LISA,
        channel_id=LIST_CHANNEL,
        response_url=slack.response_url("more"),
    )
    assert bot.post(press)[0] == 200
    page = slack.wait_for_response("more")
    assert page.get("replace_original") is True
    assert _entry_ids(page) == newest_first[15:]
    assert not any(
        e.get("action_id") == Action.MORE_INCIDENTS
        for b in page["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    )

    filtered = bot.command(
        f"händelser Fittja centrum v{week}", channel_id=LIST_CHANNEL, user_id=LISA
    )
    header = next(b for b in filtered["blocks"] if b["type"] == "header")["text"]["text"]
    assert header == f"4 händelser, v. {week} {year} · Fittja centrum"
    assert dict(_counts(filtered, "Per kategori")) == {
        "Öppen narkotikaförsäljning": 2,
        "Klotter": 2,
    }
    assert _counts(filtered, "Per plats") == [("Fittja centrum", 4)]
    assert _entry_ids(filtered) == sorted(stored[:4], reverse=True)
    assert all(" · Fittja centrum · " in t for t in plain_texts(filtered) if t.startswith("#"))
    assert "Visa fler" not in everything(filtered)

    last_year, last_week, _ = (local_now().date() - timedelta(weeks=1)).isocalendar()
    empty = bot.command("händelser förra veckan", channel_id=LIST_CHANNEL, user_id=LISA)
    assert empty["text"] == f"Inga händelser rapporterade: v. {last_week} {last_year}."


# -- 10. hotspot notice ------------------------------------------------------------------------


def test_three_of_a_kind_at_a_place_posts_one_notice(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    def notices() -> list[Any]:
        return [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]

    for i in range(2):
        log_ok(bot, f"Tumba station; klotter; Tags på perrongen {i}; nu")
    time.sleep(0.3)
    assert notices() == []
    log_ok(bot, "Tumba station; klotter; Tags på perrongen 2; nu")
    slack.wait_for("chat.postMessage")
    (notice,) = notices()
    shown = everything(notice.args)
    _year, week, _ = local_now().isocalendar()
    assert "Tumba station" in shown and "Klotter" in shown
    assert "3 händelser" in shown and f"v. {week}" in shown

    log_ok(bot, "Tumba station; klotter; Tags på perrongen 3; nu")
    time.sleep(0.5)
    assert len(notices()) == 1
    place = group.places["Tumba station"]
    assert bot.scalar(f"SELECT count(*) FROM hotspot_notice WHERE place_id = {place}") == 1


# -- 11. Slack hears back before the write -----------------------------------------------------


@contextmanager
def write_lock(bot: Bot) -> Iterator[None]:
    """Hold what a writer of incidents must wait for, as a busy database does: SQLite's one
    write lock, or on PostgreSQL a lock on the incident table that lets readers through."""
    engine = bot.engine()
    try:
        with engine.connect() as conn:
            conn.begin()  # on SQLite the project's engine begins with BEGIN IMMEDIATE
            if engine.dialect.name != "sqlite":
                conn.execute(text("LOCK TABLE incident IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                conn.rollback()
    finally:
        engine.dispose()


def test_slack_hears_back_while_the_write_waits_for_the_database(
    bot: Bot, slack: LocalSlack, group: Group
) -> None:
    view = open_form(bot, slack)
    place = place_option(bot, view, "tumba", "Tumba station")
    values = form_values(
        place=place,
        category=category_option(view, "Klotter"),
        day=local_now().date().isoformat(),
        hhmm="00:01",
        description="Under låset: formuläret",
    )
    before = incidents(bot)
    with write_lock(bot):
        quick = "händelse Tumba station; klotter; Under låset: snabbsyntaxen; nu"
        ack = bot.command(
            quick, channel_id=CHANNEL, user_id=ANNA, response_url=slack.response_url("locked")
        )
        assert ack == {}  # acknowledged with nothing to say yet: the answer follows
        _submit(bot, view, values)  # the form closes at once
        refused = log(bot, "Tumba station; klotter; Sålde till 811218-9876; nu")
        assert "personnummer" in refused["text"]  # refusals need no write: they come at once
        assert incidents(bot) == before
        assert not [b for k, b in slack.response_urls if k == "locked"]
        assert slack.calls_to("chat.postEphemeral") == []
    n = saved_id(slack.wait_for_response("locked"))
    m = saved_id(slack.wait_for("chat.postEphemeral")[0].args)
    assert incidents(bot) == before + 2
    stored = rows(bot, f"SELECT description FROM incident WHERE id IN ({n}, {m}) ORDER BY id")
    assert sorted(d for (d,) in stored) == ["Under låset: formuläret", "Under låset: snabbsyntaxen"]
