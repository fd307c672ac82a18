"""The fake Slack, driven by the real slack_sdk client, and the signed-request builders."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from urllib.error import URLError
from urllib.parse import parse_qsl

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from handlers.local import slack_requests as sr
from handlers.local.localslack import ApiCall, LocalSlack

SECRET = "test-signing-secret"


@pytest.fixture
def fake() -> Iterator[LocalSlack]:
    with LocalSlack() as server:
        yield server


@pytest.fixture
def client(fake: LocalSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url, timeout=5)


def test_post_message_answers_increasing_ts_and_records_args(
    fake: LocalSlack, client: WebClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Hej*"}}]
    first = client.chat_postMessage(channel="C_EST", text="Hej", blocks=blocks)
    second = client.chat_postMessage(channel="C_EST", text="Igen", thread_ts=first["ts"])

    assert first["ok"] is True
    assert first["channel"] == "C_EST"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "Hej"
    calls = fake.calls_to("chat.postMessage")
    assert [c.args["text"] for c in calls] == ["Hej", "Igen"]
    assert calls[0].token == "xoxb-test"
    assert calls[0].response["ts"] == first["ts"]
    sent_blocks = calls[0].args["blocks"]
    assert (json.loads(sent_blocks) if isinstance(sent_blocks, str) else sent_blocks) == blocks
    assert calls[1].args["thread_ts"] == first["ts"]


def test_form_encoded_and_query_args_are_merged(fake: LocalSlack, client: WebClient) -> None:
    client.api_call("chat.delete", params={"channel": "C_EST", "ts": "1.2"})
    client.api_call("reactions.add?name=eyes", data={"channel": "C1", "timestamp": "1.2"})

    assert fake.calls_to("chat.delete")[0].args == {"channel": "C_EST", "ts": "1.2"}
    reaction = fake.calls_to("reactions.add")[0]
    assert reaction.args == {"name": "eyes", "channel": "C1", "timestamp": "1.2"}


def test_views_open_echoes_the_view_with_an_id(fake: LocalSlack, client: WebClient) -> None:
    view = {
        "type": "modal",
        "callback_id": "incident_new",
        "private_metadata": '{"group": 1}',
        "title": {"type": "plain_text", "text": "Ny händelse"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Var?"}}],
    }
    opened = client.views_open(trigger_id="1.2.abc", view=view)
    pushed = client.views_push(trigger_id="1.2.abc", view=view)
    updated = client.views_update(view_id=opened["view"]["id"], view=view)

    assert opened["view"]["id"].startswith("V")
    assert opened["view"]["callback_id"] == "incident_new"
    assert opened["view"]["private_metadata"] == '{"group": 1}'
    assert opened["view"]["state"] == {"values": {}}
    assert opened["view"]["hash"]
    assert pushed["view"]["id"] != opened["view"]["id"]
    assert updated["view"]["id"] == opened["view"]["id"]
    assert fake.last_view()["id"] == opened["view"]["id"]
    assert fake.wait_for("views.open")[0].response["view"] == opened["view"]


def test_rate_limit_then_success(fake: LocalSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_EST", text="1")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"

    assert client.chat_postMessage(channel="C_EST", text="2")["ok"] is True
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]


def test_server_error_is_consumed_per_method_and_wildcard(
    fake: LocalSlack, client: WebClient
) -> None:
    ts = client.chat_postMessage(channel="C_EST", text="1")["ts"]
    fake.fail_next("chat.update", status=500)
    fake.fail_next("*", status=503, times=2)

    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C_EST", ts=ts, text="x")
    assert raised.value.response.status_code == 500
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.auth_test()
        assert raised.value.response.status_code == 503
    assert client.chat_update(channel="C_EST", ts=ts, text="x")["ts"] == ts


def test_only_a_message_that_was_posted_and_not_deleted_can_be_updated(
    fake: LocalSlack, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C_EST", ts="1.2", text="x")
    assert raised.value.response["error"] == "message_not_found"
    ts = client.chat_postMessage(channel="C_EST", text="1")["ts"]
    with pytest.raises(SlackApiError):  # not in another channel
        client.chat_update(channel="C_OTHER", ts=ts, text="x")
    assert client.chat_update(channel="C_EST", ts=ts, text="x")["ok"] is True
    client.chat_delete(channel="C_EST", ts=ts)
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C_EST", ts=ts, text="x")
    assert raised.value.response["error"] == "message_not_found"


def test_hang_delays_the_answer(fake: LocalSlack, client: WebClient) -> None:
    fake.fail_next("chat.postEphemeral", hang=0.3)
    started = time.monotonic()

    answer = client.chat_postEphemeral(channel="C_EST", user="U_ANNA", text="x")

    assert time.monotonic() - started >= 0.3
    assert answer["message_ts"]


def test_hang_past_the_client_timeout_and_stop_releases_it(fake: LocalSlack) -> None:
    fake.fail_next("*", hang=30)
    impatient = WebClient(token="xoxb-test", base_url=fake.api_url, timeout=1)

    with pytest.raises(TimeoutError):
        impatient.auth_test()
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2


def test_files_upload_v2_goes_entirely_to_the_fake(fake: LocalSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(
        content=b"plats;antal\nTorget;3\n", filename="lagesbild.csv", channel="C_EST"
    )

    file_id = fake.calls_to("files.getUploadURLExternal")[0].response["file_id"]
    assert fake.uploads == {file_id: b"plats;antal\nTorget;3\n"}
    complete = fake.wait_for("files.completeUploadExternal")[0]
    assert complete.args["channel_id"] == "C_EST"
    assert answer["file"]["id"] == file_id
    assert answer["file"]["title"] == "lagesbild.csv"


def test_people_added_are_listed_page_by_page_and_known_to_users_info(
    fake: LocalSlack, client: WebClient
) -> None:
    fake.add_user("U0ANNA", "Anna Lindqvist", title="trygghetssamordnare")
    fake.add_user("U0ERIK", "Erik Johansson", email="erik@polisen.se")
    fake.add_user("U0SARA", "Sara Ahmed")

    first = client.users_list(limit=2)
    second = client.users_list(limit=2, cursor=first["response_metadata"]["next_cursor"])
    assert [u["id"] for u in first["members"]] == ["U0ANNA", "U0ERIK"]
    assert [u["id"] for u in second["members"]] == ["U0SARA"]
    assert second["response_metadata"]["next_cursor"] == ""  # the last page
    anna = client.users_info(user="U0ANNA")["user"]
    assert (anna["real_name"], anna["name"]) == ("Anna Lindqvist", "anna.lindqvist")
    assert anna["profile"]["title"] == "trygghetssamordnare"
    assert client.users_lookupByEmail(email="erik@polisen.se")["user"]["id"] == "U0ERIK"
    with pytest.raises(SlackApiError) as raised:
        client.users_list(cursor="not-a-cursor")
    assert raised.value.response["error"] == "invalid_cursor"


def test_a_block_suggestion_is_signed_and_carries_the_modal_so_far() -> None:
    view = {"id": "V1", "type": "modal", "callback_id": "activity_new"}
    values = {"places": {"place": {"type": "multi_external_select", "selected_options": []}}}
    request = sr.block_suggestion(
        "motivation", "fitt", secret=SECRET, block_id="motivation", view=view, values=values
    )
    payload = request.payload()
    assert (payload["type"], payload["action_id"], payload["value"]) == (
        "block_suggestion",
        "motivation",
        "fitt",
    )
    assert payload["container"] == {"type": "view", "view_id": "V1"}
    assert payload["view"]["state"] == {"values": values}
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(request.body, request.headers)
    from_message = sr.block_suggestion("place", "", secret=SECRET, channel_id="C0EST").payload()
    assert from_message["container"]["type"] == "message"
    assert from_message["channel"]["id"] == "C0EST"


def test_users_info_listed_default_and_unknown(fake: LocalSlack, client: WebClient) -> None:
    fake.users["U_GONE"] = {"id": "U_GONE", "name": "gone", "deleted": True}

    assert client.users_info(user="U_GONE")["user"]["deleted"] is True
    anna = client.users_info(user="U_ANNA")["user"]
    assert anna["tz"] == "Europe/Stockholm"
    assert anna["deleted"] is False
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="W_NOBODY")
    assert raised.value.response["error"] == "user_not_found"
    with pytest.raises(SlackApiError):
        client.users_lookupByEmail(email="x@example.com")


def test_other_methods_answer_like_slack(fake: LocalSlack, client: WebClient) -> None:
    assert client.auth_test()["bot_id"] == "BBOT"
    assert client.conversations_open(users="U_ANNA")["channel"]["id"] == "DU_ANNA"
    info = client.conversations_info(channel="C_EST")["channel"]
    assert (info["id"], info["name"], info["is_archived"]) == ("C_EST", "est-test", False)
    assert "permalink" in client.chat_getPermalink(channel="C_EST", message_ts="1.2")
    assert client.apps_connections_open(app_token="xapp-1")["url"].startswith("ws://127.0.0.1")
    assert client.api_call("bookmarks.list")["ok"] is True
    assert [c.method for c in fake.calls][-1] == "bookmarks.list"


def test_wait_for_blocks_until_calls_arrive(fake: LocalSlack, client: WebClient) -> None:
    timer = threading.Timer(0.2, lambda: client.chat_postMessage(channel="C", text="later"))
    timer.start()
    try:
        assert fake.wait_for("chat.postMessage", timeout=5)[0].args["text"] == "later"
    finally:
        timer.join()


def test_wait_for_times_out_naming_what_arrived(fake: LocalSlack, client: WebClient) -> None:
    client.auth_test()

    with pytest.raises(AssertionError, match=r"chat\.postMessage.*got 0.*auth\.test"):
        fake.wait_for("chat.postMessage", timeout=0.2)


def test_on_call_sees_each_call_and_clear_forgets() -> None:
    seen: list[ApiCall] = []
    with LocalSlack(on_call=seen.append) as fake:
        WebClient(token="xoxb-test", base_url=fake.api_url).auth_test()
        assert [c.method for c in seen] == ["auth.test"]
        fake.clear()
        assert fake.calls == []


def test_response_url_records_json(fake: LocalSlack) -> None:
    req = sr.SignedRequest(
        b'{"text": "Klart", "replace_original": true}', {"Content-Type": sr.JSON}
    )

    status, _, body = sr.post(fake.response_url("cmd1"), req)

    assert (status, json.loads(body)) == (200, {"ok": True})
    assert fake.response_urls == [("cmd1", {"text": "Klart", "replace_original": True})]


# --- signed requests --------------------------------------------------------------------------


def _verifier_accepts(req: sr.SignedRequest) -> bool:
    verifier = SignatureVerifier(SECRET)
    return verifier.is_valid(
        req.body, req.headers["X-Slack-Request-Timestamp"], req.headers["X-Slack-Signature"]
    )


def test_sign_is_accepted_by_slack_sdk_verifier() -> None:
    assert _verifier_accepts(sr.slash_command("ny", secret=SECRET))


def test_changed_body_is_rejected() -> None:
    req = sr.slash_command("ny", secret=SECRET)
    tampered = sr.SignedRequest(req.body[:-1] + b"X", req.headers)

    assert not _verifier_accepts(tampered)


def test_six_minute_old_timestamp_is_rejected() -> None:
    old = int(time.time()) - 6 * 60

    assert not _verifier_accepts(sr.slash_command("ny", secret=SECRET, timestamp=old))


def test_slash_command_has_slacks_form_fields() -> None:
    fields = dict(parse_qsl(sr.slash_command("plats Torget", secret=SECRET).body.decode()))

    assert fields["command"] == "/est"
    assert fields["text"] == "plats Torget"
    assert fields["user_id"] == "U_ANNA"
    assert {"team_id", "channel_id", "response_url", "trigger_id", "api_app_id"} <= set(fields)


def test_interactive_payloads() -> None:
    values = sr.state_values(
        sr.text_value("desc", "desc_input", "Klotter"),
        sr.select_value("place", "place_select", "p1", text="Torget"),
        sr.date_value("when", "date", "2025-03-01"),
    )
    view = {"id": "V1", "callback_id": "incident_new", "private_metadata": "{}"}

    submitted = sr.view_submission(view, values, secret=SECRET).payload()
    clicked = sr.block_action("approve", "42", secret=SECRET).payload()
    in_modal = sr.block_action("add", secret=SECRET, view=view).payload()
    shortcut = sr.message_shortcut("log", {"ts": "1.2", "text": "hi"}, secret=SECRET).payload()

    assert submitted["type"] == "view_submission"
    assert submitted["view"]["state"]["values"]["place"]["place_select"]["selected_option"] == {
        "text": {"type": "plain_text", "text": "Torget", "emoji": True},
        "value": "p1",
    }
    assert submitted["view"]["callback_id"] == "incident_new"
    assert clicked["actions"][0]["value"] == "42"
    assert clicked["container"]["type"] == "message"
    assert in_modal["container"] == {"type": "view", "view_id": "V1"}
    assert "response_url" not in in_modal
    assert (shortcut["type"], shortcut["message_ts"]) == ("message_action", "1.2")


def test_events_are_signed_json() -> None:
    req = sr.event({"type": "member_joined_channel", "user": "U_ANNA"}, secret=SECRET)
    challenge = sr.url_verification("abc", secret=SECRET)

    assert req.headers["Content-Type"] == "application/json"
    assert req.payload()["type"] == "event_callback"
    assert req.payload()["event"]["user"] == "U_ANNA"
    assert challenge.payload() == {
        "token": sr.VERIFICATION_TOKEN,
        "challenge": "abc",
        "type": "url_verification",
    }
    assert _verifier_accepts(req)
    assert _verifier_accepts(challenge)


def test_rate_limit_per_channel_with_bursts():
    with LocalSlack() as fake:
        fake.rate_limit("chat.postMessage", per_second=1.0, burst=3)
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        for _ in range(3):  # a burst of three is fine
            client.chat_postMessage(channel="U1", text="x")
        with pytest.raises(SlackApiError) as caught:
            client.chat_postMessage(channel="U1", text="x")
        assert caught.value.response.status_code == 429
        assert caught.value.response.headers["Retry-After"] == "1"
        client.chat_postMessage(channel="U2", text="x")  # another channel has its own budget
        time.sleep(1.05)
        client.chat_postMessage(channel="U1", text="x")  # a second later there is room again


def test_an_upload_is_shared_in_the_thread_it_was_completed_for(
    fake: LocalSlack, client: WebClient
) -> None:
    client.files_upload_v2(
        content=b"\x89PNG...",
        filename="v47.png",
        title="v47",
        channel="C_EST",
        thread_ts="1700000000.000100",
        initial_comment="Diagrammet",
    )
    (shared,) = fake.files.values()
    assert (shared.name, shared.title, shared.content) == ("v47.png", "v47", b"\x89PNG...")
    assert (shared.channel, shared.thread_ts, shared.initial_comment) == (
        "C_EST",
        "1700000000.000100",
        "Diagrammet",
    )


def test_completing_an_upload_that_never_arrived_is_an_error(
    fake: LocalSlack, client: WebClient
) -> None:
    url = client.files_getUploadURLExternal(filename="x.png", length=10)
    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(files=[{"id": url["file_id"]}], channel_id="C_EST")
    assert raised.value.response["error"] == "file_not_found"
    fake.fail_next("upload", status=500)
    with pytest.raises(URLError):
        client.files_upload_v2(content=b"12345", filename="y.png", channel="C_EST")
    assert fake.files == {}
