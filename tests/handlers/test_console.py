"""The console driven as a person drives it: lines typed on stdin, the screen read from stdout.

The console runs the real Bolt app against its local Slack and a SQLite file; the screens below
are written out by hand: who `:som` says you are, a person field answered with a name, an
overflow menu's choice pressed by its number, a select in a message, and where files land.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.timekeeping import MovableClock
from handlers.local.console import Console, _free_path, build_console

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def play(
    tmp_path: Path,
    lines: list[str],
    setup: Callable[[Console], None] | None = None,
    clock: MovableClock | None = None,
) -> str:
    """Type `lines` into a fresh console on its own database (on ``clock``, the real time if
    None, after ``setup``); what it printed."""
    out = io.StringIO()
    console = build_console(
        f"sqlite:///{tmp_path / 'konsol.db'}",
        language="sv",
        files=tmp_path / "est-filer",
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        out=out,
        clock=clock,
    )
    try:
        if setup is not None:
            setup(console)
        console.loop()
    finally:
        console.slack.stop()
    return out.getvalue()


def after(screen: str, typed: str) -> str:
    """The screen from the prompt where `typed` was typed to the end."""
    start = screen.index(f"> {typed}\n")
    return screen[screen.rindex("\n", 0, start) + 1 :]


def test_som_says_who_you_now_are_by_name_organisation_and_role(tmp_path: Path) -> None:
    typed = [":demo", ":som Erik", ":som sara a", ":som 5", ":som U0ZZZ", ":som Nisse", ":som anna"]
    assert after(play(tmp_path, typed), ":som Erik") == (
        "Anna Lindqvist i #est-botkyrka> :som Erik\n"
        "Du är nu Erik Johansson, kommunpolis (Polisen lokalpolisområde Botkyrka, medlem) i EST "
        "Botkyrka.\n"
        "Erik Johansson i #est-botkyrka> :som sara a\n"
        "Du är nu Sara Ahmed, trygghetsvärd (Botkyrkabyggen, medlem) i EST Botkyrka.\n"
        "Sara Ahmed i #est-botkyrka> :som 5\n"
        "Du är nu Lena Berg, Brå-styrgruppen (Botkyrka kommun, läsare) i EST Botkyrka.\n"
        "Lena Berg i #est-botkyrka> :som U0ZZZ\n"
        "Du är nu U0ZZZ, inte med i EST Botkyrka. Be om att få gå med: /est gå med "
        "<organisation>.\n"
        "U0ZZZ i #est-botkyrka> :som Nisse\n"
        "Ingen här heter ”Nisse”. Skriv ett namn ur listan eller ett nummer 1–5.\n"
        "  1) Anna Lindqvist, trygghetssamordnare\n"
        "  2) Erik Johansson, kommunpolis\n"
        "  3) Sara Ahmed, trygghetsvärd\n"
        "  4) Omar Hassan, fältare\n"
        "  5) Lena Berg, Brå-styrgruppen\n"
        "U0ZZZ i #est-botkyrka> :som anna\n"
        "Du är nu Anna Lindqvist, trygghetssamordnare (Botkyrka kommun, administratör) i EST "
        "Botkyrka.\n"
    )


ACTION_FORM = """\
Anna Lindqvist i #est-botkyrka> /est åtgärd ny
Ny åtgärd
=========
1. Vad ska göras (text)
2. Ansvarig (en person: namn eller nummer)
   förval: Anna Lindqvist, trygghetssamordnare
   1) Anna Lindqvist, trygghetssamordnare
   2) Erik Johansson, kommunpolis
   3) Sara Ahmed, trygghetsvärd
   4) Omar Hassan, fältare
   5) Lena Berg, Brå-styrgruppen
3. Klar senast (datum ÅÅÅÅ-MM-DD)
   förval: {due}
4. Sikt (välj ett)
   förval: kort sikt
   1) kort sikt
   2) lång sikt
5. Platser (välj ett eller flera, valfritt)
   Skriv en plats …
6. Beskrivning (inga namn) (text, valfritt)
[Spara] [Avbryt]
1. Vad ska göras: Belysning vid entrén
2. Ansvarig: Nisse
  Ingen här heter ”Nisse”. Skriv ett namn ur listan eller ett nummer 1–5.
2. Ansvarig: sara
3. Klar senast: 2099-06-12
4. Sikt: \n5. Platser, förslag:
{places}
5. Platser: fittja
  ”fittja” passar flera: Fittja centrum; Fittja äng; Fittja torg; Fittja tunnelbanestation; \
Fittjaskolan. Skriv mer, eller numret i listan.
5. Platser: fittja c
6. Beskrivning (inga namn): \n[#est-botkyrka, bara för @Anna Lindqvist]
#1 Belysning vid entrén · @Sara Ahmed (Botkyrkabyggen) · klar senast fre 12 juni · öppen · \
Fittja centrum
:1 [Klar]  :2 [Pågår]  :3 [Lägg till notering]
[⋯ :4 Skjut upp 1 dag | :5 Skjut upp 1 vecka | :6 Nytt datum … | :7 Ge till någon annan …]
(formuläret skickades och stängdes)
[DM till @Sara Ahmed]
@Anna Lindqvist gav dig en åtgärd i EST Botkyrka:
#1 Belysning vid entrén · @Sara Ahmed (Botkyrkabyggen) · klar senast fre 12 juni · öppen · \
Fittja centrum
:8 [Klar]  :9 [Pågår]  :10 [Lägg till notering]
[⋯ :11 Skjut upp 1 dag | :12 Skjut upp 1 vecka | :13 Nytt datum … | :14 Ge till någon annan …]
Anna Lindqvist i #est-botkyrka> :5
[#est-botkyrka, bara för @Anna Lindqvist, ersatt]
#1 Belysning vid entrén · @Sara Ahmed (Botkyrkabyggen) · klar senast fre 19 juni · öppen · \
Fittja centrum
:15 [Klar]  :16 [Pågår]  :17 [Lägg till notering]
[⋯ :18 Skjut upp 1 dag | :19 Skjut upp 1 vecka | :20 Nytt datum … | :21 Ge till någon annan …]
Anna Lindqvist i #est-botkyrka> :12
[DM till @Sara Ahmed, ersatt]
#1 Belysning vid entrén · @Sara Ahmed (Botkyrkabyggen) · klar senast fre 26 juni · öppen · \
Fittja centrum
:22 [Klar]  :23 [Pågår]  :24 [Lägg till notering]
[⋯ :25 Skjut upp 1 dag | :26 Skjut upp 1 vecka | :27 Nytt datum … | :28 Ge till någon annan …]
"""
# The place typeahead's first 20, in the register's order: district, then name.
PLACES = [
    "Albys hjärta",
    "Botkyrka konsthall",
    "Fittja centrum",
    "Fittja torg",
    "Fittja tunnelbanestation",
    "Fittja äng",
    "Fittjaskolan",
    "Tallidsskolan",
    "Hallunda Folkets hus",
    "Hallunda bibliotek",
    "Hallunda centrum",
    "Karsby International School",
    "Kårsby IP",
    "Norsborg centrum",
    "Parken vid Hallunda Folkets hus",
    "Skolan Kastanjen",
    "Lida friluftsgård",
    "Gymnasieparken",
    "Storvreten",
    "Trappan till Munkhättevägen",
]


def test_a_person_by_name_a_place_by_word_and_an_overflow_choice_by_number(
    tmp_path: Path,
) -> None:
    typed = [":demo tom", "/est åtgärd ny", "Belysning vid entrén", "Nisse", "sara", "2099-06-12"]
    typed += ["", "fittja", "fittja c", "", ":5", ":som sara", ":12"]
    screen = after(play(tmp_path, typed), "/est åtgärd ny")
    # the suggested due date is a week on, moved to a working day (never more than five days)
    shown = re.search(r"förval: (\d{4}-\d{2}-\d{2})\n", screen)
    assert shown is not None
    week_on = datetime.now(STOCKHOLM).date() + timedelta(days=7)
    assert week_on <= date.fromisoformat(shown[1]) <= week_on + timedelta(days=5)
    places = "\n".join(f"   {n}) {name}" for n, name in enumerate(PLACES, 1))
    expected = ACTION_FORM.format(due=shown[1], places=places)
    # Sara pressed the menu in her DM (the 12th thing shown: "Skjut upp 1 vecka" there)
    expected = expected.replace(
        "Anna Lindqvist i #est-botkyrka> :12\n",
        "Anna Lindqvist i #est-botkyrka> :som sara\n"
        "Du är nu Sara Ahmed, trygghetsvärd (Botkyrkabyggen, medlem) i EST Botkyrka.\n"
        "Sara Ahmed i #est-botkyrka> :12\n",
    )
    assert screen == expected


def test_a_select_in_a_message_is_pressed_by_number_and_answered_by_name(
    tmp_path: Path,
) -> None:
    chosen: list[dict[str, Any]] = []

    def setup(console: Console) -> None:
        @console.app.action(re.compile("pick_.*"))
        def picked(ack: Any, action: dict[str, Any], body: dict[str, Any]) -> None:
            ack()
            chosen.append(action | {"channel": body["channel"]["id"]})

        client = WebClient(token="xoxb-test", base_url=console.slack.api_url)
        row = [
            {
                "type": "static_select",
                "action_id": "pick_level",
                "placeholder": {"type": "plain_text", "text": "Nivå"},
                "options": [
                    {"text": {"type": "plain_text", "text": t}, "value": v}
                    for v, t in (("lugnt", ":large_green_circle: lugnt"), ("oroligt", "oroligt"))
                ],
            },
            {"type": "users_select", "action_id": "pick_person"},
            {"type": "datepicker", "action_id": "pick_day"},
        ]
        blocks = [{"type": "actions", "block_id": "choices", "elements": row}]
        client.chat_postMessage(channel="U0ERIK", text="Välj", blocks=blocks)

    typed = [":demo tom", ":1 oroligt", ":2", "omar", ":3", "24/12", "2026-12-24", ":4"]
    screen = play(tmp_path, typed, setup)
    assert screen.startswith(
        "[DM till @Erik Johansson]\n:1 [Nivå … ▾]  :2 [välj … ▾]  :3 [välj … ▾]\n"
    )
    assert after(screen, ":1 oroligt") == (
        "Anna Lindqvist i #est-botkyrka> :1 oroligt\n"
        "   1) 🟢 lugnt\n"
        "   2) oroligt\n"
        "Anna Lindqvist i #est-botkyrka> :2\n"
        "   1) Anna Lindqvist, trygghetssamordnare\n"
        "   2) Erik Johansson, kommunpolis\n"
        "   3) Sara Ahmed, trygghetsvärd\n"
        "   4) Omar Hassan, fältare\n"
        "   5) Lena Berg, Brå-styrgruppen\n"
        "Välj: omar\n"
        "Anna Lindqvist i #est-botkyrka> :3\n"
        "Välj: 24/12\n"
        "  Skriv datumet som ÅÅÅÅ-MM-DD.\n"
        "Välj: 2026-12-24\n"
        "Anna Lindqvist i #est-botkyrka> :4\n"
        "Det finns inget nummer 4 att trycka på.\n"
    )
    assert [(a["action_id"], a["type"], a["channel"]) for a in chosen] == [
        ("pick_level", "static_select", "DU0ERIK"),  # pressed in Erik's DM with the bot
        ("pick_person", "users_select", "DU0ERIK"),
        ("pick_day", "datepicker", "DU0ERIK"),
    ]
    assert chosen[0]["selected_option"]["value"] == "oroligt"
    assert chosen[1]["selected_user"] == "U0OMAR"
    assert chosen[2]["selected_date"] == "2026-12-24"


def test_files_the_bot_sends_land_in_the_consoles_folder_beside_its_database(
    tmp_path: Path,
) -> None:
    day = datetime.now(STOCKHOLM).date() - timedelta(days=7)
    monday = day - timedelta(days=day.weekday())
    typed = [
        ":demo",
        f"/est händelse Fittja centrum; lustgas; Patroner vid entrén; {day} 12:00",
        "/est export händelser förra veckan",
    ]
    screen = play(tmp_path, typed)
    saved = tmp_path / "est-filer" / f"handelser-{monday}-{monday + timedelta(days=6)}.csv"
    assert f"📎 {saved.name}: {saved}\n" in screen
    assert "Patroner vid entrén" in saved.read_text(encoding="utf-8-sig")


def test_a_file_of_the_same_name_with_other_content_is_kept_beside_it(tmp_path: Path) -> None:
    first = tmp_path / "lagesbild-2026.pdf"
    first.write_bytes(b"version 1")
    assert _free_path(first, b"version 1") == first  # the same file again: written over
    assert _free_path(first, b"version 2") == tmp_path / "lagesbild-2026-2.pdf"
    (tmp_path / "lagesbild-2026-2.pdf").write_bytes(b"version 2")
    assert _free_path(first, b"version 3") == tmp_path / "lagesbild-2026-3.pdf"


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("sqlite:////data/est/est.db", Path("/data/est/est-filer")),
        ("sqlite:///:memory:", None),
        ("postgresql://postgres@db/est", None),
    ],
)
def test_the_files_folder_is_beside_a_sqlite_file_else_beside_the_app(
    url: str, folder: Path | None
) -> None:
    import app

    assert app.console_files(url) == (folder or app.ROOT / "est-filer")
