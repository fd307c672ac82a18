"""Attacks on the real request path (signature check → Bolt → listeners → services → database).

Two groups share a workspace: B is the demo group (EST Botkyrka, C0EST) and holds free text
marked HEMLIGT; A (EST Alby, C0ALBY) belongs to Mallory. Mallory signs every request correctly —
she is a real user of the workspace — and tries every command, button and modal against B's
data, with B's ids in action values and private_metadata. Nothing of B may change, and no
text of B may reach her. Then the inputs themselves: mrkdwn, control characters, SQL-looking
text and oversized fields.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import text as sql

from bot.actions.service import ActionDraft
from bot.actors import Actor
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now, _today, fingerprint

A_CHANNEL, MALLORY = "C0ALBY", "U0MAL"
MARK = "HEMLIGT"


@dataclass(frozen=True)
class Ids:
    incident: int
    action: int
    meeting: int
    place: int
    category: int
    organisation: int
    pending: int
    a_meeting: int
    a_place: int


@pytest.fixture
def ids(edge: Edge) -> Ids:
    s, now = edge.services, _now()
    load_demo(s.db, s.groups, now=now)
    anna = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    erik = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ERIK")
    logged = s.incidents.log(
        erik,
        parse_quick(f"Fittja centrum; narkotikaförsäljning; {MARK} försäljning vid trappan"),
        now=now,
    )
    incident = logged.incident
    action = s.actions.create(
        anna,
        ActionDraft(
            title=f"{MARK} belysning",
            owner_user_id="U0ERIK",
            due_date=now.date() + timedelta(days=7),
            places=["Fittja centrum"],
        ),
        now=now,
    )
    meeting, _agenda = s.meetings.open(anna, now=now)
    s.reports.save(
        erik,
        [EntryDraft(incident.place_id, "oroligt", "sämre", f"{MARK} observation")],
        notes=f"{MARK} anteckning",
        now=now,
    )
    stranger = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0PEND")
    pending = s.groups.request_join(stranger, organisation="Botkyrkabyggen", now=now)
    overview = s.groups.overview(anna)
    category = s.categories.of_group(anna)[0]
    # group A, Mallory's, in the same workspace
    s.groups.create_group(
        Actor(DEMO_TEAM, MALLORY, A_CHANNEL),
        name="EST Alby",
        organisation="Albyhem",
        kind="bostadsbolag",
        language="sv",
        now=now,
    )
    mallory = s.groups.locate(DEMO_TEAM, A_CHANNEL, MALLORY)
    from bot.places.service import parse_place_form

    a_place = s.places.add(mallory, parse_place_form("Alby; Albys torg; torg"), now=now)
    a_meeting, _ = s.meetings.open(mallory, now=now)
    edge.slack.clear()
    return Ids(
        incident.id,
        action.id,
        meeting,
        incident.place_id,
        category.id,
        overview.organisations[0].id,
        pending.id,
        a_meeting,
        a_place.id,
    )


# -- Mallory's requests ----------------------------------------------------------------------

COMMANDS = [
    "",
    "händelse Fittja centrum; narkotikaförsäljning; försäljning",
    "händelse",
    "händelser",
    "händelser Fittja centrum",
    "händelser v47",
    "rapport",
    "lägesbild",
    "lägesbild plats Fittja centrum",
    "lägesbild ändra v47 orsak",
    "möte",
    "åtgärd",
    "åtgärd alla",
    "åtgärd försenade",
    "åtgärd plats Fittja centrum",
    "åtgärd ny",
    "plats",
    "plats ny Fittja; Ny plats; torg",
    "plats byt namn Fittja centrum; Mitt centrum",
    "plats arkivera Fittja centrum",
    "plats slå ihop Fittja centrum; Albys torg",
    "kategori",
    "kategori ny Ny kategori",
    "kategori ta bort narkotika",
    "inställningar",
    "språk en",
    "sammanfattning",
    "export",
    "aktivitet",
]


def _commands(ids: Ids) -> list[tuple[str, str]]:
    in_b = [(DEMO_CHANNEL, c) for c in COMMANDS]
    with_b_ids = [
        f"åtgärd {ids.action}",
        f"åtgärd klar {ids.action}",
        f"åtgärd #{ids.action}",
        f"händelse #{ids.incident}",
    ]
    return in_b + [(ch, c) for ch in (A_CHANNEL, "D0MAL") for c in with_b_ids]


def _buttons(ids: Ids) -> list[dict[str, Any]]:
    """(action_id, value) or a static select's option, with B's ids."""
    pick = json.dumps({"t": "Fittja centrum; narkotikaförsäljning; x", "p": ids.place})
    values = [
        (Action.ACTION_DONE, str(ids.action)),
        (Action.ACTION_IN_PROGRESS, str(ids.action)),
        (Action.ACTION_NOTE, str(ids.action)),
        (Action.CREATE_ACTION, str(ids.incident)),
        (Action.EDIT_INCIDENT, str(ids.incident)),
        (Action.DELETE_INCIDENT, str(ids.incident)),
        (f"{Action.PICK_PLACE}_0", pick),
        (Action.MORE_INCIDENTS, json.dumps({"a": "", "o": 0})),
        (Action.OPEN_INCIDENT_FORM, "Fittja centrum; narkotikaförsäljning; x"),
        (Action.OPEN_ADD_PLACE, "Ny plats"),
        (Action.OPEN_REPORT, "x"),
        (Action.OPEN_MEETING_SETTINGS, "x"),
        (Action.DECISION, str(ids.meeting)),
        (Action.MEETING_ACTION, f"{ids.meeting}:2026:47"),
        (Action.CLOSE_MEETING, str(ids.meeting)),
        (Action.OPEN_ADD_ORGANISATION, "x"),
        (Action.OPEN_ADD_MEMBER, "x"),
        (Action.OPEN_CHANGE_MEMBER, "x"),
        (Action.OPEN_EDIT_GROUP, "x"),
        (Action.APPROVE_JOIN, str(ids.pending)),
        (Action.REJECT_JOIN, str(ids.pending)),
    ]
    presses: list[dict[str, Any]] = [{"action_id": a, "value": v} for a, v in values]
    selects = [
        (Action.POSTPONE_ACTION, f"{ids.action}:7"),
        (Action.POSTPONE_ACTION, f"{ids.action}:date"),
        (Action.POSTPONE_ACTION, f"{ids.action}:owner"),
        (Action.SET_LEVEL, f"{ids.meeting}:{ids.place}:allvarligt"),
        (Action.SET_LEVEL, f"{ids.meeting}:{ids.place}:action"),
        (Action.SET_LEVEL, f"{ids.a_meeting}:{ids.place}:allvarligt"),  # A's meeting, B's place
        (Action.SET_LEVEL, f"{ids.a_meeting}:{ids.place}:action"),
    ]
    presses += [{"action_id": a, "selected_option": sr.option(v)} for a, v in selects]
    return presses


def _modal(callback: str, meta: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    view = {"callback_id": callback, "private_metadata": json.dumps(meta), "blocks": []}
    return {"view": view, "values": values}


def _modals(ids: Ids, channel: str) -> list[dict[str, Any]]:
    due = (_today() + timedelta(days=7)).isoformat()
    text = sr.text_value
    incident = [
        sr.select_value(Block.PLACE, Action.PLACE, str(ids.place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(ids.category)),
        sr.date_value(Block.DATE, Action.DATE, _today().isoformat()),
        sr.time_value(Block.WHEN, Action.TIME, "00:01"),
        text(Block.DESCRIPTION, Action.DESCRIPTION, "försäljning"),
    ]
    new_action = [
        text(Block.TITLE, Action.TITLE, "Åtgärd"),
        sr.user_value(Block.OWNER, Action.OWNER, MALLORY),
        sr.date_value(Block.DUE, Action.DUE, due),
        sr.state_value(
            Block.PLACES,
            Action.PLACE,
            "multi_external_select",
            selected_options=[sr.option(str(ids.place))],
        ),
    ]
    c = {"c": channel}
    level = sr.select_value(f"level_{ids.place}", Action.LEVEL, "oroligt")
    meeting_settings = [
        sr.select_value(Block.MEETING_WEEKDAY, Block.MEETING_WEEKDAY, "1"),
        sr.time_value(Block.MEETING_TIME, Block.MEETING_TIME, "09:00"),
        sr.select_value(Block.DEADLINE_WEEKDAY, Block.DEADLINE_WEEKDAY, "0"),
        sr.time_value(Block.DEADLINE_TIME, Block.DEADLINE_TIME, "12:00"),
        text(Block.CALL_LEAD, Block.CALL_LEAD, "24"),
        text(Block.NUDGE_LEAD, Block.NUDGE_LEAD, "2"),
        sr.checkbox_values(Block.REPORTING, Block.REPORTING, [str(ids.organisation)]),
    ]
    specs: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = [
        (Callback.INCIDENT, c, incident),
        (Callback.INCIDENT_EDIT, {**c, "edit": ids.incident}, incident),
        (
            Callback.INCIDENT_DELETE,
            {**c, "id": ids.incident},
            [text(Block.REASON, Action.REASON, "fel")],
        ),
        (Callback.ACTION_NEW, c, new_action),
        (Callback.ACTION_NEW, {**c, "incidents": [ids.incident]}, new_action[:3]),
        (
            Callback.ACTION_POSTPONE,
            {**c, "id": ids.action},
            [sr.date_value(Block.DUE, Action.DUE, due), text(Block.REASON, Action.REASON, "sjuk")],
        ),
        (
            Callback.ACTION_NOTE,
            {**c, "id": ids.action},
            [text(Block.NOTE, Action.NOTE, "klart snart")],
        ),
        (
            Callback.ACTION_REASSIGN,
            {**c, "id": ids.action},
            [sr.user_value(Block.OWNER, Action.OWNER, MALLORY)],
        ),
        (Callback.REPORT, {**c, "places": [ids.place]}, [level]),
        (
            Callback.DECISION,
            {**c, "meeting": ids.meeting},
            [text(Block.DECISION, Action.DECISION_TEXT, "Beslut")],
        ),
        (
            Callback.DECISION,
            {**c, "meeting": ids.a_meeting},
            [
                text(Block.DECISION, Action.DECISION_TEXT, "Beslut"),
                sr.select_value(Block.PLACE, Action.PLACE_CHOICE, str(ids.place)),
            ],
        ),
        (Callback.MEETING_SETTINGS, c, meeting_settings),
    ]
    if channel == DEMO_CHANNEL:  # in A these are Mallory's own business
        specs += [
            (
                Callback.ADD_PLACE,
                c,
                [
                    text(Block.NAME, Action.NAME, "Ny plats"),
                    text(Block.DISTRICT, Action.DISTRICT, "Alby"),
                    sr.select_value(Block.KIND, Action.KIND, "torg"),
                ],
            ),
            (
                Callback.EDIT_GROUP,
                c,
                [
                    text(Block.NAME, Action.NAME, "Kapad"),
                    sr.select_value(Block.LANGUAGE, Action.LANGUAGE, "sv"),
                    text(Block.TIMEZONE, Action.TIMEZONE, "Europe/Stockholm"),
                ],
            ),
            (
                Callback.ADD_ORGANISATION,
                c,
                [
                    text(Block.NAME, Action.NAME, "Falska polisen"),
                    sr.select_value(Block.KIND, Action.KIND, "polis"),
                ],
            ),
            (
                Callback.CHANGE_MEMBER,
                c,
                [
                    sr.user_value(Block.USER, Action.USER, "U0ANNA"),
                    sr.select_value(Block.ROLE, Action.ROLE, "ta bort"),
                ],
            ),
            (
                Callback.ADD_MEMBER,
                c,
                [
                    sr.user_value(Block.USER, Action.USER, "U0MAL2"),
                    sr.select_value(Block.ORGANISATION, Action.ORGANISATION, "Botkyrka kommun"),
                    sr.select_value(Block.ROLE, Action.ROLE, "admin"),
                ],
            ),
        ]
    return [_modal(cb, meta, sr.state_values(*vals)) for cb, meta, vals in specs]


def test_a_member_of_another_group_can_neither_read_nor_change_b(edge: Edge, ids: Ids) -> None:
    before = fingerprint(edge.services)
    answers: list[str] = []
    for channel, command in _commands(ids):
        req = sr.slash_command(
            command,
            secret=SECRET,
            user_id=MALLORY,
            channel_id=channel,
            team_id=DEMO_TEAM,
            response_url=edge.slack.response_url(),
        )
        status, body = edge.post(req)
        assert status == 200, (command, body)
        answers.append(body)
    for channel in (DEMO_CHANNEL, A_CHANNEL, "D0MAL"):
        for press in _buttons(ids):
            req = sr.block_action(
                press["action_id"],
                press.get("value"),
                selected_option=press.get("selected_option"),
                secret=SECRET,
                user_id=MALLORY,
                channel_id=channel,
                team_id=DEMO_TEAM,
                response_url=edge.slack.response_url(),
            )
            status, body = edge.post(req)
            assert status == 200, (channel, press, body)
            answers.append(body)
        for modal in _modals(ids, channel) if channel != "D0MAL" else []:
            req = sr.view_submission(
                modal["view"], modal["values"], secret=SECRET, user_id=MALLORY, team_id=DEMO_TEAM
            )
            status, body = edge.post(req)
            assert status == 200, (channel, modal["view"]["callback_id"], body)
            answer = json.loads(body) if body else {}
            assert answer.get("response_action") == "errors", (channel, modal, body)
            answers.append(body)
    after = fingerprint(edge.services)
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert changed == {}
    said = edge.seen() + "\n".join(answers)
    assert MARK not in said


# -- the signature ---------------------------------------------------------------------------


def test_tampered_and_replayed_requests_are_refused_and_store_nothing(edge: Edge, ids: Ids):
    before = fingerprint(edge.services)
    command = "händelse Fittja centrum; narkotikaförsäljning; falsk"
    good = sr.slash_command(command, secret=SECRET, user_id="U0ERIK", channel_id=DEMO_CHANNEL)
    tampered = sr.SignedRequest(good.body.replace(b"falsk", b"FALSK"), good.headers)
    assert edge.post(tampered)[0] == 401
    # a request captured six minutes ago, sent again as it was, or with a fresh timestamp
    old = sr.slash_command(
        command,
        secret=SECRET,
        user_id="U0ERIK",
        channel_id=DEMO_CHANNEL,
        timestamp=int(_now().timestamp()) - 6 * 60,
    )
    assert edge.post(old)[0] == 401
    fresh_time = {**old.headers, "X-Slack-Request-Timestamp": str(int(_now().timestamp()))}
    assert edge.post(sr.SignedRequest(old.body, fresh_time))[0] == 401
    unsigned = {k: v for k, v in good.headers.items() if k != "X-Slack-Signature"}
    assert edge.post(sr.SignedRequest(good.body, unsigned))[0] == 401
    assert fingerprint(edge.services) == before
    assert edge.slack.calls == [] and edge.slack.response_urls == []


def test_a_replayed_incident_form_stores_the_incident_once(edge: Edge, ids: Ids):
    view = {
        "id": "V0REPLAY",
        "callback_id": Callback.INCIDENT,
        "private_metadata": json.dumps({"c": DEMO_CHANNEL}),
        "blocks": [],
    }
    values = sr.state_values(
        sr.select_value(Block.PLACE, Action.PLACE, str(ids.place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(ids.category)),
        sr.date_value(Block.DATE, Action.DATE, _today().isoformat()),
        sr.time_value(Block.WHEN, Action.TIME, "00:01"),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, "Replay"),
    )
    req = sr.view_submission(view, values, secret=SECRET, user_id="U0ERIK", team_id=DEMO_TEAM)
    assert [edge.post(req)[0] for _ in range(3)] == [200, 200, 200]  # within five minutes
    with edge.services.db.engine.connect() as conn:
        stored = conn.execute(sql("SELECT count(*) FROM incident WHERE description = 'Replay'"))
        assert stored.scalar() == 1


# -- what people type ------------------------------------------------------------------------

INJECTION = (
    "<!channel> <!here> <@U0EVIL> *fet* _kursiv_ ~struken~ `kod` <http://evil.example|Polisen> & co"
)
RAW = ("<!channel>", "<!here>", "<@U0EVIL>", "<http://evil.example")
LIVE = ("*fet*", "_kursiv_", "~struken~", "`kod`")  # what would format, were it left as typed


def _as(edge: Edge, user: str, command: str) -> str:
    """The answer: the acknowledgement's, or what followed it through the response_url (an
    incident is confirmed there, after its write)."""
    key = uuid.uuid4().hex[:12]
    req = sr.slash_command(
        command,
        secret=SECRET,
        user_id=user,
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=edge.slack.response_url(key),
    )
    status, body = edge.post(req)
    assert status == 200, body
    posted = [answer for k, answer in edge.slack.response_urls if k == key]
    return body or (json.dumps(posted[0], ensure_ascii=False) if posted else "")


def _submit(edge: Edge, user: str, callback: str, meta: dict[str, Any], *values: Any) -> dict:
    view = {"callback_id": callback, "private_metadata": json.dumps(meta), "blocks": []}
    req = sr.view_submission(
        view, sr.state_values(*values), secret=SECRET, user_id=user, team_id=DEMO_TEAM
    )
    status, body = edge.post(req)
    assert status == 200, body
    return json.loads(body) if body else {}


def _press(edge: Edge, user: str, action_id: str, value: str) -> str:
    req = sr.block_action(
        action_id,
        value,
        secret=SECRET,
        user_id=user,
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=edge.slack.response_url(),
    )
    status, body = edge.post(req)
    assert status == 200, body
    return body


def test_mrkdwn_in_every_text_field_is_shown_as_typed_and_pings_nobody(edge: Edge, ids: Ids):
    text, c = sr.text_value, {"c": DEMO_CHANNEL}
    due = (_today() + timedelta(days=7)).isoformat()
    later = (_today() + timedelta(days=14)).isoformat()
    answers = [
        _as(edge, "U0ERIK", f"händelse Fittja centrum; narkotikaförsäljning; {INJECTION}"),
        _as(edge, "U0ANNA", "plats ny Fittja; Torget <!channel>; torg"),
        _as(edge, "U0ANNA", "kategori ny Kategori <!here>"),
    ]
    errors = [
        _submit(
            edge,
            "U0ERIK",
            Callback.ACTION_NEW,
            c,
            text(Block.TITLE, Action.TITLE, INJECTION),
            text(Block.DESCRIPTION, Action.DESCRIPTION, INJECTION),
            sr.user_value(Block.OWNER, Action.OWNER, "U0ERIK"),
            sr.date_value(Block.DUE, Action.DUE, due),
        ),
        _submit(
            edge,
            "U0ERIK",
            Callback.ACTION_NOTE,
            {**c, "id": ids.action},
            text(Block.NOTE, Action.NOTE, INJECTION),
        ),
        _submit(
            edge,
            "U0ERIK",
            Callback.ACTION_POSTPONE,
            {**c, "id": ids.action},
            sr.date_value(Block.DUE, Action.DUE, later),
            text(Block.REASON, Action.REASON, INJECTION),
        ),
        _submit(
            edge,
            "U0ERIK",
            Callback.REPORT,
            {**c, "places": [ids.place]},
            sr.select_value(f"level_{ids.place}", Action.LEVEL, "oroligt"),
            text(f"obs_{ids.place}", Action.OBSERVATIONS, INJECTION),
            text(Block.NOTES, Action.NOTES, INJECTION),
        ),
        _submit(
            edge,
            "U0ANNA",
            Callback.DECISION,
            {**c, "meeting": ids.meeting},
            text(Block.DECISION, Action.DECISION_TEXT, INJECTION),
        ),
        _submit(
            edge,
            "U0ANNA",
            Callback.ADD_ORGANISATION,
            c,
            text(Block.NAME, Action.NAME, "Org <!channel>"),
            sr.select_value(Block.KIND, Action.KIND, "förening"),
        ),
    ]
    assert errors == [{}] * len(errors)
    answers += [
        _as(edge, "U0ERIK", "händelser"),
        _as(edge, "U0ERIK", f"åtgärd {ids.action}"),
        _as(edge, "U0ERIK", "åtgärd alla"),
        _as(edge, "U0ERIK", "lägesbild"),
        _as(edge, "U0ANNA", "plats"),
        _as(edge, "U0ANNA", "kategori"),
        _as(edge, "U0ANNA", "inställningar"),
        _press(edge, "U0ANNA", Action.CLOSE_MEETING, str(ids.meeting)),
    ]
    said = edge.mrkdwn(answers)
    for raw in (*RAW, *LIVE):
        at = said.find(raw)
        assert at == -1, said[max(0, at - 300) : at + 100]
    assert said.count("&lt;!channel&gt;") >= 10
    assert said.count("\u2060*\u2060fet\u2060*\u2060") >= 9  # shown as typed, not bold
    assert "&lt;http://evil.example|Polisen&gt;" in said
    with edge.services.db.engine.connect() as conn:  # stored exactly as typed
        kept = conn.execute(
            sql("SELECT count(*) FROM incident WHERE description = :t"), {"t": INJECTION}
        )
        assert kept.scalar() == 1


def test_control_characters_are_removed_and_sql_is_just_text(edge: Edge, ids: Ids):
    typed = "Bråk\x00 vid\x1b[31m trappan\u202e' OR 1=1 -- DROP TABLE incident %_\r\nigen"
    answer = _as(edge, "U0ERIK", f"händelse Fittja centrum; narkotikaförsäljning; {typed}")
    assert "händelse #2" in json.loads(answer)["text"], answer
    with edge.services.db.engine.connect() as conn:
        stored = conn.execute(sql("SELECT description FROM incident ORDER BY id DESC")).scalar()
    assert stored == "Bråk vid[31m trappan' OR 1=1 -- DROP TABLE incident %_\nigen"
    for query in (
        "händelser %",
        "händelser _",
        "händelser ' OR 1=1 --",
        "plats ny Fittja; ';--; torg",
    ):
        _as(edge, "U0ANNA", query)
    with edge.services.db.engine.connect() as conn:
        assert conn.execute(sql("SELECT count(*) FROM incident")).scalar() == 2
    assert "Något gick fel" not in edge.seen()


@pytest.mark.parametrize(
    ("callback", "field"),
    [
        (Callback.ACTION_NOTE, (Block.NOTE, Action.NOTE)),
        (Callback.DECISION, (Block.DECISION, Action.DECISION_TEXT)),
        (Callback.REPORT, (Block.NOTES, Action.NOTES)),
        (Callback.INCIDENT, (Block.DESCRIPTION, Action.DESCRIPTION)),
        (Callback.ADD_ORGANISATION, (Block.NAME, Action.NAME)),
    ],
)
def test_oversized_fields_are_refused_in_the_form(
    edge: Edge, ids: Ids, callback: str, field: tuple[str, str]
) -> None:
    before = fingerprint(edge.services)
    huge = sr.text_value(field[0], field[1], "lång " * 20_000)
    meta = {"c": DEMO_CHANNEL, "id": ids.action, "meeting": ids.meeting, "places": []}
    extra = [
        sr.select_value(Block.PLACE, Action.PLACE, str(ids.place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(ids.category)),
        sr.date_value(Block.DATE, Action.DATE, _today().isoformat()),
        sr.time_value(Block.WHEN, Action.TIME, "00:01"),
        sr.select_value(Block.KIND, Action.KIND, "förening"),
    ]
    answer = _submit(edge, "U0ANNA", callback, meta, huge, *extra)
    assert answer["response_action"] == "errors"
    assert "För lång" in json.dumps(answer, ensure_ascii=False) or "för lång" in json.dumps(
        answer, ensure_ascii=False
    )
    assert fingerprint(edge.services) == before


def test_personal_data_in_a_command_is_refused_and_the_command_handed_back(edge: Edge, ids: Ids):
    typed = "plats ny Hos Kalle 070-123 45 67; Fittja; torg"
    answer = json.loads(_as(edge, "U0ANNA", typed))
    assert "ett telefonnummer (070-123 45 67)" in answer["text"]
    handed = [
        b["text"]["text"] for b in answer["blocks"] if b.get("text", {}).get("type") == "plain_text"
    ]
    assert handed == [typed]
    with edge.services.db.engine.connect() as conn:
        assert conn.execute(sql("SELECT count(*) FROM place WHERE name LIKE 'Hos%'")).scalar() == 0


def test_a_restricted_incident_from_the_form_is_counted_for_all_and_read_by_its_org(
    edge: Edge, ids: Ids
) -> None:
    answer = _submit(
        edge,
        "U0ERIK",
        Callback.INCIDENT,
        {"c": DEMO_CHANNEL},
        sr.select_value(Block.PLACE, Action.PLACE, str(ids.place)),
        sr.select_value(Block.CATEGORY, Action.CATEGORY, str(ids.category)),
        sr.date_value(Block.DATE, Action.DATE, _today().isoformat()),
        sr.time_value(Block.WHEN, Action.TIME, "00:01"),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, "Spaning vid trappan"),
        sr.checkbox_values(Block.RESTRICTED, Action.RESTRICTED, ["yes"]),
    )
    assert answer == {}
    anna = json.dumps(json.loads(_as(edge, "U0ANNA", "händelser")), ensure_ascii=False)
    erik = json.dumps(json.loads(_as(edge, "U0ERIK", "händelser")), ensure_ascii=False)
    assert "Spaning vid trappan" not in anna
    assert "Spaning vid trappan" in erik and "🔒" in erik
    assert "2 händelser" in anna and "2  Fittja centrum" in anna  # counted for everyone


def test_strip_controls_keeps_text_and_layout_and_drops_the_rest() -> None:
    from handlers.text import strip_controls

    payload = {
        "a": "rad 1\r\nrad 2\rrad 3\tflik",
        "b": ["\x00noll", {"c": "\u202eomvänd\u2066"}],
        "n": 5,
        "d": "vanlig text: å ä ö, emoji 🔒",
    }
    assert strip_controls(payload) == {
        "a": "rad 1\nrad 2\nrad 3\tflik",
        "b": ["noll", {"c": "omvänd"}],
        "n": 5,
        "d": "vanlig text: å ä ö, emoji 🔒",
    }


def test_the_place_typeahead_and_the_shortcut_give_nothing_of_b(edge: Edge, ids: Ids) -> None:
    suggestion = {
        "type": "block_suggestion",
        "user": {"id": MALLORY, "team_id": DEMO_TEAM},
        "team": {"id": DEMO_TEAM, "domain": "est"},
        "api_app_id": sr.APP_ID,
        "action_id": Action.PLACE,
        "block_id": Block.PLACE,
        "value": "Fitt",
        "view": {
            "id": "V0TYPE",
            "type": "modal",
            "callback_id": Callback.INCIDENT,
            "private_metadata": json.dumps({"c": DEMO_CHANNEL}),
            "state": {"values": {}},
        },
    }
    body = urlencode({"payload": json.dumps(suggestion)}).encode()
    status, answer = edge.post(sr.sign(body, SECRET))
    assert status == 200 and json.loads(answer) == {"options": []}
    # the same typeahead for Erik, a member of B, does list Fittja's places
    suggestion["user"] = {"id": "U0ERIK", "team_id": DEMO_TEAM}
    body = urlencode({"payload": json.dumps(suggestion)}).encode()
    assert "Fittja centrum" in edge.post(sr.sign(body, SECRET))[1]
    before = fingerprint(edge.services)
    shortcut = sr.message_shortcut(
        Callback.LOG_INCIDENT_SHORTCUT,
        {"ts": "1763800000.000100", "text": "Bråk vid trappan", "user": "U0ERIK"},
        secret=SECRET,
        user_id=MALLORY,
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
        response_url=edge.slack.response_url(),
    )
    assert edge.post(shortcut)[0] == 200
    assert edge.slack.calls_to("views.open") == []
    assert "gå med" in edge.seen()  # told how to join, nothing more
    assert fingerprint(edge.services) == before
