"""A local stand-in for the Slack Web API: a real HTTP server on 127.0.0.1.

It records every call (method, arguments, token), answers the way Slack does for the methods
the bot uses, and can be told to answer 429 with ``Retry-After``, to fail with 500/503, or to
hang. Like Slack it refuses a ``chat.*``, ``views.*`` or response_url payload that breaks Slack's
documented limits (``handlers.local.slack_limits``): ``ok: false`` with Slack's error
(``invalid_blocks``, ``invalid_arguments`` …) and its messages, HTTP 400 with the error as text
for a response_url; each refusal is kept in :attr:`LocalSlack.refusals`, and leaving
``with LocalSlack()`` fails on any (:meth:`LocalSlack.assert_accepted`). The tests use it as "the
fake Slack"; the terminal console uses it to show what the bot would have sent. Point
``WebClient(base_url=...)`` or ``SLACK_API_URL`` at :attr:`api_url`.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from bot.timekeeping import monotonic, system_time
from handlers.local.ratelimits import Budget, RateLimits
from handlers.local.slack_limits import LIMITS
from handlers.local.validation import Refusal, ack_refusal, check_message, check_view, parsed_json

TEAM_ID = "T0EST"
TEAM_DOMAIN = "est-test"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "AEST"
CHANNEL_NAME = "est-test"
_TEAM = {"id": TEAM_ID, "name": "EST Test", "domain": TEAM_DOMAIN}
_VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")
_MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage")
_JSON = "application/json; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"

Args = dict[str, Any]
Answer = dict[str, Any]


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as received: ``args`` merge query string and form or JSON body."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float
    status: int = 200  # what the fake answered: 429, 500, ... when a fault was injected
    response: dict[str, Any] = field(default_factory=dict)  # the JSON answered ({} for 5xx)
    team: str = TEAM_ID  # the workspace of the token (see LocalSlack.install)


@dataclass(frozen=True)
class Refused:
    """A payload the fake refused as Slack would: where it was sent, why, and what it was."""

    method: str  # a Web API method, or "response_url"
    refusal: Refusal
    args: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method}: {self.refusal.error}: " + "; ".join(self.refusal.messages)


def payload_refusal(method: str, args: dict[str, Any]) -> Refusal | None:
    """Slack's refusal of what ``method`` received, or None when Slack would take it."""
    if method in _MESSAGE_METHODS or method == "response_url":
        return check_message(args)
    if method in _VIEW_METHODS:
        return check_view(args.get("view"))
    return None


@dataclass(frozen=True)
class SharedFile:
    """A file uploaded with files_upload_v2 and shared by files.completeUploadExternal."""

    id: str
    name: str
    title: str
    content: bytes
    channel: str | None
    thread_ts: str | None
    initial_comment: str | None


@dataclass
class _Fault:
    method: str
    status: int
    retry_after: int | None
    hang: float | None
    remaining: int


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str = _JSON
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, data: Any, status: int = 200, *headers: tuple[str, str]) -> _Reply:
        """A text answer for a ``str``, a JSON answer for anything else."""
        if isinstance(data, str):
            return cls(status, data.encode(), _TEXT, headers)
        return cls(status, json.dumps(data).encode(), _JSON, headers)


class LocalSlack:
    """A fake Slack Web API; use as a context manager or call :meth:`start` / :meth:`stop`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        on_call: Callable[[ApiCall], None] | None = None,
        *,
        validate: bool = True,
    ) -> None:
        self.host, self.port, self.on_call, self.validate = host, port, on_call, validate
        self.calls: list[ApiCall] = []
        self.refusals: list[Refused] = []  # payloads refused as Slack would refuse them
        self.response_urls: list[tuple[str, dict[str, Any]]] = []
        self.responded_at: dict[str, float] = {}  # key -> monotonic() of its first post
        self.uploads: dict[str, bytes] = {}
        self.files: dict[str, SharedFile] = {}  # completed uploads, by file id
        self.hosted: dict[str, tuple[dict[str, Any], bytes]] = {}  # files people shared, by id
        self._upload_urls: dict[str, dict[str, Any]] = {}  # file id -> getUploadURLExternal args
        self.users: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}  # view id -> the view as last answered
        self._lock = threading.Condition()
        self._faults: list[_Fault] = []
        self.limits = RateLimits()  # Slack's rate limits, per workspace (and channel)
        self.teams: dict[str, str] = {}  # bot token -> its workspace (others: TEAM_ID)
        self._counter = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[Args], Answer]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": lambda a: {"message_ts": self._ts()},
            "chat.update": self._update,
            "chat.delete": lambda a: {"channel": a.get("channel"), "ts": a.get("ts")},
            "chat.getPermalink": self._permalink,
            "conversations.open": self._open_conversation,
            "conversations.info": self._conversation_info,
            "conversations.members": self._members,
            **dict.fromkeys(_VIEW_METHODS, self._view),
            "users.info": self._user_info,
            "users.list": self._users_list,
            "users.lookupByEmail": self._lookup_by_email,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._file_info,
            "apps.connections.open": lambda a: {"url": f"ws://{self.host}:{self.port}/socket"},
            "team.info": lambda a: {"team": dict(_TEAM)},
        }

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> LocalSlack:
        """Bind (port 0 picks a free port) and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = self._server = _Server((self.host, self.port), _Handler, self)
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=lambda: server.serve_forever(0.05), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests that are hanging are released and answered."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop; and unless the block raised already, fail on anything Slack would refuse."""
        self.stop()
        if exc_info[0] is None:
            self.assert_accepted()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalSlack is not started; call start() first")
        return f"http://{self.host}:{self.port}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def response_url(self, key: str | None = None) -> str:
        """A response_url on the fake; a fresh one unless ``key`` names it (Slack gives each
        request its own, good for five posts)."""
        return f"{self.url}response/{key or f'r{self._next()}'}"

    # --- inspection and fault injection ----------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[ApiCall]:
        """Block until ``count`` calls to ``method`` arrived; return all calls to it."""
        deadline = monotonic() + timeout
        with self._lock:
            while (n := sum(c.method == method for c in self.calls)) < count:
                left = deadline - monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} call(s) to {method} within {timeout}s, got {n}; "
                        f"calls that did arrive: {seen}"
                    )
                self._lock.wait(left)
            return [c for c in self.calls if c.method == method]

    def wait_for_response(self, key: str, timeout: float = 10.0) -> dict[str, Any]:
        """Block until something was posted to ``response_url(key)``; return the first post."""
        deadline = monotonic() + timeout
        with self._lock:
            while not (posted := [body for k, body in self.response_urls if k == key]):
                left = deadline - monotonic()
                if left <= 0:
                    raise AssertionError(f"nothing posted to response_url {key!r} in {timeout}s")
                self._lock.wait(left)
            return posted[0]

    def last_view(self) -> dict[str, Any]:
        """The view most recently opened, pushed, updated or published (with its ``id``)."""
        with self._lock:
            if not self.views:
                raise AssertionError("no view was opened")
            return list(self.views.values())[-1]

    def check_ack(self, body: bytes | str) -> None:
        """Read an acknowledgement's body (what the bot answered Slack's request) as Slack does,
        and keep a refusal: a message must be valid, and so must a view it updates or pushes."""
        text = body.decode() if isinstance(body, bytes) else body
        payload = parsed_json(text) if text.startswith("{") else None
        refusal = ack_refusal(payload) if isinstance(payload, dict) else None
        if refusal is not None:
            with self._lock:
                self.refusals.append(Refused("ack", refusal, payload or {}))

    def assert_accepted(self) -> None:
        """Fail naming every payload Slack would have refused, then forget them."""
        with self._lock:
            refused, self.refusals = list(self.refusals), []
        if refused:
            said = "\n".join(f"- {r}" for r in refused)
            raise AssertionError(f"Slack would refuse what the bot sent:\n{said}")

    def add_user(
        self, user_id: str, real_name: str, *, title: str = "", email: str | None = None
    ) -> dict[str, Any]:
        """A person in the workspace, as ``users.info`` and ``users.list`` answer for them."""
        profile = {"real_name": real_name, "display_name": real_name, "title": title}
        if email is not None:
            profile["email"] = email
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": ".".join(real_name.lower().split()) or user_id.lower(),
            "real_name": real_name,
            "deleted": False,
            "is_bot": False,
            "tz": "Europe/Stockholm",
            "profile": profile,
        }
        with self._lock:
            self.users[user_id] = user
        return user

    def clear(self) -> None:
        """Forget recorded calls, views, response_url posts, uploads and pending faults (not the
        refusals: only :meth:`assert_accepted` forgets them, after naming them)."""
        with self._lock:
            self.calls.clear()
            self.views.clear()
            self.response_urls.clear()
            self.responded_at.clear()
            self.uploads.clear()
            self.files.clear()
            self._upload_urls.clear()
            self._faults.clear()

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        hang: float | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` ("*" for any) fail, or hang then answer."""
        with self._lock:
            self._faults.append(_Fault(method, status, retry_after, hang, times))

    def stop_failing(self) -> None:
        """Slack is back: forget the faults not yet used up (``fail_next`` with many ``times``
        is an outage; this ends it). Recorded calls are kept."""
        with self._lock:
            self._faults.clear()

    def rate_limit(self, method: str, *, per_second: float = 1.0, burst: int = 3) -> None:
        """Limit ``method`` per channel like Slack's chat.postMessage: about ``per_second``
        messages a second in each channel of a workspace, short bursts of ``burst`` allowed;
        past that the answer is 429 with Retry-After."""
        with self._lock:
            self.limits.per_channel[method] = Budget(per_second, float(burst))

    def rate_limit_workspace(
        self, method: str, *, per_minute: float, burst: float | None = None
    ) -> None:
        """Limit ``method`` per workspace (the workspace of the token), as Slack's tiers do:
        ``per_minute`` calls a minute, ``burst`` at once (default: a minute's worth)."""
        with self._lock:
            self.limits.per_workspace[method] = Budget.per_minute(per_minute, burst)

    def limit_like_slack(self, *, messages_per_minute: float | None = None) -> None:
        """Every method the bot calls limited per workspace by its tier (``ratelimits.TIERS``),
        chat.postMessage per channel (1 a second, bursts of 3) and, with
        ``messages_per_minute``, per workspace as well."""
        self.rate_limit("chat.postMessage")
        with self._lock:
            self.limits.tiers(messages_per_minute=messages_per_minute)

    def install(self, token: str, team_id: str) -> None:
        """The bot ``token`` is the one of workspace ``team_id`` (an OAuth installation): its
        calls count against that workspace's budgets, and auth.test names it."""
        with self._lock:
            self.teams[token] = team_id

    def team_of(self, token: str | None) -> str:
        return self.teams.get(token or "", TEAM_ID)

    # --- request handling (called from server threads) -------------------------------------

    def _api(self, method: str, args: Args, token: str | None) -> _Reply:
        at = monotonic()
        with self._lock:  # reentrant: the method answers take it too
            team = self.team_of(token)
            fault = self._take_fault(method)
            channel = str(args.get("channel", ""))
            limited = (
                self.limits.charge(method, team=team, channel=channel, at=at)
                if fault is None
                else None
            )
            if limited is not None:
                fault = _Fault(method, 429, limited, None, 1)
            answer: Answer = {}
            refusal = payload_refusal(method, args) if self.validate else None
            if refusal is not None and (fault is None or fault.hang is not None):
                self.refusals.append(Refused(method, refusal, args))
                answer = refusal.answer()
                reply = _Reply.of(answer)
            elif fault is None or fault.hang is not None:
                handler = self._methods.get(method)
                answer = handler(args) if handler is not None else {}
                answer = answer if "error" in answer else {"ok": True, **answer}
                if method == "auth.test" and "team_id" in answer:
                    answer["team_id"] = team
                reply = _Reply.of(answer)
            elif fault.status == 429:
                retry = str(1 if fault.retry_after is None else fault.retry_after)
                answer = {"ok": False, "error": "ratelimited"}
                reply = _Reply.of(answer, 429, ("Retry-After", retry))
            else:
                reply = _Reply.of(f"{fault.status} fake Slack failure", fault.status)
            call = ApiCall(method, args, token, at, reply.status, answer, team)
            self.calls.append(call)
            self._lock.notify_all()
        if self.on_call is not None:
            self.on_call(call)
        if fault is not None and fault.hang is not None:
            self._stopping.wait(fault.hang)
        return reply

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in (method, "*"):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def host_file(self, name: str, content: bytes, *, user: str) -> dict[str, Any]:
        """A file a person shared with the bot: its object as a message event and files.info
        carry it. Its ``url_private`` answers only with a token, as Slack's does."""
        with self._lock:
            file_id = self._id("F")
            info = {
                "id": file_id,
                "name": name,
                "title": name,
                "size": len(content),
                "user": user,
                "filetype": name.rsplit(".", 1)[-1].lower(),
                "url_private": f"{self.url}files-pri/{file_id}/{quote(name)}",  # as Slack: encoded
            }
            self.hosted[file_id] = (info, content)
            return info

    def _file_info(self, args: Args) -> Answer:
        hosted = self.hosted.get(str(args.get("file", "")))
        return {"file": hosted[0]} if hosted else {"ok": False, "error": "file_not_found"}

    def _download(self, path: str, token: str | None) -> _Reply:
        file_id = path.partition("/")[0]
        if not token or not token.startswith("xoxb-"):
            return _Reply.of("not authorized", 403)  # Slack answers a login page; never the file
        hosted = self.hosted.get(file_id)
        if hosted is None:
            return _Reply.of("file not found", 404)
        return _Reply(200, hosted[1], "application/octet-stream")

    def _upload(self, file_id: str, body: bytes) -> _Reply:
        with self._lock:
            fault = self._take_fault("upload")
            if fault is not None:
                return _Reply.of(f"{fault.status} fake upload failure", fault.status)
            if file_id not in self._upload_urls:
                return _Reply.of("unknown upload URL", 404)
            self.uploads[file_id] = body
        return _Reply.of(f"OK - {len(body)}")

    def _response(self, key: str, body: bytes) -> _Reply:
        """A response_url post; refused like Slack's webhooks: HTTP 400, the error as text."""
        payload = json.loads(body or b"{}")
        used = sum(k == key for k, _body in self.response_urls)
        if self.validate and used >= LIMITS["response_url.uses"].most:
            why = f"a response_url takes {LIMITS['response_url.uses'].most} posts"
            with self._lock:
                self.refusals.append(Refused("response_url", Refusal("used_url", (why,)), payload))
            return _Reply.of("used_url", 404)
        refusal = payload_refusal("response_url", payload) if self.validate else None
        if refusal is not None:
            with self._lock:
                self.refusals.append(Refused("response_url", refusal, payload))
                self._lock.notify_all()
            return _Reply.of(refusal.error, 400)
        with self._lock:
            self.response_urls.append((key, payload))
            self.responded_at.setdefault(key, monotonic())
            self._lock.notify_all()
        return _Reply.of({"ok": True})

    def _next(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    def _ts(self) -> str:
        micros = self._next() * 100
        return f"{1_700_000_000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _id(self, prefix: str) -> str:
        return f"{prefix}{self._next():09d}"

    # --- method answers --------------------------------------------------------------------

    def _auth_test(self, args: Args) -> Answer:
        who = {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "user": "est-bot"}
        return {"url": f"https://{TEAM_DOMAIN}.slack.com/", "team": "EST Test", **who}

    def _post_message(self, args: Args) -> Answer:
        ts = self._ts()
        message: Answer = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
        message.update(text=args.get("text", ""), blocks=parsed_json(args.get("blocks", [])))
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return {"channel": args.get("channel"), "ts": ts, "message": message}

    def _update(self, args: Args) -> Answer:
        """Like Slack: only a message that was posted (and not deleted) can be edited."""
        if not self._posted(str(args.get("channel", "")), str(args.get("ts", ""))):
            return {"ok": False, "error": "message_not_found"}
        message = {"text": args.get("text", ""), "blocks": parsed_json(args.get("blocks", []))}
        return {
            "channel": args.get("channel"),
            "ts": args.get("ts"),
            "text": message["text"],
            "message": message,
        }

    def _posted(self, channel: str, ts: str) -> bool:
        """Whether the bot posted the message ``ts`` in ``channel`` and has not deleted it."""
        found = False
        for call in self.calls:  # under the lock (the method answers run with it held)
            if call.status != 200 or not call.response.get("ok"):
                continue
            where = {str(call.args.get("channel", "")), str(call.response.get("channel", ""))}
            if channel not in where:
                continue
            if call.method == "chat.postMessage" and call.response.get("ts") == ts:
                found = True
            elif call.method == "chat.delete" and str(call.args.get("ts")) == ts:
                found = False
        return found

    def _permalink(self, args: Args) -> Answer:
        channel, ts = args.get("channel", ""), str(args.get("message_ts", ""))
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    def _open_conversation(self, args: Args) -> Answer:
        users = args.get("users", "")
        first = users.split(",")[0] if isinstance(users, str) else users[0]
        return {"no_op": False, "already_open": False, "channel": {"id": "D" + first}}

    def _conversation_info(self, args: Args) -> Answer:
        channel = {"id": args.get("channel"), "name": CHANNEL_NAME, "is_channel": True}
        channel.update(is_private=False, is_archived=False, is_member=True, created=1_700_000_000)
        return {"channel": channel}

    def _members(self, args: Args) -> Answer:
        with self._lock:
            ids = [uid for uid, user in self.users.items() if not user.get("deleted")]
        return {"members": [BOT_USER_ID, *ids], "response_metadata": {"next_cursor": ""}}

    def _view(self, args: Args) -> Answer:
        view = dict(parsed_json(args.get("view", {})))
        view_id = args.get("view_id") or self._id("V")
        view.update(id=view_id, team_id=TEAM_ID, app_id=APP_ID, bot_id=BOT_ID)
        view.update(
            hash=f"{int(system_time().timestamp())}.{self._next():08d}", state={"values": {}}
        )
        for key, default in (("callback_id", ""), ("private_metadata", ""), ("external_id", "")):
            view.setdefault(key, default)
        view.setdefault("root_view_id", view_id)
        view.setdefault("previous_view_id", None)
        with self._lock:
            self.views.pop(view_id, None)  # keep the latest last
            self.views[view_id] = view
        return {"view": view}

    def _user_info(self, args: Args) -> Answer:
        user_id = str(args.get("user", ""))
        with self._lock:
            listed = self.users.get(user_id)
        if listed is not None:
            return {"user": listed}
        if not user_id.startswith("U"):
            return {"ok": False, "error": "user_not_found"}
        name = user_id.lower().removeprefix("u_").removeprefix("u")
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": name.title(),
            "deleted": False,
            "tz": "Europe/Stockholm",
            "is_bot": False,
        }
        return {"user": user}

    def _users_list(self, args: Args) -> Answer:
        """The workspace's people a page at a time, as Slack pages them: ``limit`` (Slack's
        default here 100, at most 1000) and ``cursor``, the next cursor empty on the last page."""
        limit = str(args.get("limit", "") or "100")
        cursor = str(args.get("cursor", "") or "0")
        if not limit.isdigit() or not cursor.isdigit():
            return {"ok": False, "error": "invalid_cursor" if limit.isdigit() else "invalid_limit"}
        size, start = min(max(int(limit), 1), 1000), int(cursor)
        with self._lock:
            people = list(self.users.values())
        page = people[start : start + size]
        more = str(start + size) if start + size < len(people) else ""
        return {"members": page, "cache_ts": 0, "response_metadata": {"next_cursor": more}}

    def _lookup_by_email(self, args: Args) -> Answer:
        with self._lock:
            for user in self.users.values():
                if user.get("profile", {}).get("email") == args.get("email"):
                    return {"user": user}
        return {"ok": False, "error": "users_not_found"}

    def _upload_url(self, args: Args) -> Answer:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._id("F")
        with self._lock:
            self._upload_urls[file_id] = dict(args)
        return {"upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: Args) -> Answer:
        """Like Slack: each file must have been uploaded, with the length announced; it is then
        shared in ``channel_id`` (in the thread ``thread_ts``, if given)."""
        files = parsed_json(args.get("files", []))
        done: list[Answer] = []
        with self._lock:
            for f in files:
                asked, body = self._upload_urls.get(f.get("id")), self.uploads.get(f.get("id"))
                if asked is None or body is None or len(body) != int(asked["length"]):
                    return {"ok": False, "error": "file_not_found"}
                shared = SharedFile(
                    f["id"],
                    str(asked["filename"]),
                    str(f.get("title") or asked["filename"]),
                    body,
                    args.get("channel_id"),
                    args.get("thread_ts"),
                    args.get("initial_comment"),
                )
                self.files[shared.id] = shared
                done.append({"id": shared.id, "name": shared.name, "title": shared.title})
                done[-1]["size"] = len(body)
        return {"files": done}


def _parse_args(query: str, content_type: str, body: bytes) -> Args:
    args: Args = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return args
    if content_type.startswith("application/json"):
        args.update(json.loads(body))
    elif content_type.startswith("multipart/form-data"):  # oauth.*, files.remote.*, files.upload
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        for part in BytesParser(policy=HTTP).parsebytes(head + body).iter_parts():
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            name = str(part.get_param("name", header="content-disposition"))
            args[name] = data if part.get_filename() else data.decode()
    else:
        args.update(parse_qsl(body.decode(), keep_blank_values=True))
    return args


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], fake: LocalSlack) -> None:
        super().__init__(address, handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client gave up (e.g. timed out on a hanging call)
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._route(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.rfile.read(length) if length else b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def _route(self, body: bytes) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        kind, _, rest = parts.path.lstrip("/").partition("/")
        if kind == "api" and rest:
            args = _parse_args(parts.query, self.headers.get("Content-Type", ""), body)
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
            reply = fake._api(rest, args, token or args.get("token"))
        elif kind == "upload" and rest:
            reply = fake._upload(rest, body)
        elif kind == "files-pri" and rest:
            auth = self.headers.get("Authorization", "")
            reply = fake._download(rest, auth.removeprefix("Bearer ").strip() or None)
        elif kind == "response" and rest:
            reply = fake._response(rest, body)
        else:
            reply = _Reply.of({"ok": False, "error": "unknown_path"}, 404)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)
