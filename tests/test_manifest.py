"""The Slack app manifest and the code agree."""

from pathlib import Path

import yaml

from handlers.ids import Callback

ROOT = Path(__file__).resolve().parents[1]


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text("utf-8"))


def test_one_endpoint_for_everything_slack_sends():
    m = manifest()
    urls = {
        m["features"]["slash_commands"][0]["url"],
        m["settings"]["interactivity"]["request_url"],
        m["settings"]["event_subscriptions"]["request_url"],
    }
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")


def test_command_and_shortcut_match_the_code():
    m = manifest()
    assert [c["command"] for c in m["features"]["slash_commands"]] == ["/est"]
    assert m["features"]["shortcuts"][0]["callback_id"] == Callback.LOG_INCIDENT_SHORTCUT
    assert m["features"]["shortcuts"][0]["type"] == "message"


def test_scopes_cover_what_the_bot_calls():
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "files:write"} <= scopes
