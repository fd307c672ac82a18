"""Slack payloads rendered as terminal text, and console answers turned into modal state."""

import re
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.local.answers import state_entry
from handlers.local.fields import prompt_labels
from handlers.local.render import (
    Field,
    mrkdwn_to_text,
    render_blocks,
    render_message,
    render_view,
    view_fields,
)
from handlers.local.targets import Targets


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def field(kind: str, *, optional: bool = False, **changes: Any) -> Field:
    values: dict[str, Any] = {
        "block_id": "b",
        "action_id": "a",
        "label": "Fält",
        "kind": kind,
        "optional": optional,
        "multiline": False,
        "initial": None,
        "options": (),
    }
    return Field(**(values | changes))


# --- mrkdwn ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("1 &lt; 2 &gt; 0", "1 < 2 > 0"),
        ("&amp;lt;", "&lt;"),
        ("Se <https://est.se/plan|planen>", "Se planen (https://est.se/plan)"),
        ("<https://est.se>", "https://est.se"),
        ("<https://est.se?a=1&amp;b=2|länk>", "länk (https://est.se?a=1&b=2)"),
        ("<mailto:a@est.se|a@est.se>", "a@est.se"),
        ("Hej <@U123>!", "Hej @U123!"),
        ("<#C123|trygghet>", "#trygghet"),
        ("<#C123>", "#C123"),
        ("<!channel> <!here> <!everyone>", "@channel @here @everyone"),
        ("<!subteam^S1|@grannsamverkan>", "@grannsamverkan"),
        ("Möte <!date^1700000000^{date} kl {time}|14 nov 2023>", "Möte 14 nov 2023"),
        ("• ett\n• två", "• ett\n• två"),
        ("_kursiv_ `kod` ~struken~", "_kursiv_ `kod` ~struken~"),
        ("*fet* text", "fet text"),
        ("*<https://est.se|fet länk>*", "fet länk (https://est.se)"),
        ("2*3*4 och a * b * c", "2*3*4 och a * b * c"),
        ("`a *inte fet* b`", "`a *inte fet* b`"),
    ],
)
def test_mrkdwn_to_text(text: str, expected: str) -> None:
    assert mrkdwn_to_text(text) == expected


def test_user_typed_mention_stays_literal_but_bot_mention_renders() -> None:
    # A person who typed "<!channel>" reaches the bot escaped; it must not become a mention.
    assert mrkdwn_to_text("Skrev &lt;!channel&gt; i rutan") == "Skrev <!channel> i rutan"
    assert mrkdwn_to_text("&lt;@U1&gt; &lt;https://x|y&gt;") == "<@U1> <https://x|y>"
    assert mrkdwn_to_text("<!channel> möte nu") == "@channel möte nu"


def test_bold_uses_ansi_only_with_color() -> None:
    assert mrkdwn_to_text("ett *fett* ord", color=True) == "ett \x1b[1mfett\x1b[22m ord"
    assert mrkdwn_to_text("ett *fett* ord") == "ett fett ord"


# --- messages -------------------------------------------------------------------------------

LÄGESBILD: list[dict[str, Any]] = [
    {"type": "header", "text": plain("Lägesbild vecka 12")},
    {
        "type": "section",
        "text": mrkdwn("*Centrum*: 3 händelser"),
        "fields": [mrkdwn("*Plats:*\nCentrum"), mrkdwn("*Nivå:*\nHög"), plain("Trend: upp")],
        "accessory": {"type": "button", "text": plain("Visa"), "action_id": "show_place"},
    },
    {"type": "divider"},
    {
        "type": "context",
        "elements": [mrkdwn("Uppdaterad av <@U7>"), {"type": "image", "alt_text": "logga"}],
    },
    {
        "type": "actions",
        "elements": [
            {"type": "button", "text": plain("Logga händelse"), "action_id": "log_incident"},
            {
                "type": "static_select",
                "action_id": "pick_place",
                "placeholder": plain("Välj plats"),
                "options": [option("Centrum", "1")],
            },
            {"type": "datepicker", "action_id": "pick_day", "initial_date": "2024-03-18"},
        ],
    },
]


def test_render_blocks_with_header_section_fields_context_divider_actions() -> None:
    expected = "\n".join(
        [
            "Lägesbild vecka 12",
            "==================",
            "Centrum: 3 händelser",
            "Plats:" + " " * 24 + "Nivå:",
            "Centrum" + " " * 23 + "Hög",
            "Trend: upp",
            "  [Visa]",
            "─" * 60,
            "  Uppdaterad av @U7  [bild: logga]",
            "[Logga händelse]  [Välj plats … ▾]  [2024-03-18 ▾]",
        ]
    )
    assert render_blocks(LÄGESBILD, width=60) == expected


def test_fields_one_per_line_when_too_wide_for_two_columns() -> None:
    block = {"type": "section", "fields": [plain("a" * 30), plain("kort")]}
    assert render_blocks([block], width=40) == "a" * 30 + "\nkort"


def test_color_bolds_header_and_dims_context() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain("Rubrik")},
        {"type": "context", "elements": [plain("liten")]},
    ]
    assert render_blocks(blocks, color=True) == (
        "\x1b[1mRubrik\x1b[22m\n======\n  \x1b[2mliten\x1b[22m"
    )


def test_image_rich_text_and_unknown_blocks() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "image", "image_url": "https://x/y.png", "alt_text": "karta"},
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [{"type": "text", "text": "Att göra:\n"}],
                },
                {
                    "type": "rich_text_list",
                    "style": "ordered",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [
                                {"type": "text", "text": "ring "},
                                {"type": "user", "user_id": "U9"},
                            ],
                        },
                        {
                            "type": "rich_text_section",
                            "elements": [{"type": "link", "url": "https://a", "text": "läs"}],
                        },
                    ],
                },
            ],
        },
        {"type": "video", "title": plain("film")},
    ]
    assert render_blocks(blocks) == (
        "[bild: karta]\nAtt göra:\n1. ring @U9\n2. läs (https://a)\n[video]"
    )


def test_render_message_prefers_blocks_over_text_and_adds_attachments() -> None:
    payload = {
        "text": "reservtext",
        "blocks": [{"type": "section", "text": mrkdwn("Hej <@U1>")}],
        "attachments": [{"text": "*Bilaga*", "fields": [{"title": "Plats", "value": "Torget"}]}],
    }
    assert render_message(payload) == "Hej @U1\n│ Bilaga\n│ Plats: Torget"


def test_render_message_text_only_and_ack_errors() -> None:
    assert render_message({"text": "Sparat &amp; klart"}) == "Sparat & klart"
    ack = {"response_action": "errors", "errors": {"place": "Okänd plats"}}
    assert render_message(ack) == "⚠ Okänd plats"  # the block id is not shown


# --- modals ---------------------------------------------------------------------------------

INCIDENT_MODAL = {
    "type": "modal",
    "callback_id": "incident_submitted",
    "title": plain("Ny händelse"),
    "submit": plain("Spara"),
    "close": plain("Avbryt"),
    "blocks": [
        {"type": "section", "text": mrkdwn("Beskriv vad som hände, *inga namn*.")},
        {
            "type": "input",
            "block_id": "place",
            "label": plain("Plats"),
            "element": {
                "type": "static_select",
                "action_id": "place_select",
                "placeholder": plain("Välj plats"),
                "option_groups": [
                    {
                        "label": plain("Norr"),
                        "options": [option("Centrum", "12"), option("Hamnen", "3")],
                    },
                    {"label": plain("Söder"), "options": [option("Torget", "7")]},
                ],
            },
        },
        {
            "type": "input",
            "block_id": "description",
            "label": plain("Beskrivning"),
            "hint": plain("Inga personuppgifter"),
            "element": {
                "type": "plain_text_input",
                "action_id": "text",
                "multiline": True,
                "initial_value": "Fönster krossat",
            },
        },
        {
            "type": "input",
            "block_id": "day",
            "optional": True,
            "label": plain("Datum"),
            "element": {
                "type": "datepicker",
                "action_id": "date",
                "placeholder": plain("Välj dag"),
            },
        },
        {
            "type": "input",
            "block_id": "kinds",
            "optional": True,
            "label": plain("Typ"),
            "element": {
                "type": "checkboxes",
                "action_id": "kinds",
                "options": [option("Skadegörelse", "damage"), option("Stöld", "theft")],
                "initial_options": [option("Stöld", "theft")],
            },
        },
    ],
}


def test_render_view_numbers_input_fields_and_shows_buttons() -> None:
    expected = """\
Ny händelse
===========
Beskriv vad som hände, inga namn.
1. Plats (välj ett)
   Välj plats …
   1) Centrum
   2) Hamnen
   3) Torget
2. Beskrivning (text)
   förval: Fönster krossat
   tips: Inga personuppgifter
3. Datum (datum ÅÅÅÅ-MM-DD, valfritt)
   Välj dag …
4. Typ (välj ett eller flera, valfritt)
   förval: Stöld
   1) Skadegörelse
   2) Stöld
[Spara] [Avbryt]"""
    assert render_view(INCIDENT_MODAL) == expected


def test_render_view_of_home_tab_without_title_or_buttons() -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": mrkdwn("Välkommen")}]}
    assert render_view(home) == "Välkommen"


def test_view_fields_of_modal() -> None:
    assert view_fields(INCIDENT_MODAL) == [
        Field(
            block_id="place",
            action_id="place_select",
            label="Plats",
            kind="static_select",
            optional=False,
            multiline=False,
            initial=None,
            options=(("12", "Centrum"), ("3", "Hamnen"), ("7", "Torget")),
        ),
        Field(
            block_id="description",
            action_id="text",
            label="Beskrivning",
            kind="plain_text_input",
            optional=False,
            multiline=True,
            initial="Fönster krossat",
            options=(),
        ),
        Field(
            block_id="day",
            action_id="date",
            label="Datum",
            kind="datepicker",
            optional=True,
            multiline=False,
            initial=None,
            options=(),
        ),
        Field(
            block_id="kinds",
            action_id="kinds",
            label="Typ",
            kind="checkboxes",
            optional=True,
            multiline=False,
            initial="theft",
            options=(("damage", "Skadegörelse"), ("theft", "Stöld")),
        ),
    ]


def test_view_fields_reads_initial_values_of_other_kinds() -> None:
    blocks = [
        {"type": "input", "element": {"type": "users_select", "initial_user": "U5"}},
        {"type": "input", "element": {"type": "timepicker", "initial_time": "08:15"}},
        {"type": "input", "element": {"type": "datetimepicker", "initial_date_time": 1714566600}},
        {"type": "input", "elements": [{"type": "number_input", "initial_value": "4"}]},
    ]
    fields = view_fields({"type": "modal", "blocks": blocks})
    assert [(f.kind, f.initial) for f in fields] == [
        ("users_select", "U5"),
        ("timepicker", "08:15"),
        ("datetimepicker", "2024-05-01 12:30"),
        ("number_input", "4"),
    ]


# --- answers --------------------------------------------------------------------------------

PLACE = view_fields(INCIDENT_MODAL)[0]
KINDS = view_fields(INCIDENT_MODAL)[3]


def selected(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("3", selected("Torget", "7")),  # a number picks by position, even if a value is "3"
        ("12", selected("Centrum", "12")),  # out of range as a number, so a value
        ("hamnen", selected("Hamnen", "3")),
        (" Torget ", selected("Torget", "7")),
    ],
)
def test_static_select_by_number_value_or_text(answer: str, expected: dict[str, Any]) -> None:
    assert state_entry(PLACE, answer) == {"type": "static_select", "selected_option": expected}


def test_radio_buttons_and_empty_optional_select() -> None:
    radio = field("radio_buttons", options=(("y", "Ja"), ("n", "Nej")), optional=True)
    assert state_entry(radio, "nej") == {
        "type": "radio_buttons",
        "selected_option": selected("Nej", "n"),
    }
    assert state_entry(radio, "") == {"type": "radio_buttons", "selected_option": None}


def test_empty_answer_keeps_initial_option_by_value() -> None:
    place = field("static_select", options=PLACE.options, initial="3")
    assert state_entry(place, "")["selected_option"] == selected("Hamnen", "3")


def test_checkboxes_and_multi_select_take_comma_separated_answers() -> None:
    assert state_entry(KINDS, "1, stöld, 1") == {
        "type": "checkboxes",
        "selected_options": [selected("Skadegörelse", "damage"), selected("Stöld", "theft")],
    }
    multi = field("multi_static_select", options=PLACE.options, optional=True)
    assert state_entry(multi, "") == {"type": "multi_static_select", "selected_options": []}
    assert state_entry(multi, "2,3")["selected_options"] == [
        selected("Hamnen", "3"),
        selected("Torget", "7"),
    ]


@pytest.mark.parametrize(
    ("kind", "answer", "expected"),
    [
        ("plain_text_input", "Krossad ruta", {"value": "Krossad ruta"}),
        ("number_input", "3,5", {"value": "3.5"}),
        ("number_input", "-12", {"value": "-12"}),
        ("email_text_input", "ana@est.se", {"value": "ana@est.se"}),
        ("url_text_input", "https://est.se", {"value": "https://est.se"}),
        ("users_select", "@U42", {"selected_user": "U42"}),
        ("conversations_select", "C1", {"selected_conversation": "C1"}),
        ("channels_select", "#C2", {"selected_channel": "C2"}),
        ("multi_users_select", "U1, @U2", {"selected_users": ["U1", "U2"]}),
        ("datepicker", "2024-02-29", {"selected_date": "2024-02-29"}),
        ("timepicker", "8:05", {"selected_time": "08:05"}),
        ("timepicker", "23.59", {"selected_time": "23:59"}),
        ("datetimepicker", "2024-05-01 12:30", {"selected_date_time": 1714566600}),
        ("external_select", "Ny plats", {"selected_option": selected("Ny plats", "Ny plats")}),
    ],
)
def test_state_entry_per_kind(kind: str, answer: str, expected: dict[str, Any]) -> None:
    assert state_entry(field(kind), answer) == {"type": kind, **expected}


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("plain_text_input", "value"),
        ("number_input", "value"),
        ("users_select", "selected_user"),
        ("channels_select", "selected_channel"),
        ("datepicker", "selected_date"),
        ("timepicker", "selected_time"),
        ("datetimepicker", "selected_date_time"),
        ("external_select", "selected_option"),
    ],
)
def test_empty_optional_answer_is_none(kind: str, key: str) -> None:
    assert state_entry(field(kind, optional=True), "  ") == {"type": kind, key: None}


@pytest.mark.parametrize(
    ("entry", "answer", "message"),
    [
        (PLACE, "4", "Välj ett av alternativen 1–3."),
        (PLACE, "Hamn", "Välj ett av alternativen 1–3."),
        (KINDS, "1, 5", "Välj ett av alternativen 1–2."),
        (field("static_select"), "1", "Det finns inga alternativ att välja."),
        (field("number_input"), "tolv", "Skriv ett tal, till exempel 12 eller 3,5."),
        (field("email_text_input"), "ana.est.se", "Skriv en giltig e-postadress."),
        (field("url_text_input"), "est.se", "Skriv en webbadress som börjar med https://."),
        (field("datepicker"), "31/5", "Skriv datumet som ÅÅÅÅ-MM-DD."),
        (field("datepicker"), "2023-02-29", "Skriv datumet som ÅÅÅÅ-MM-DD."),
        (field("timepicker"), "25:00", "Skriv tiden som TT:MM."),
        (field("datetimepicker"), "2024-05-01", "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM (UTC)."),
        (field("plain_text_input"), "", "Fältet måste fyllas i."),
        (field("file_input"), "x.pdf", "Det här fältet går inte att fylla i i konsolen."),
    ],
)
def test_answers_that_do_not_fit_raise(entry: Field, answer: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        state_entry(entry, answer)


# --- never raise ----------------------------------------------------------------------------


def test_blocks_missing_their_parts_render_as_nothing() -> None:
    blocks: list[Any] = [
        {"type": "section"},
        {"type": "header"},
        {"type": "context"},
        {"type": "divider"},
        {"type": "rich_text", "elements": [{"type": "rich_text_list", "elements": [{}]}]},
        {"type": "section", "text": {"type": "mrkdwn"}, "fields": "inte en lista"},
    ]
    assert render_blocks(blocks, width=10) == "─" * 10


def test_missing_keys_render_placeholders() -> None:
    blocks: list[Any] = [
        {"type": "actions", "elements": [{"type": "button"}, {}]},
        {"type": "input"},
        {"type": "image"},
        {"type": "sparkle", "text": plain("ny")},
        {},
        "inte ett block",
    ]
    assert render_blocks(blocks) == "[]\n (kan inte fyllas i här)\n[bild: ]\n[sparkle]"
    assert render_view({}) == ""
    assert render_message({}) == ""
    assert view_fields({"blocks": [{"type": "input"}]}) == [
        field("", block_id="", action_id="", label="")
    ]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "text",
                    "elements",
                    "element",
                    "fields",
                    "accessory",
                    "options",
                    "blocks",
                    "option_groups",
                    "initial_option",
                    "initial_options",
                    "label",
                    "placeholder",
                    "initial_value",
                    "initial_date_time",
                    "style",
                    "indent",
                    "title",
                    "attachments",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)
_block_type = st.sampled_from(
    [
        "header",
        "section",
        "divider",
        "context",
        "actions",
        "image",
        "rich_text",
        "input",
        "markdown",
        "mrkdwn",
        "button",
        "static_select",
        "rich_text_list",
        "text",
        "link",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.just("type"), _block_type) | _json, max_size=4), _json)
def test_rendering_never_raises_on_arbitrary_json(blocks: list[Any], extra: Any) -> None:
    blocks = [b | extra if isinstance(b, dict) and isinstance(extra, dict) else b for b in blocks]
    assert isinstance(render_blocks(blocks, color=True), str)
    assert isinstance(render_blocks(blocks, number=Targets().numberer("C0EST")), str)
    assert isinstance(render_message({"blocks": blocks, "attachments": [extra]}), str)
    assert isinstance(render_view({"title": extra, "blocks": blocks}), str)
    assert all(isinstance(f, Field) for f in view_fields({"blocks": blocks}))


# --- what can be pressed, numbered ----------------------------------------------------------


def counter() -> Any:
    """A numberer as the console's: the next number for each thing that can be pressed."""
    pressed: list[tuple[str, str | None]] = []

    def number(block: dict[str, Any], element: dict[str, Any], choice: Any) -> int:
        pressed.append((element["action_id"], choice["value"] if choice else None))
        return len(pressed)

    number.pressed = pressed  # type: ignore[attr-defined]
    return number


ACTION_CARD: list[dict[str, Any]] = [
    {"type": "section", "text": mrkdwn("*#1 Ljus vid entrén* · :red_circle: försenad")},
    {
        "type": "actions",
        "block_id": "action_buttons_1",
        "elements": [
            {"type": "button", "text": plain("Klar"), "action_id": "done", "value": "1"},
            {"type": "button", "text": plain("Pågår"), "action_id": "doing", "value": "1"},
            {
                "type": "overflow",
                "action_id": "postpone",
                "options": [option("Skjut upp 1 dag", "1:1"), option("Skjut upp 1 vecka", "1:7")],
            },
        ],
    },
]


def test_buttons_and_each_overflow_choice_get_numbers_where_they_are_shown() -> None:
    number = counter()
    assert render_blocks(ACTION_CARD, number=number) == (
        "#1 Ljus vid entrén · 🔴 försenad\n"
        ":1 [Klar]  :2 [Pågår]  [⋯ :3 Skjut upp 1 dag | :4 Skjut upp 1 vecka]"
    )
    assert number.pressed == [
        ("done", None),
        ("doing", None),
        ("postpone", "1:1"),
        ("postpone", "1:7"),
    ]
    assert render_blocks(ACTION_CARD) == (  # without numbers: only what Slack shows
        "#1 Ljus vid entrén · 🔴 försenad\n[Klar]  [Pågår]  [⋯ Skjut upp 1 dag | Skjut upp 1 vecka]"
    )


def test_a_long_overflow_menu_lists_its_choices_under_its_section() -> None:
    levels = [("lugnt", ":large_green_circle:"), ("allvarligt", ":red_circle:")]
    menu = {
        "type": "overflow",
        "action_id": "meeting_set_level",
        "options": [
            *(option(f"Sätt gemensam nivå: {icon} {name}", f"3:9:{name}") for name, icon in levels),
            option("Ny åtgärd här …", "3:9:action"),
        ],
    }
    place = {"type": "section", "text": mrkdwn("*Fittja centrum* · oroligt"), "accessory": menu}
    assert render_blocks([place], width=60, number=counter()) == "\n".join(
        [
            "Fittja centrum · oroligt",
            "  [⋯]",
            "    :1 Sätt gemensam nivå: 🟢 lugnt",
            "    :2 Sätt gemensam nivå: 🔴 allvarligt",
            "    :3 Ny åtgärd här …",
        ]
    )


def test_selects_and_pickers_in_a_message_get_a_number_and_show_what_is_chosen() -> None:
    targets = Targets()
    row = {
        "type": "actions",
        "elements": [
            {
                "type": "static_select",
                "action_id": "pick_place",
                "placeholder": plain("Välj plats"),
                "options": [option("Centrum", "1"), option("Torget", "2")],
            },
            {"type": "users_select", "action_id": "pick_owner", "initial_user": "U0ERIK"},
            {"type": "datepicker", "action_id": "pick_day"},
            {"type": "button", "text": plain("Karta"), "action_id": "map", "url": "https://k.se"},
        ],
    }
    assert render_blocks([row], number=targets.numberer("C0EST")) == (
        ":1 [Välj plats … ▾]  :2 [@U0ERIK ▾]  :3 [välj … ▾]  [Karta] → https://k.se"
    )  # a link button opens its link; nothing to press in the console
    assert [(t.kind, t.channel) for t in targets.shown] == [
        ("static_select", "C0EST"),
        ("users_select", "C0EST"),
        ("datepicker", "C0EST"),
    ]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"text": ":warning: omotiverad · :calendar: lör 12 dec."},
            "⚠️ omotiverad · 📆 lör 12 dec.",
        ),
        ({"text": "19:00–22:00 och :inte_en_emoji:"}, "19:00–22:00 och :inte_en_emoji:"),
        ({"text": "`:warning:` i kod"}, "`:warning:` i kod"),
        (
            {"blocks": [{"type": "header", "text": plain(":red_circle: Fittja")}]},
            "🔴 Fittja\n========",
        ),
        (
            {"blocks": [{"type": "section", "text": {**plain(":x:"), "emoji": False}}]},
            ":x:",
        ),
    ],
)
def test_emoji_codes_show_as_emoji_as_in_slack(payload: dict[str, Any], expected: str) -> None:
    assert render_message(payload) == expected


PERSON_MODAL = {
    "type": "modal",
    "title": plain("Beslut"),
    "blocks": [
        {
            "type": "input",
            "block_id": "owner",
            "optional": True,
            "label": plain("Ansvarig"),
            "element": {"type": "users_select", "action_id": "owner", "initial_user": "U0ERIK"},
        }
    ],
}
PEOPLE = (
    ("U0ANNA", "Anna Lindqvist, trygghetssamordnare"),
    ("U0ERIK", "Erik Johansson, kommunpolis"),
)


def test_a_person_field_lists_the_people_and_its_initial_person_by_name() -> None:
    fields = [replace(f, options=PEOPLE) for f in view_fields(PERSON_MODAL)]
    assert render_view(PERSON_MODAL, fields=fields) == "\n".join(
        [
            "Beslut",
            "======",
            "1. Ansvarig (en person: namn eller nummer, valfritt)",
            "   förval: Erik Johansson, kommunpolis",
            "   1) Anna Lindqvist, trygghetssamordnare",
            "   2) Erik Johansson, kommunpolis",
        ]
    )
    # without the people (as the pure renderer sees it) the person is a mention
    assert "   förval: @U0ERIK" in render_view(PERSON_MODAL)


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [
        ("Erik", "U0ERIK"),
        ("erik johansson", "U0ERIK"),
        ("anna l", "U0ANNA"),
        ("2", "U0ERIK"),
        ("@U0ANNA", "U0ANNA"),
        ("u0anna", "U0ANNA"),
        ("U0OMAR", "U0OMAR"),  # a Slack id the console does not know is still a person
        ("", "U0ERIK"),  # the initial one
    ],
)
def test_a_person_is_chosen_by_name_number_or_id(answer: str, chosen: str) -> None:
    owner = field("users_select", options=PEOPLE, initial="U0ERIK")
    assert state_entry(owner, answer) == {"type": "users_select", "selected_user": chosen}


def test_a_person_not_there_or_not_one_is_refused_with_who_it_could_be() -> None:
    people = (*PEOPLE, ("U0ANNB", "Anna Berg"))
    owner = field("users_select", options=people)
    with pytest.raises(
        ValueError,
        match="^"
        + re.escape("Ingen här heter ”Nisse”. Skriv ett namn ur listan eller ett nummer 1–3.")
        + "$",
    ):
        state_entry(owner, "Nisse")
    with pytest.raises(
        ValueError,
        match="^"
        + re.escape(
            "”anna” kan vara flera: Anna Lindqvist, trygghetssamordnare, Anna Berg. "
            "Skriv mer av namnet."
        )
        + "$",
    ):
        state_entry(owner, "anna")
    several = field("multi_users_select", options=people)
    assert state_entry(several, "erik, anna b, erik")["selected_users"] == ["U0ERIK", "U0ANNB"]


PLACES = (("1", "Fittja centrum"), ("2", "Fittja torg"), ("9", "Hallunda centrum"))


def suggest_places(query: str) -> tuple[tuple[str, str], ...]:
    """The bot's typeahead, as a test: the places whose name holds the word."""
    return tuple(p for p in PLACES if query.casefold() in p[1].casefold())


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [
        ("2", [("2", "Fittja torg")]),  # a number picks from the list shown
        ("fittja centrum", [("1", "Fittja centrum")]),
        ("hallunda", [("9", "Hallunda centrum")]),  # one suggestion for the word
        ("3, fittja t", [("9", "Hallunda centrum"), ("2", "Fittja torg")]),
    ],
)
def test_an_external_select_takes_a_number_or_a_word_for_the_bots_suggestions(
    answer: str, chosen: list[tuple[str, str]]
) -> None:
    places = field("multi_external_select", options=PLACES)
    entry = state_entry(places, answer, suggest=suggest_places)
    assert entry == {
        "type": "multi_external_select",
        "selected_options": [selected(t, v) for v, t in chosen],
    }


def test_an_external_select_refuses_a_word_that_fits_none_or_several() -> None:
    place = field("external_select", options=PLACES)
    with pytest.raises(
        ValueError, match="^" + re.escape("Inget av förslagen passar ”Tumba”.") + "$"
    ):
        state_entry(place, "Tumba", suggest=suggest_places)
    with pytest.raises(
        ValueError,
        match="^"
        + re.escape(
            "”fittja” passar flera: Fittja centrum; Fittja torg. Skriv mer, eller numret i listan."
        )
        + "$",
    ):
        state_entry(place, "fittja", suggest=suggest_places)


def test_a_label_the_form_repeats_is_asked_for_with_its_heading() -> None:
    def level(block_id: str) -> dict[str, Any]:
        element = {"type": "static_select", "action_id": "level", "options": [option("lugnt", "l")]}
        return {"type": "input", "block_id": block_id, "label": plain("Nivå"), "element": element}

    notes = {"type": "input", "block_id": "notes", "label": plain("Noteringar"), "element": {}}
    report = {
        "type": "modal",
        "blocks": [
            {"type": "header", "text": plain("Fittja centrum")},
            level("level_1"),
            {"type": "header", "text": plain("Hallunda centrum")},
            level("level_9"),
            notes,
        ],
    }
    assert prompt_labels(report) == {
        "level_1": "Nivå – Fittja centrum",
        "level_9": "Nivå – Hallunda centrum",
        "notes": "Noteringar",
    }
