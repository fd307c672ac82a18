"""The reporters' web form, Slack-free: what the page offers, its CSRF tokens, and a submission
logged through the same service (place matching, time parsing, personal-data guard) as Slack.

A form's CSRF token is ``<issued>.<nonce>.<mac>``: an HMAC-SHA256 of the first two with the
link's own form key, valid for FORM_TTL. Its nonce is also the incident's idempotency key, so a
form posted twice (a double tap, a replay) saves one incident and shows it both times.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import LazyText
from bot.incidents.categories import CategoryService, IncidentCategory
from bot.incidents.service import IncidentDraft, IncidentService, Logged
from bot.places.service import PlaceService
from bot.reporters.feedback import last_month_key, month_feedback, month_label
from bot.reporters.links import WebReporter
from bot.reporters.notifications import Feedback
from storage.db import Database

FORM_TTL = timedelta(hours=4)
MAX_FIELD = 3000


@dataclass(frozen=True)
class FormChoices:
    """What the page offers: the group's place names (for the suggestion list) and categories."""

    places: tuple[str, ...]
    categories: tuple[IncidentCategory, ...]


@dataclass(frozen=True)
class Submission:
    place: str
    category: str
    when: str
    description: str


def _mac(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def issue_csrf(form_key: str, now: datetime) -> str:
    stamp = str(int(now.timestamp()))
    nonce = secrets.token_urlsafe(12)
    return f"{stamp}.{nonce}.{_mac(form_key, f'{stamp}.{nonce}')}"


def check_csrf(form_key: str, token: str, now: datetime) -> str | None:
    """The token's nonce when it is this link's, unaltered and fresh; else None."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(token) > 100:
        return None
    stamp, nonce, mac = parts
    if not hmac.compare_digest(mac, _mac(form_key, f"{stamp}.{nonce}")):
        return None
    issued = datetime.fromtimestamp(int(stamp), tz=UTC)
    if not issued - timedelta(minutes=5) <= now <= issued + FORM_TTL:
        return None
    return nonce


class WebForm:
    def __init__(
        self,
        db: Database,
        incidents: IncidentService,
        places: PlaceService,
        categories: CategoryService,
    ) -> None:
        self.db = db
        self.incidents = incidents
        self.places = places
        self.categories = categories

    def choices(self, reporter: WebReporter) -> FormChoices:
        places = self.places.search(reporter.actor, "", limit=500)
        return FormChoices(tuple(p.name for p in places), self.categories.of_group(reporter.actor))

    def submit(
        self, reporter: WebReporter, form: Submission, *, nonce: str, now: datetime
    ) -> Logged:
        """Log the form's incident as the link's reporter; refusals are BotErrors, as in Slack."""
        draft = IncidentDraft(
            place=form.place[:MAX_FIELD],
            category=form.category[:MAX_FIELD],
            description=form.description,
            when=form.when[:MAX_FIELD],
            idempotency_key=f"{reporter.actor.user_id}:{nonce}",
        )
        return self.incidents.log(reporter.actor, draft, now=now)

    def feedback(self, reporter: WebReporter, *, now: datetime) -> tuple[LazyText, Feedback | None]:
        """Last month's feedback behind the link: the month's name, and what it holds."""
        group = reporter.actor.group
        assert group is not None
        key = last_month_key(now, ZoneInfo(group.timezone))
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            found = month_feedback(uow, row, key, now, reporter=reporter.actor.user_id)
        return month_label(key), found
