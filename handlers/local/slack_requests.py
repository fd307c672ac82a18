"""Builders for signed requests shaped like the ones Slack sends to the bot.

Slash commands are form fields; interactivity (block_actions, view_submission, message
shortcuts) is one form field ``payload=<json>``; the Events API sends JSON. Every request is
signed the way Slack signs it: ``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.timekeeping import system_time

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TEAM_ID = "T0EST"
TEAM_DOMAIN = "est-test"
APP_ID = "AEST"
BOT_USER_ID = "UBOT"
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated by Slack, still sent
DEFAULT_RESPONSE_URL = "http://127.0.0.1:9/response/r"

_MESSAGE_TS = "1700000000.000100"
_serial = itertools.count(1)
_AUTHORIZATION = {
    "enterprise_id": None,
    "team_id": TEAM_ID,
    "user_id": BOT_USER_ID,
    "is_bot": True,
    "is_enterprise_install": False,
}


@dataclass(frozen=True)
class SignedRequest:
    body: bytes
    headers: dict[str, str]  # Content-Type, X-Slack-Signature, X-Slack-Request-Timestamp

    def payload(self) -> dict[str, Any]:
        """The JSON sent: the ``payload`` form field, or the whole body for events."""
        text = self.body if self.headers["Content-Type"] == JSON else self._form_payload()
        payload: dict[str, Any] = json.loads(text)
        return payload

    def _form_payload(self) -> str:
        return dict(parse_qsl(self.body.decode()))["payload"]


def sign(
    body: bytes, secret: str, *, timestamp: int | None = None, content_type: str = FORM
) -> SignedRequest:
    ts = str(int(system_time().timestamp()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type,
        "X-Slack-Signature": f"v0={digest}",
        "X-Slack-Request-Timestamp": ts,
    }
    return SignedRequest(body, headers)


def new_trigger_id() -> str:
    n = next(_serial)
    return f"{n}.{1_700_000_000 + n}.{secrets.token_hex(16)}"


def _action_ts() -> str:
    return f"{system_time().timestamp():.6f}"


def _user(user_id: str, team_id: str) -> dict[str, Any]:
    name = user_id.lower().removeprefix("u_")
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _interactive(payload: dict[str, Any], secret: str, timestamp: int | None) -> SignedRequest:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return sign(body, secret, timestamp=timestamp)


def slash_command(
    text: str,
    *,
    secret: str,
    user_id: str = "U_ANNA",
    channel_id: str = "C_EST",
    team_id: str = TEAM_ID,
    command: str = "/est",
    response_url: str = DEFAULT_RESPONSE_URL,
    trigger_id: str | None = None,
    timestamp: int | None = None,
    user_name: str = "anna",
    enterprise_id: str | None = None,
    is_enterprise_install: bool = False,
) -> SignedRequest:
    """``enterprise_id``: the workspace is in an Enterprise Grid organisation;
    ``is_enterprise_install``: the app is installed for the whole organisation."""
    grid = {"enterprise_id": enterprise_id, "enterprise_name": "Org"} if enterprise_id else {}
    fields = {
        "token": VERIFICATION_TOKEN,
        **grid,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": "est-test" if channel_id.startswith("C") else "directmessage",
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "true" if is_enterprise_install else "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }
    return sign(urlencode(fields).encode(), secret, timestamp=timestamp)


def block_action(
    action_id: str,
    value: str | None = None,
    *,
    secret: str,
    user_id: str = "U_ANNA",
    channel_id: str = "C_EST",
    team_id: str = TEAM_ID,
    block_id: str = "b",
    view: dict[str, Any] | str | None = None,
    message: dict[str, Any] | None = None,
    response_url: str = DEFAULT_RESPONSE_URL,
    trigger_id: str | None = None,
    selected_option: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    action_fields: dict[str, Any] | None = None,
    timestamp: int | None = None,
) -> SignedRequest:
    """A click (button) or a choice (static_select when ``selected_option`` is given).

    With ``view`` the action comes from a modal or the home tab (no channel, no response_url);
    otherwise from a message in ``channel_id``. ``values`` is the surface's ``state.values``;
    ``action_fields`` adds to or overrides the action (e.g. ``{"type": "datepicker",
    "selected_date": "2025-03-01"}``).
    """
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "type": "button"}
    if selected_option is not None:
        action.update(type="static_select", selected_option=selected_option)
    elif value is not None:
        action.update(value=value, text={"type": "plain_text", "text": value, "emoji": True})
    action.update(action_fields or {}, action_ts=_action_ts())
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if view is not None:
        full_view = _full_view(view, team_id)
        if values is not None:
            full_view["state"] = {"values": values}
        payload["container"] = {"type": "view", "view_id": full_view["id"]}
        payload["view"] = full_view
    else:
        msg = {
            "type": "message",
            "user": BOT_USER_ID,
            "ts": _MESSAGE_TS,
            "text": "",
            **(message or {}),
        }
        payload["container"] = {
            "type": "message",
            "message_ts": msg["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload.update(channel={"id": channel_id, "name": "est-test"}, message=msg)
        payload.update(state={"values": values or {}}, response_url=response_url)
    return _interactive(payload, secret, timestamp)


def _full_view(view: dict[str, Any] | str, team_id: str) -> dict[str, Any]:
    """The view as Slack echoes it back in payloads: the bot's view plus Slack's fields."""
    view = json.loads(view) if isinstance(view, str) else view
    full = {"type": "modal", "blocks": [], "callback_id": "", "private_metadata": "", **view}
    full.setdefault("id", "V000000001")
    full.setdefault("state", {"values": {}})
    for key, default in (
        ("team_id", team_id),
        ("app_id", APP_ID),
        ("bot_id", "BBOT"),
        ("hash", "1700000000.abcd1234"),
        ("root_view_id", full["id"]),
        ("previous_view_id", None),
        ("external_id", ""),
    ):
        full.setdefault(key, default)
    return full


def view_submission(
    view: dict[str, Any] | str,
    values: dict[str, Any],
    *,
    secret: str,
    user_id: str = "U_ANNA",
    team_id: str = TEAM_ID,
    timestamp: int | None = None,
) -> SignedRequest:
    """``view`` as the bot opened it (``fake.last_view()``, or a call's ``response["view"]``);
    ``values`` is ``state.values``: ``{block_id: {action_id: {"type": ..., ...}}}``."""
    full = _full_view(view, team_id)
    full["state"] = {"values": values}
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": new_trigger_id(),
        "view": full,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _interactive(payload, secret, timestamp)


def block_suggestion(
    action_id: str,
    query: str,
    *,
    secret: str,
    user_id: str = "U_ANNA",
    team_id: str = TEAM_ID,
    block_id: str = "b",
    view: dict[str, Any] | str | None = None,
    values: dict[str, Any] | None = None,
    channel_id: str = "C_EST",
    timestamp: int | None = None,
) -> SignedRequest:
    """What Slack sends while someone types ``query`` into an external select: from a modal
    (``view``, with what is filled in so far as ``values``) or else from a message."""
    payload: dict[str, Any] = {
        "type": "block_suggestion",
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "action_id": action_id,
        "block_id": block_id,
        "value": query,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if view is not None:
        full_view = _full_view(view, team_id)
        full_view["state"] = {"values": values or {}}
        payload.update(container={"type": "view", "view_id": full_view["id"]}, view=full_view)
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": _MESSAGE_TS,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel_id, "name": "est-test"}
    return _interactive(payload, secret, timestamp)


def message_shortcut(
    callback_id: str,
    message: dict[str, Any],
    *,
    secret: str,
    user_id: str = "U_ANNA",
    channel_id: str = "C_EST",
    team_id: str = TEAM_ID,
    response_url: str = DEFAULT_RESPONSE_URL,
    timestamp: int | None = None,
) -> SignedRequest:
    """A message shortcut (``message_action``) on ``message`` (give it the real ``ts``)."""
    msg = {"type": "message", "ts": _MESSAGE_TS, "text": "", **message}
    payload = {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": _action_ts(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id),
        "channel": {"id": channel_id, "name": "est-test"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": new_trigger_id(),
        "response_url": response_url,
        "message_ts": msg["ts"],
        "message": msg,
    }
    return _interactive(payload, secret, timestamp)


def global_shortcut(
    callback_id: str,
    *,
    secret: str,
    user_id: str = "U_ANNA",
    team_id: str = TEAM_ID,
    timestamp: int | None = None,
) -> SignedRequest:
    payload = {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": _action_ts(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": new_trigger_id(),
    }
    return _interactive(payload, secret, timestamp)


def event(
    event: dict[str, Any],
    *,
    secret: str,
    team_id: str = TEAM_ID,
    event_id: str | None = None,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> SignedRequest:
    """An Events API ``event_callback`` wrapping ``event`` (which needs at least ``type``).

    ``retry_num``: Slack delivers the same event (the same ``event_id``) again because it did
    not see an answer in time: the headers ``X-Slack-Retry-Num`` and ``X-Slack-Retry-Reason``.
    """
    now = int(system_time().timestamp()) if timestamp is None else timestamp
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": {"event_ts": f"{now}.000100", **event},
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_serial):010d}",
        "event_time": now,
        "authorizations": [_AUTHORIZATION | {"team_id": team_id}],
        "is_ext_shared_channel": False,
    }
    signed = sign(json.dumps(envelope).encode(), secret, timestamp=timestamp, content_type=JSON)
    if retry_num is not None:
        signed.headers["X-Slack-Retry-Num"] = str(retry_num)
        signed.headers["X-Slack-Retry-Reason"] = retry_reason
    return signed


def url_verification(challenge: str, *, secret: str) -> SignedRequest:
    body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    return sign(json.dumps(body).encode(), secret, content_type=JSON)


def post(url: str, req: SignedRequest, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """POST ``req`` to ``url``; returns (status, headers, body), also for 4xx and 5xx."""
    request = urllib.request.Request(url, data=req.body, headers=req.headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers.items()), err.read()


# --- state.values entries -------------------------------------------------------------------


def option(value: str, text: str | None = None) -> dict[str, Any]:
    """A Block Kit option object as Slack sends it back."""
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def state_value(block_id: str, action_id: str, type_: str, **fields: Any) -> dict[str, Any]:
    """One ``state.values`` entry: ``{block_id: {action_id: {"type": type_, **fields}}}``."""
    return {block_id: {action_id: {"type": type_, **fields}}}


def state_values(*entries: dict[str, Any]) -> dict[str, Any]:
    """Merge entries from :func:`state_value` (and the helpers below) into one ``values``."""
    merged: dict[str, Any] = {}
    for entry in entries:
        for block_id, actions in entry.items():
            merged.setdefault(block_id, {}).update(actions)
    return merged


def text_value(block_id: str, action_id: str, value: str | None) -> dict[str, Any]:
    return state_value(block_id, action_id, "plain_text_input", value=value)


def select_value(
    block_id: str,
    action_id: str,
    value: str | None,
    *,
    text: str | None = None,
    type_: str = "static_select",
) -> dict[str, Any]:
    """static_select (or external_select, radio_buttons); ``None`` means nothing chosen."""
    chosen = None if value is None else option(value, text)
    return state_value(block_id, action_id, type_, selected_option=chosen)


def date_value(block_id: str, action_id: str, date: str | None) -> dict[str, Any]:
    """datepicker; ``date`` as ``YYYY-MM-DD``."""
    return state_value(block_id, action_id, "datepicker", selected_date=date)


def time_value(block_id: str, action_id: str, hhmm: str | None) -> dict[str, Any]:
    """timepicker; ``hhmm`` as ``HH:MM``."""
    return state_value(block_id, action_id, "timepicker", selected_time=hhmm)


def user_value(block_id: str, action_id: str, user_id: str | None) -> dict[str, Any]:
    return state_value(block_id, action_id, "users_select", selected_user=user_id)


def checkbox_values(block_id: str, action_id: str, values: list[str]) -> dict[str, Any]:
    chosen = [option(v) for v in values]
    return state_value(block_id, action_id, "checkboxes", selected_options=chosen)
