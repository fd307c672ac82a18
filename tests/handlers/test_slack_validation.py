"""The fake Slack refuses what Slack refuses: each limit at its edge, each rule, and the answers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from handlers.local.slack_limits import LIMITS, RULES
from handlers.local.validation import ack_refusal, check_message, check_view

Json = dict[str, Any]


def plain(text: str) -> Json:
    return {"type": "plain_text", "text": text}


def md(text: str) -> Json:
    return {"type": "mrkdwn", "text": text}


def section(text: str = "x", **more: Any) -> Json:
    return {"type": "section", "text": md(text), **more}


def option(value: str, label: str = "x") -> Json:
    return {"text": plain(label), "value": value}


def options(n: int) -> list[Json]:
    return [option(str(i), f"val {i}") for i in range(n)]


def message(*blocks: Json) -> Json:
    return {"text": "fallback", "blocks": list(blocks)}


def modal(*blocks: Json, **more: Any) -> Json:
    view = {"type": "modal", "title": plain("Titel"), "blocks": list(blocks)}
    view.update(submit=plain("Spara"), close=plain("Avbryt"))
    return view | more


def field(element: Json, block_id: str = "b") -> Json:
    return {"type": "input", "block_id": block_id, "label": plain("Fält"), "element": element}


def select(n: int, **more: Any) -> Json:
    return {"type": "static_select", "action_id": "a", "options": options(n), **more}


def in_message(element: Json) -> Json:
    return message({"type": "actions", "elements": [element]})


def in_modal(element: Json) -> Json:
    return modal(field(element))


def messages(payload: Json) -> list[str]:
    refusal = check_message(payload)
    return list(refusal.messages) if refusal else []


def view_messages(view: Json) -> list[str]:
    refusal = check_view(view)
    return list(refusal.messages) if refusal else []


# Each case: (name, build(n) -> payload, checker, the largest n Slack accepts, pointer refused at)
Case = tuple[str, Callable[[int], Json], Callable[[Json], list[str]], int, str]
EDGES: list[Case] = [
    ("blocks per message", lambda n: message(*[section()] * n), messages, 50, "/blocks"),
    ("blocks per modal", lambda n: modal(*[section()] * n), view_messages, 100, "/view/blocks"),
    (
        "blocks per Home tab",
        lambda n: {"type": "home", "blocks": [section()] * n},
        view_messages,
        100,
        "/view/blocks",
    ),
    ("section text", lambda n: message(section("x" * n)), messages, 3000, "/blocks/0/text/text"),
    (
        "section fields",
        lambda n: message({"type": "section", "fields": [md("f")] * n}),
        messages,
        10,
        "/blocks/0/fields",
    ),
    (
        "header text",
        lambda n: message({"type": "header", "text": plain("h" * n)}),
        messages,
        150,
        "/blocks/0/text/text",
    ),
    (
        "context elements",
        lambda n: message({"type": "context", "elements": [md("c")] * n}),
        messages,
        10,
        "/blocks/0/elements",
    ),
    (
        "option text",
        lambda n: in_modal(select(0) | {"options": [option("1", "o" * n)]}),
        view_messages,
        75,
        "/view/blocks/0/element/options/0/text/text",
    ),
    (
        "option value",
        lambda n: in_modal(select(0) | {"options": [option("v" * n)]}),
        view_messages,
        150,
        "/view/blocks/0/element/options/0/value",
    ),
    (
        "static_select options",
        lambda n: in_modal(select(n)),
        view_messages,
        100,
        "/view/blocks/0/element/options",
    ),
    (
        "checkboxes options",
        lambda n: in_modal({"type": "checkboxes", "action_id": "a", "options": options(n)}),
        view_messages,
        10,
        "/view/blocks/0/element/options",
    ),
    (
        "radio_buttons options",
        lambda n: in_modal({"type": "radio_buttons", "action_id": "a", "options": options(n)}),
        view_messages,
        10,
        "/view/blocks/0/element/options",
    ),
    (
        "overflow options",
        lambda n: in_message({"type": "overflow", "action_id": "a", "options": options(n)}),
        messages,
        5,
        "/blocks/0/elements/0/options",
    ),
    (
        "modal title",
        lambda n: modal(section(), title=plain("t" * n)),
        view_messages,
        24,
        "/view/title/text",
    ),
    (
        "submit label",
        lambda n: modal(section(), submit=plain("s" * n)),
        view_messages,
        24,
        "/view/submit/text",
    ),
    (
        "close label",
        lambda n: modal(section(), close=plain("c" * n)),
        view_messages,
        24,
        "/view/close/text",
    ),
    (
        "private_metadata",
        lambda n: modal(section(), private_metadata="m" * n),
        view_messages,
        3000,
        "/view/private_metadata",
    ),
    (
        "block_id",
        lambda n: message(section(block_id="b" * n)),
        messages,
        255,
        "/blocks/0/block_id",
    ),
    (
        "button text",
        lambda n: in_message({"type": "button", "action_id": "a", "text": plain("b" * n)}),
        messages,
        75,
        "/blocks/0/elements/0/text/text",
    ),
    (
        "initial_value within max_length",
        lambda n: in_modal(
            {
                "type": "plain_text_input",
                "action_id": "a",
                "max_length": 500,
                "initial_value": "i" * n,
            }
        ),
        view_messages,
        500,
        "/view/blocks/0/element/initial_value",
    ),
]


@pytest.mark.parametrize(
    ("name", "build", "check", "most", "pointer"), EDGES, ids=[c[0] for c in EDGES]
)
def test_each_limit_holds_at_its_edge_and_refuses_one_past_it(
    name: str,
    build: Callable[[int], Json],
    check: Callable[[Json], list[str]],
    most: int,
    pointer: str,
) -> None:
    assert check(build(most)) == []
    refused = check(build(most + 1))
    assert any(m.endswith(f"[json-pointer:{pointer}]") for m in refused), refused


def test_slacks_own_wording_for_a_long_section() -> None:
    assert messages(message(section("x" * 3001)))[0] == (
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    )
    assert messages(message(*[section()] * 51)) == [
        "must be less than 51 items [json-pointer:/blocks]"
    ]


def test_rules_that_are_not_numbers() -> None:
    twice = message(section(block_id="same"), section(block_id="same"))
    assert "block_id duplicates the one of block 0 [json-pointer:/blocks/1]" in messages(twice)
    buttons = [{"type": "button", "action_id": "a", "text": plain("b")}] * 2
    same_action = message({"type": "actions", "elements": buttons})
    assert messages(same_action) == [
        "action_id must be unique in its block [json-pointer:/blocks/0/elements/1/action_id]"
    ]
    stray = select(3, initial_option=option("9", "nio"))
    assert view_messages(in_modal(stray)) == [
        "must exactly match one of the options [json-pointer:/view/blocks/0/element/initial_option]"
    ]
    chosen = select(3, initial_option=option("1", "val 1"))
    assert view_messages(in_modal(chosen)) == []
    no_submit = {k: v for k, v in in_modal(select(2)).items() if k != "submit"}
    assert view_messages(no_submit) == [
        "submit is required when the view has input blocks [json-pointer:/view/submit]"
    ]
    home = {"type": "home", "blocks": [section()], "close": plain("Stäng")}
    assert "a Home tab has no submit or close [json-pointer:/view/close]" in view_messages(home)
    header = message({"type": "header", "text": md("*fet*")})
    assert messages(header) == ['must be "plain_text" [json-pointer:/blocks/0/text/type]']
    emoji_in_mrkdwn = message({"type": "section", "text": md("x") | {"emoji": True}})
    assert "unknown field(s) ['emoji'] [json-pointer:/blocks/0/text]" in messages(emoji_in_mrkdwn)
    assert messages({"blocks": [section()]}) == [
        "blocks without a text fallback [json-pointer:/text]"
    ]
    assert messages({"delete_original": True}) == []


def test_slack_sdk_models_check_too() -> None:
    confirm = {"title": plain("t"), "text": plain("x"), "confirm": plain("j"), "deny": plain("n")}
    long_confirm = confirm | {"confirm": plain("j" * 31)}
    button = {"type": "button", "action_id": "a", "text": plain("b"), "confirm": long_confirm}
    refused = messages(in_message(button))
    assert (
        "must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/confirm/text]"
        in refused
    )
    assert any(m.startswith("slack_sdk: ") for m in refused)


def test_every_limit_names_its_source_in_slacks_reference() -> None:
    assert len(LIMITS) >= 40
    for name, limit in LIMITS.items():
        assert limit.source.startswith("https://docs.slack.dev/"), name
        assert 0 <= limit.least <= limit.most, name
    assert all("docs.slack.dev" in source or "slack_sdk" in source for source in RULES.values())


def test_acknowledgements_are_read_like_slack_reads_them() -> None:
    assert ack_refusal({}) is None
    assert ack_refusal({"response_action": "errors", "errors": {"b": "Fel"}}) is None
    bad_update = ack_refusal({"response_action": "update", "view": modal(*[section()] * 101)})
    assert bad_update is not None and bad_update.error == "invalid_arguments"
    long_text = ack_refusal({"text": "t", "blocks": [section("x" * 3001)]})
    assert long_text is not None and long_text.error == "invalid_blocks"


# --- the fake answers like Slack -------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[LocalSlack]:
    with LocalSlack() as server:
        yield server
        server.refusals.clear()  # these tests refuse on purpose


def test_web_api_refusal_is_http_200_with_slacks_error(fake: LocalSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 3001)])
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["errors"][0].startswith("must be less than 3001 characters")
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.2.3", view=modal(*[section()] * 101))
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 101 items [json-pointer:/view/blocks]"
    ]
    assert [r.method for r in fake.refusals] == ["chat.postMessage", "views.open"]
    assert not fake.calls_to("chat.postMessage")[0].response["ok"]


def test_response_url_refusal_is_http_400_like_slacks_webhooks(fake: LocalSlack) -> None:
    body = json.dumps({"text": "t", "blocks": [section()] * 51}).encode()
    status, _headers, answer = sr.post(
        fake.response_url("k"), sr.SignedRequest(body, {"Content-Type": sr.JSON})
    )
    assert (status, answer) == (400, b"invalid_blocks")
    assert fake.response_urls == []
    assert [r.method for r in fake.refusals] == ["response_url"]


def test_leaving_the_fake_fails_on_a_refusal_nobody_looked_at() -> None:
    refused = pytest.raises(AssertionError, match=r"chat\.postEphemeral: no_text")
    with refused, LocalSlack() as fake, suppress(SlackApiError):
        WebClient(token="x", base_url=fake.api_url).api_call(
            "chat.postEphemeral", json={"channel": "C1", "user": "U1", "blocks": [section()]}
        )


def test_a_response_url_takes_five_posts(fake: LocalSlack) -> None:
    url = fake.response_url()
    assert url != fake.response_url()  # each request its own, as Slack gives them
    body = sr.SignedRequest(json.dumps({"text": "Hej"}).encode(), {"Content-Type": sr.JSON})
    answers = [sr.post(url, body)[0] for _ in range(6)]
    assert answers == [200, 200, 200, 200, 200, 404]
    assert [r.refusal.error for r in fake.refusals] == ["used_url"]
