"""The one global error handler: log the traceback with a short id, show the user that id."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.context.respond import Respond

from bot.i18n import Translator, translator
from handlers.replies import (
    Message,
    build_error,
    build_error_view,
    build_form_error,
    build_refused,
)
from storage.errors import database_unavailable

log = logging.getLogger("est.errors")


def logged(error: Exception, body: dict[str, Any]) -> str:
    """Log the traceback under a short new id, the one the person is shown."""
    error_id = uuid.uuid4().hex[:8]
    log.error(
        "error %s in %s",
        error_id,
        body.get("type") or body.get("command"),
        exc_info=(type(error), error, error.__traceback__),
    )
    return error_id


def error_reply(tr: Translator, error: Exception, body: dict[str, Any]) -> Message:
    """Log ``error`` and say it to the person: the database not answering, or the error id."""
    return build_error(tr, logged(error, body), database_down=database_unavailable(error))


def handle_error(
    error: Exception,
    body: dict[str, Any],
    response: BoltResponse | None,
    respond: Respond | None,
    context: dict[str, Any],
) -> None:
    error_id = logged(error, body)
    tr = translator(context.get("language") or context.get("default_language"))
    down = database_unavailable(error)
    if response is not None and body.get("type") == "view_submission":
        _keep_form_open(
            response, body.get("view") or {}, tr, build_form_error(tr, error_id, database_down=down)
        )
        return
    message = build_error(tr, error_id, database_down=down)
    if body.get("command"):  # nothing was saved: hand back what they typed
        typed = f"{body['command']} {body.get('text') or ''}".strip()
        message = build_refused(tr, message["text"], typed)
    if response is not None and (body.get("command") or body.get("type") == "block_actions"):
        # not acknowledged yet: answer Slack with the message instead of a bare 500
        _answer(response, {"response_type": "ephemeral", **message})
        return
    if response is not None:
        response.status = 200
        response.body = ""
    if respond is not None and body.get("response_url"):
        try:
            respond(response_type="ephemeral", replace_original=False, **message)
        except Exception:  # noqa: BLE001 - already in the error path; the log has the cause
            log.warning("could not tell the user about error %s", error_id)


def _keep_form_open(
    response: BoltResponse, view: dict[str, Any], tr: Translator, text: str
) -> None:
    """A form whose submission failed before it was acknowledged stays open, with what the
    person wrote in it, and the error under its first field (an empty 200 would close it and
    tell them nothing); a form without a field gets the error pushed over it."""
    fields = [
        b["block_id"]
        for b in view.get("blocks", [])
        if b.get("type") == "input" and b.get("block_id")
    ]
    if fields:
        _answer(response, {"response_action": "errors", "errors": {fields[0]: text}})
    else:
        _answer(response, {"response_action": "push", "view": build_error_view(tr, text)})


def _answer(response: BoltResponse, data: dict[str, Any]) -> None:
    response.status = 200
    response.headers["content-type"] = ["application/json;charset=utf-8"]
    response.body = json.dumps(data)
