"""The plain-dict Block Kit gives exactly what slack_sdk's models give, and valid Block Kit."""

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from bot.actions.notifications import ActionReminder
from bot.actions.results import ActionItem, Note
from bot.activities.service import Upcoming
from bot.actors import EstGroup
from bot.i18n import Translator
from handlers import blockkit as kit
from handlers.actions.blocks import build_card, build_list, build_reminder
from handlers.home.blocks import build_home

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def test_each_builder_equals_the_slack_sdk_model():
    options = [Option(value="7:1", label="Skjut upp 1 dag"), Option(value="7:7", label="1 vecka")]
    pairs = [
        (kit.section("*fet* &lt;"), SectionBlock(text=MarkdownTextObject(text="*fet* &lt;"))),
        (kit.context("liten"), ContextBlock(elements=[MarkdownTextObject(text="liten")])),
        (kit.header("Mina åtgärder (3)"), HeaderBlock(text="Mina åtgärder (3)")),
        (kit.divider(), DividerBlock()),
        (
            kit.actions(
                block_id="action_buttons_7",
                elements=[
                    kit.button("Klar", action_id="action_done", value="7", style="primary"),
                    kit.button("Pågår", action_id="action_in_progress", value="7"),
                    kit.overflow(
                        action_id="postpone_action",
                        options=[
                            kit.option("7:1", "Skjut upp 1 dag"),
                            kit.option("7:7", "1 vecka"),
                        ],
                    ),
                ],
            ),
            ActionsBlock(
                block_id="action_buttons_7",
                elements=[
                    ButtonElement(text="Klar", action_id="action_done", value="7", style="primary"),
                    ButtonElement(text="Pågår", action_id="action_in_progress", value="7"),
                    OverflowMenuElement(action_id="postpone_action", options=options),
                ],
            ),
        ),
    ]
    for ours, model in pairs:
        assert ours == model.to_dict()


def action(**changes) -> ActionItem:
    base = ActionItem(
        id=42,
        group_id=1,
        title="Belysning <!channel> vid *gångtunneln*",
        description="Byt armaturer & rensa buskar",
        owner_user_id="U0SARA",
        organisation="Botkyrkabyggen",
        horizon="kort",
        status="öppen",
        due_date=date(2026, 11, 20),
        places=("Fittja centrum",),
        incident_ids=(),
        iso_year=2026,
        iso_week=47,
        decision_ref=None,
        created_by="U0ANNA",
        created_at=NOW,
        updated_at=NOW,
        done_at=None,
        notes=(Note("U0ANNA", "note", "Beställt hos <elbolaget>", NOW),),
    )
    return replace(base, **changes)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_action_messages_are_valid_block_kit(language):
    tr = Translator(language)
    group = EstGroup(1, "EST Fittja", "T0", "C0EST", language, "Europe/Stockholm")
    today = date(2026, 11, 24)
    long_title = action(title="x" * 5000, description="y" * 5000)
    messages = [
        build_reminder(tr, ActionReminder(group, action(), "overdue", today)),
        build_card(tr, long_title, today),
        build_list(tr, "Mina", [action(id=n) for n in range(1, 20)], today),
        build_list(tr, "Klara", [action(status="klar")], today),
    ]
    for message in messages:
        assert 0 < len(message["blocks"]) <= 50
        for block in message["blocks"]:
            model = Block.parse(block)
            assert model is not None
            model.validate_json()  # raises on a field Slack would refuse (lengths, counts)
            assert model.to_dict() == block
    shown = [b for b in messages[2]["blocks"] if b["type"] == "divider"]
    assert len(shown) == 12  # of 19: the rest are counted in a "more" line
    assert "7" in messages[2]["blocks"][-1]["elements"][0]["text"]


def test_user_text_is_escaped_in_the_reminder():
    tr = Translator("sv")
    group = EstGroup(1, "EST Fittja", "T0", "C0EST", "sv", "Europe/Stockholm")
    message = build_reminder(tr, ActionReminder(group, action(), "due", date(2026, 11, 20)))
    text = str(message["blocks"])
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "&amp; rensa" in text
    assert message["blocks"][0]["text"]["text"].startswith("Påminnelse")
    assert message["blocks"][-1]["elements"][0]["value"] == "42"


def test_app_home_is_valid_block_kit_within_100_blocks():
    tr = Translator("sv")
    help_blocks = [kit.section(f"hjälp {n}") for n in range(60)]
    tz, today = ZoneInfo("Europe/Stockholm"), date(2026, 11, 24)
    assert build_home(tr, help_blocks, tz=tz, today=today) == {
        "type": "home",
        "blocks": help_blocks,
    }
    mine = [action(id=n) for n in range(1, 20)]
    home = build_home(tr, help_blocks, tz=tz, today=today, actions=mine, upcoming=Upcoming())
    assert home["type"] == "home" and len(home["blocks"]) == 100  # the help is cut, not the rest
    assert home["blocks"][0]["text"]["text"] == "Mina åtgärder (12)"
    assert [b["text"]["text"] for b in home["blocks"] if b["type"] == "header"][1] == (
        "Kommande aktiviteter"
    )
    for block in home["blocks"]:
        model = Block.parse(block)
        assert model is not None
        model.validate_json()
        assert model.to_dict() == block


def test_a_hand_over_note_names_the_two_people_and_typed_notes_stay_literal():
    notes = (
        Note("U0OMAR", "reassign", "U0OMAR → U0ANNA", NOW),
        Note("U0ANNA", "note", "U0OMAR → <@U0ERIK>", NOW),  # typed: not a hand-over
    )
    card = build_card(Translator("sv"), action(notes=notes), date(2026, 11, 20))
    lines = card["blocks"][2]["elements"][0]["text"].split("\n")
    day = "tis 24 nov."  # the day the notes were written, as messages write a day
    assert NOW.date().isoformat() == "2026-11-24"
    assert lines == [
        f"{day} <@U0OMAR>: <@U0OMAR> → <@U0ANNA>",
        f"{day} <@U0ANNA>: U0OMAR → &lt;@U0ERIK&gt;",
    ]
