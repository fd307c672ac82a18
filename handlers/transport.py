"""The Slack side of outbox delivery: render a notification, post it, map Slack's answers.

429 → wait as Slack says; 5xx, timeouts and connection errors → retry later with backoff;
errors that will never succeed (no such channel, archived, user gone) → rejected, admins told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery import RateLimited, RecipientGone, Rejected, Unavailable
from bot.notifier import Notification, ThreadedPost
from bot.summary.notifications import SummaryChart
from bot.timekeeping import monotonic
from bot.weekly.notifications import PictureMap
from handlers.notifier import message_for, messages_for

log = logging.getLogger(__name__)

_GONE = {"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "user_deleted"}
_TEMPORARY = {
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "ratelimited",
    "team_added_to_org",
}
# chat.update's answers when the post to edit is not there any more: it is posted again
_POST_GONE = {"message_not_found", "cant_update_message", "edit_window_closed"}
# A person's "deleted" flag, looked up before the first DM: users.info is limited per workspace
# (Tier 4), so it is asked once in six hours per person, not before every reminder.
USER_CACHE_SECONDS = 6 * 3600


class SlackTransport:
    """Implements ``bot.delivery.Transport`` with a WebClient that does not retry by itself."""

    def __init__(
        self, client: WebClient, clients: Callable[[str], WebClient] | None = None
    ) -> None:
        self.client = client
        self.clients = clients  # several workspaces (OAuth): the client of a team
        self._deleted: dict[str, tuple[bool, float]] = {}

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        try:
            client = self.clients(note.group.team_id) if self.clients else self.client
        except LookupError:
            raise Rejected("not_installed") from None
        if recipient.startswith(("U", "W")) and self._is_deleted(client, recipient):
            raise RecipientGone("user_deleted")
        if isinstance(note, SummaryChart | PictureMap):  # an image into a post's thread
            return self._upload_chart(client, recipient, note, language)
        try:
            messages = messages_for(note, recipient, language)
        except Exception as error:
            log.exception("could not render %s", type(note).__name__)
            raise Rejected(f"not_rendered: {type(error).__name__}") from error
        if isinstance(note, ThreadedPost):
            return self._threaded(client, recipient, note, messages[0])
        first_ts = ""
        for message in messages:  # a large lägesbild is several
            response = self._call(
                lambda message=message: client.chat_postMessage(channel=recipient, **message)
            )
            first_ts = first_ts or str(response.get("ts", ""))
        return first_ts

    def _threaded(
        self, client: WebClient, channel: str, note: ThreadedPost, message: dict[str, Any]
    ) -> str:
        """Edit the earlier post (chat.update) or post in the parent's thread; a post that is
        gone (deleted in Slack) is posted again instead."""
        if note.edits_ts:
            try:
                response = self._call(
                    lambda: client.chat_update(channel=channel, ts=note.edits_ts, **message)
                )
                return str(response.get("ts") or note.edits_ts)
            except Rejected as error:
                if error.error not in _POST_GONE:
                    raise
                log.info("post %s in %s is gone: posting it again", note.edits_ts, channel)
        thread: dict[str, Any] = {"thread_ts": note.thread_ts} if note.thread_ts else {}
        response = self._call(lambda: client.chat_postMessage(channel=channel, **thread, **message))
        return str(response.get("ts", ""))

    def _upload_chart(
        self,
        client: WebClient,
        channel: str,
        note: SummaryChart | PictureMap,
        language: str | None,
    ) -> str:
        """The chart or map into its post's thread (files.getUploadURLExternal, the upload,
        files.completeUploadExternal); returns the file id."""
        if note.png is None:
            raise Rejected(note.error or "chart_not_rendered")
        comment = message_for(note, channel, language)["text"]
        response = self._call(
            lambda: client.files_upload_v2(
                channel=channel,
                thread_ts=note.thread_ts,
                content=note.png,
                filename=note.filename,
                title=note.filename.removesuffix(".png"),
                initial_comment=comment,
                alt_txt=comment,
            )
        )
        files = response.get("files") or [{}]
        return str(files[0].get("id", ""))[:32]

    def _is_deleted(self, client: WebClient, user_id: str) -> bool:
        known = self._deleted.get(user_id)
        if known is not None and monotonic() - known[1] < USER_CACHE_SECONDS:
            return known[0]
        try:
            user = self._call(lambda: client.users_info(user=user_id)).get("user") or {}
        except RateLimited as limited:  # a limit for the whole workspace, not this channel
            raise RateLimited(limited.retry_after, workspace=True) from limited
        deleted = bool(user.get("deleted"))
        self._deleted[user_id] = (deleted, monotonic())
        return deleted

    @staticmethod
    def _call(request: Any) -> Any:
        try:
            return request()
        except SlackApiError as error:
            raise _mapped(error) from error
        except (URLError, TimeoutError, ConnectionError, OSError) as error:
            raise Unavailable(str(error)) from error


def _mapped(error: SlackApiError) -> Exception:
    response = error.response
    status = getattr(response, "status_code", 200)
    code = str(response.get("error", "") if hasattr(response, "get") else "")
    if status == 429 or code == "ratelimited":
        headers = getattr(response, "headers", {}) or {}
        retry_after = headers.get("Retry-After") or headers.get("retry-after") or 1
        return RateLimited(float(retry_after))
    if status >= 500 or code in _TEMPORARY:
        return Unavailable(f"{status} {code}".strip())
    if code in _GONE:
        return RecipientGone(code)
    return Rejected(code or f"http_{status}")
