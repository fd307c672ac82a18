"""Building the Bolt app: one place that registers every listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.i18n import translator
from bot.services import Services
from handlers.actions import listeners as actions
from handlers.activities import listeners as activities
from handlers.analysis import listeners as analysis
from handlers.analysis import period_listeners
from handlers.commands.router import Router
from handlers.errors import handle_error
from handlers.exports import listeners as exports
from handlers.groups import lifecycle
from handlers.groups import listeners as setup
from handlers.home import listeners as home
from handlers.home import messages as direct_messages
from handlers.incidents import categories, file_import
from handlers.incidents import listeners as incidents
from handlers.installations import OrgTeams
from handlers.places import listeners as places
from handlers.reporters import listeners as reporters
from handlers.summary import listeners as summary
from handlers.text import strip_controls
from handlers.weekly import listeners as weekly
from storage.slack_events import first_delivery

log = logging.getLogger(__name__)

# Bolt's own default, measured (bench/RESULTS.md, "Load"): 16 let more writers queue for the
# write lock at once, and the confirmations after the ack took 3-4 s at p99 instead of 1 s
LISTENER_THREADS = 5
_INTERACTIVE = ("block_actions", "view_submission", "view_closed", "shortcut", "message_action")


def incomplete(body: dict[str, Any]) -> bool:
    """A command or interaction without the fields Slack always sends: not from Slack as-is."""
    if "command" in body:
        return any(not body.get(key) for key in ("team_id", "user_id", "channel_id"))
    if body.get("type") in _INTERACTIVE:
        return not (body.get("user") or {}).get("id")
    return False


def _first_delivery(body: dict[str, Any], services: Services) -> bool:
    """False for an event handled before: Slack redelivers (``X-Slack-Retry-Num``, the same
    ``event_id``) when it missed the answer, and a member greeted twice is one too many."""
    event_id = body.get("event_id")
    return not event_id or first_delivery(services.db, str(event_id), now=services.clock.now())


def build_app(
    *,
    services: Services,
    client: WebClient,
    signing_secret: str,
    default_language: str,
    process_before_response: bool = False,
    oauth_settings: OAuthSettings | None = None,
    public_url: str = "",
    listener_threads: int = LISTENER_THREADS,
    router: Router | None = None,
    verify_token: bool = False,
) -> App:
    """The Bolt app with every listener. ``client`` decides where Web API calls go; with
    ``oauth_settings`` each request gets its workspace's token from the installation store.
    Every feature routes its `/est` sub-commands on ``router`` (a new one unless given).

    ``verify_token`` (serving one workspace): ask Slack's auth.test now, while the process starts,
    so that no request waits for it before its acknowledgement; if Slack does not answer, it is
    asked on the first request instead, as Bolt does by default."""
    router = router or Router()
    org_teams = OrgTeams(services.db.engine) if oauth_settings is not None else None

    def bolt(verify: bool) -> App:
        return App(
            client=client,
            # listeners run here, and go on after acknowledging (an incident's write, a file)
            listener_executor=ThreadPoolExecutor(listener_threads, thread_name_prefix="listener"),
            signing_secret=signing_secret,
            process_before_response=process_before_response,
            token_verification_enabled=verify,
            ignoring_self_events_enabled=True,
            oauth_settings=oauth_settings,
            user_facing_authorize_error_message=translator(default_language).gettext(
                "EST-bot is not installed in this workspace (or was removed). "
                "Ask a workspace admin to install it."
            ),
        )

    try:
        app = bolt(verify_token and oauth_settings is None)
    except (SlackClientError, OSError) as error:
        log.warning("auth.test at start failed (%s); it is asked on the first request", error)
        app = bolt(False)

    @app.middleware  # one middleware: each costs Bolt an argument-injection pass per request
    def prepare(body: dict[str, Any], context: BoltContext, next: Callable[[], Any]) -> Any:
        """Refuse what is not a whole Slack request; give listeners the long-lived parts."""
        if incomplete(body):
            return BoltResponse(status=400, body="incomplete Slack request")
        strip_controls(body)  # the same dict every listener gets
        if body.get("type") == "event_callback" and not _first_delivery(body, services):
            return BoltResponse(status=200, body="")  # Slack sent it again: handled already
        if org_teams is not None and context.is_enterprise_install:  # Grid, the whole org
            org_teams.seen(
                enterprise_id=context.enterprise_id,
                team_id=context.team_id,
                now=services.clock.now(),
            )
        context["services"] = services
        context["default_language"] = default_language
        context["router"] = router
        return next()

    # Bolt tries listeners in the order they were added: the slash command, by far the most
    # frequent request, goes first so it is not matched against every button and modal.
    app.command("/est")(router.listener)
    setup.register(app, router)
    places.register(app, router)
    incidents.register(app, router)
    categories.register(app, router)
    actions.register(app, router)
    analysis.register(app, router)
    period_listeners.register(app)
    weekly.register(app, router)
    summary.register(app, router)
    exports.register(app, router)
    activities.register(app, router, public_url=public_url)
    reporters.register(app, router, public_url=public_url)
    home.register(app, router)
    direct_messages.register(app)
    file_import.register(app)
    lifecycle.register(app, oauth_settings.installation_store if oauth_settings else None)
    app.error(handle_error)
    return app
