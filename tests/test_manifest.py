"""The Slack app manifest and the code agree."""

import ast
import inspect
import re
from pathlib import Path

import yaml
from slack_sdk import WebClient

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


# --- scopes and events: what the code calls and handles, and what the manifest asks for ------

# The bot scope each Web API method needs (None: none), from its page under
# https://docs.slack.dev/reference/methods/<method> ("Required scopes", bot token).
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "chat.delete": "chat:write",
    "chat.getPermalink": None,
    "chat.postEphemeral": "chat:write",
    "chat.postMessage": "chat:write",
    "chat.scheduleMessage": "chat:write",
    "chat.update": "chat:write",
    "conversations.info": "channels:read",
    "conversations.members": "channels:read",
    "conversations.open": "im:write",
    "files.completeUploadExternal": "files:write",
    "files.getUploadURLExternal": "files:write",
    "files.info": "files:read",
    "team.info": "team:read",
    "users.info": "users:read",
    "users.lookupByEmail": "users:read.email",
    "views.open": None,
    "views.publish": None,
    "views.push": None,
    "views.update": None,
}
# The scope each subscribed event needs, from https://docs.slack.dev/reference/events/<event>
EVENT_SCOPES: dict[str, tuple[str, ...]] = {
    "app_home_opened": (),
    "app_uninstalled": (),
    "tokens_revoked": (),
    "member_joined_channel": ("channels:read", "groups:read"),
    "user_change": ("users:read",),
    "channel_archive": ("channels:read",),
    "channel_unarchive": ("channels:read",),
    "channel_rename": ("channels:read",),
    "group_archive": ("groups:read",),
    "group_unarchive": ("groups:read",),
    "group_rename": ("groups:read",),
    "message.im": ("im:history",),
}
# Scopes for what is not a method or an event
FEATURE_SCOPES = {
    "commands": "the /est slash command and the message shortcut",
    "chat:write.public": "posting in a public channel the bot has not been invited to",
}
CODE = [ROOT / "app.py", *sorted((ROOT / "handlers").rglob("*.py"))]
STAND_INS = ROOT / "handlers" / "local"  # the fake Slack and the console, not the bot


def _web_api_methods(name: str, seen: set[str] | None = None) -> set[str]:
    """The Web API methods one WebClient method calls (files_upload_v2 calls two)."""
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    source = inspect.getsource(getattr(WebClient, name))
    found = set(re.findall(r'api_call\(\s*"([a-zA-Z.]+)"', source))
    for inner in re.findall(r"self\.([a-z]+_[A-Za-z0-9_]+)\(", source):
        if callable(getattr(WebClient, inner, None)):
            found |= _web_api_methods(inner, seen)
    return found


def called_methods() -> set[str]:
    """Every Web API method the bot's code calls through a WebClient."""
    names = set()
    for path in CODE:
        if STAND_INS in path.parents:
            continue
        names |= set(re.findall(r"\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text("utf-8")))
    clients = {n for n in names if callable(getattr(WebClient, n, None)) and not n.startswith("_")}
    return set().union(*(_web_api_methods(n) for n in clients)) - {"files.upload"}


def handled_events() -> set[str]:
    """The event types the code listens to: app.event("x"), also in a loop over names."""
    found: set[str] = set()
    for path in CODE:
        tree = ast.parse(path.read_text("utf-8"))
        loops: dict[str, set[str]] = {}  # a loop variable -> every name it goes through
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.For)
                and isinstance(node.target, ast.Name)
                and isinstance(node.iter, ast.Tuple)
            ):
                names = {str(e.value) for e in node.iter.elts if isinstance(e, ast.Constant)}
                loops.setdefault(node.target.id, set()).update(names)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "event"
                and node.args
            ):
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    found.add(str(arg.value))
                elif isinstance(arg, ast.Name):
                    found.update(loops.get(arg.id, set()))
    return found


def test_the_code_calls_only_methods_whose_scope_is_known() -> None:
    called = called_methods()
    assert {"chat.postMessage", "views.open", "files.completeUploadExternal"} <= called
    assert called <= set(METHOD_SCOPES), called - set(METHOD_SCOPES)


def test_scopes_are_exactly_what_the_methods_events_and_features_need() -> None:
    m = manifest()
    subscribed = m["settings"]["event_subscriptions"]["bot_events"]
    needed = {METHOD_SCOPES[method] for method in called_methods()} - {None}
    needed |= {scope for event in subscribed for scope in EVENT_SCOPES[event]}
    needed |= set(FEATURE_SCOPES)
    asked = set(m["oauth_config"]["scopes"]["bot"])
    assert asked - needed == set(), "requested but used by nothing"
    assert needed - asked == set(), "used but not requested"
    assert "team:read" not in asked


def test_every_subscribed_event_has_a_listener_and_every_listener_a_subscription() -> None:
    subscribed = {
        e.split(".")[0] for e in manifest()["settings"]["event_subscriptions"]["bot_events"]
    }
    assert subscribed == handled_events()


def test_a_writable_messages_tab_is_read() -> None:
    m = manifest()
    home = m["features"]["app_home"]
    writable = home["messages_tab_enabled"] and not home["messages_tab_read_only_enabled"]
    assert not writable or "message.im" in m["settings"]["event_subscriptions"]["bot_events"]
