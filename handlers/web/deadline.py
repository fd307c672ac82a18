"""A request body has a deadline: a client that sends its headers and part of a body, then
stops (or trickles it a byte at a time), gets 408 after BODY_SECONDS instead of holding one of
the worker's threads until it gives up (gunicorn's gthread worker reads a body with a blocking
socket and no timeout).

A WSGI middleware wraps ``wsgi.input``. Before each read the connection's socket
(``gunicorn.socket``) gets the time left as its timeout, so a client that stops sending is
noticed then; a client that keeps sending a little just often enough is stopped by a timer at
the deadline, which shuts the socket's reading side (the answer can still be written). Either
way the read raises werkzeug's ``RequestTimeout``, which the app answers (408): the app never
sees the body, so nothing is saved. Outside gunicorn (tests' WSGI clients) there is no socket
and the body is read as before.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

from werkzeug.exceptions import RequestTimeout

from bot.timekeeping import monotonic

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BODY_SECONDS = 10.0  # a 16 KiB form on a slow mobile link takes well under a second


class BodyTimedOut(RequestTimeout):
    """The client did not send its request body before the deadline."""


class _DeadlineInput:
    """``wsgi.input`` whose reads end at the deadline (only ``read`` and ``readline``: werkzeug
    uses no more, and without ``readinto`` its LimitedStream calls ``read``)."""

    def __init__(
        self, stream: IO[bytes], sock: socket.socket, seconds: float, length: int | None
    ) -> None:
        self.stream, self.sock, self.length = stream, sock, length
        self.deadline = monotonic() + seconds
        self.expired = threading.Event()
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True
        self.timer.start()
        self.received = 0

    def read(self, size: int = -1) -> bytes:
        return self._before_deadline(self.stream.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._before_deadline(self.stream.readline, size)

    def done(self) -> None:
        """The body is in (or the app has answered): the timer has nothing left to guard."""
        self.timer.cancel()

    def _expire(self) -> None:
        self.expired.set()
        with contextlib.suppress(OSError):  # OSError: the client has gone already
            self.sock.shutdown(socket.SHUT_RD)  # a blocked read returns: nothing more comes

    def _before_deadline(self, read: Callable[[int], bytes], size: int) -> bytes:
        left = self.deadline - monotonic()
        if left <= 0 or self.expired.is_set():
            raise BodyTimedOut()
        self.sock.settimeout(left)
        try:
            data = read(size)
        except Exception as error:  # socket.timeout, or what the shut socket made of the read
            if isinstance(error, TimeoutError) or self.expired.is_set():
                raise BodyTimedOut() from None
            raise
        finally:
            self.sock.settimeout(None)  # blocking again, as gunicorn keeps its sockets
        if self.expired.is_set():
            raise BodyTimedOut()
        self.received += len(data)
        if not data or (self.length is not None and self.received >= self.length):
            self.done()
        return data


def with_body_deadline(app: WSGIApplication, seconds: float = BODY_SECONDS) -> WSGIApplication:
    """``app`` with a deadline on every request body it reads, from when the request began."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        length = environ.get("CONTENT_LENGTH", "")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not isinstance(sock, socket.socket) or not (chunked or length not in ("", "0")):
            return app(environ, start_response)
        known = int(length) if length.isdigit() and not chunked else None
        guarded = _DeadlineInput(environ["wsgi.input"], sock, seconds, known)
        environ["wsgi.input"] = guarded
        try:
            return app(environ, start_response)
        finally:
            guarded.done()

    return wrapped
