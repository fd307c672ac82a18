"""A request body has a deadline: a client that sends its headers and part of a body, then
stops, gets 408 after BODY_SECONDS instead of holding one of the worker's threads until it
gives up (gunicorn's gthread worker reads a body with a blocking socket and no timeout).

A WSGI middleware wraps ``wsgi.input``: before each read the connection's socket
(``gunicorn.socket``) gets the time left until the deadline as its timeout, and a read that
runs out of it raises werkzeug's ``RequestTimeout``, which the app answers (408). Nothing the
app would have done with the body is done: it never sees it. Outside gunicorn (tests' WSGI
clients) there is no socket and the body is read as before.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

from werkzeug.exceptions import RequestTimeout

from bot.timekeeping import monotonic

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BODY_SECONDS = 10.0  # a 16 KiB form on a slow mobile link takes well under a second


class BodyTimedOut(RequestTimeout):
    """The client stopped sending its request body before the deadline."""


class _DeadlineInput:
    """``wsgi.input`` whose reads end at the deadline (only ``read`` and ``readline``: werkzeug
    uses no more, and without ``readinto`` its LimitedStream calls ``read``)."""

    def __init__(self, stream: IO[bytes], sock: socket.socket, deadline: float) -> None:
        self.stream, self.sock, self.deadline = stream, sock, deadline

    def read(self, size: int = -1) -> bytes:
        return self._before_deadline(self.stream.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._before_deadline(self.stream.readline, size)

    def _before_deadline(self, read: Callable[[int], bytes], size: int) -> bytes:
        left = self.deadline - monotonic()
        if left <= 0:
            raise BodyTimedOut()
        self.sock.settimeout(left)
        try:
            return read(size)
        except TimeoutError:  # socket.timeout: nothing came for the time that was left
            raise BodyTimedOut() from None
        finally:
            self.sock.settimeout(None)  # blocking again, as gunicorn keeps its sockets


def with_body_deadline(app: WSGIApplication, seconds: float = BODY_SECONDS) -> WSGIApplication:
    """``app`` with a deadline on every request body it reads, from when the request began."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        has_body = environ.get("CONTENT_LENGTH", "") not in ("", "0") or (
            "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        )
        if isinstance(sock, socket.socket) and has_body:
            deadline = monotonic() + seconds
            environ["wsgi.input"] = _DeadlineInput(environ["wsgi.input"], sock, deadline)
        return app(environ, start_response)

    return wrapped
