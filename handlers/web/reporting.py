"""The reporters' web form under a secret per-link path: `/rapportera/<token>`.

No login: the link is the key. A refused link gets a plain page (404 unknown, 410 revoked);
a form needs its CSRF token (400 without), is at most FORM_LIMIT bytes (413; a chunked body
without a length is read up to the limit and no further), and a link makes
at most RATE_LIMIT requests a window (429 with Retry-After). Every answer carries the security
headers (CSP default-src 'self', no framing, no referrer, no sniffing).
"""

from __future__ import annotations

import io
import math
from zoneinfo import ZoneInfo

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from bot.errors import BotError
from bot.i18n import Translator, translator
from bot.reporters.links import WebReporter
from bot.reporters.webform import Submission, check_csrf, issue_csrf
from bot.services import Services
from handlers.web import pages

FORM_LIMIT = 16 * 1024  # a report is a few hundred bytes; 3000 characters of text fit easily
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _html(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(HEADERS)
    return response


def _refused(tr: Translator, status: int, retry_after: float = 0) -> Response:
    response = _html(pages.build_refusal(tr, status, retry_after=retry_after), status)
    if retry_after:
        response.headers["Retry-After"] = str(math.ceil(retry_after))
    return response


def _bounded_body() -> bool:
    """A body sent without a length (`Transfer-Encoding: chunked`) read here, up to one byte
    past FORM_LIMIT and no further: werkzeug hands a server-terminated stream to the form parser
    unlimited, so a 20 MB or never-ending body would be read on (or waited for). False when it
    is too large; else the form is parsed from what was read, as from a body with a length."""
    if request.content_length is not None:
        return True
    stream, body = request.environ["wsgi.input"], b""
    while len(body) <= FORM_LIMIT:
        part = stream.read(FORM_LIMIT + 1 - len(body))
        if not part:
            break
        body += part
    if len(body) > FORM_LIMIT:
        return False
    request.environ["wsgi.input"] = io.BytesIO(body)
    request.environ["CONTENT_LENGTH"] = str(len(body))
    request.environ.pop("wsgi.input_terminated", None)
    request.environ.pop("HTTP_TRANSFER_ENCODING", None)  # what is left is a body with a length
    return True


def timed_out() -> Response:
    """The form stopped arriving (``handlers.web.deadline``): the refusal page, in Swedish (the
    link, and so the reporter's language, is not looked up for a request that is given up)."""
    return _refused(translator("sv"), 408)


def register(flask: Flask, services: Services) -> None:
    links, form = services.reporters, services.webform
    sv = translator("sv")

    def found(token: str) -> WebReporter | Response:
        reporter = links.reporter(token)
        if reporter is None:
            return _refused(sv, 410 if links.revoked(token) else 404)
        wait = links.hit(reporter, now=services.clock.now())
        if wait:
            return _refused(translator(reporter.actor.language), 429, wait)
        too_big = request.content_length is not None and request.content_length > FORM_LIMIT
        if request.method == "POST" and (too_big or not _bounded_body()):
            return _refused(translator(reporter.actor.language), 413)
        request.max_content_length = FORM_LIMIT
        return reporter

    def show(
        reporter: WebReporter, typed: Submission | None = None, error: BotError | None = None
    ) -> Response:
        tr = translator(reporter.actor.language)
        assert reporter.actor.group is not None
        page = pages.build_form(
            tr,
            group=reporter.actor.group.name,
            reporter=reporter.name,
            choices=form.choices(reporter),
            csrf=issue_csrf(reporter.form_key, services.clock.now()),
            typed=typed,
            error=error,
            feedback_path=f"{request.path.rstrip('/')}/aterkoppling",
        )
        return _html(page, 422 if error else 200)

    @flask.route("/rapportera/<token>", methods=["GET", "POST"])
    def report(token: str) -> Response:
        reporter = found(token)
        if isinstance(reporter, Response):
            return reporter
        if request.method == "GET":
            return show(reporter)
        tr, now = translator(reporter.actor.language), services.clock.now()
        try:
            fields = request.form
        except RequestEntityTooLarge:  # a body without a length, cut at FORM_LIMIT
            return _refused(tr, 413)
        nonce = check_csrf(reporter.form_key, fields.get("csrf", ""), now)
        if nonce is None:
            return _refused(tr, 400)
        typed = Submission(*(fields.get(k, "") for k in ("plats", "kategori", "nar", "vad")))
        try:
            logged = form.submit(reporter, typed, nonce=nonce, now=now)
        except BotError as error:  # the same refusals as in Slack; what was typed goes back
            return show(reporter, typed, error)
        assert reporter.actor.group is not None
        tz = ZoneInfo(reporter.actor.group.timezone)
        page = pages.build_saved(
            tr, logged.incident, tz, created=logged.created, again=request.path
        )
        return _html(page, 201 if logged.created else 200)

    @flask.route("/rapportera/<token>/aterkoppling", methods=["GET", "POST"])
    def feedback(token: str) -> Response:
        reporter = found(token)
        if isinstance(reporter, Response):
            return reporter
        tr, now = translator(reporter.actor.language), services.clock.now()
        if request.method == "POST":
            if check_csrf(reporter.form_key, request.form.get("csrf", ""), now) is None:
                return _refused(tr, 400)
            links.set_feedback(reporter, request.form.get("aterkoppling") != "av", now=now)
            reporter = links.reporter(token) or reporter
        month, found_feedback = services.webform.feedback(reporter, now=now)
        page = pages.build_feedback(
            tr,
            found_feedback,
            on=reporter.feedback,
            csrf=issue_csrf(reporter.form_key, now),
            back=request.path.rsplit("/", 1)[0],
            month=month,
        )
        return _html(page)

    @flask.get(pages.STYLESHEET)
    def stylesheet() -> Response:
        response = Response(pages.STYLE, mimetype="text/css")
        response.headers.update(HEADERS)
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response
