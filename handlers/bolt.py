"""Building the Bolt app: one place that registers every listener."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.services import Services
from handlers import categories, home
from handlers.actions import listeners as actions
from handlers.activities import listeners as activities
from handlers.commands.router import Router
from handlers.errors import handle_error
from handlers.incidents import listeners as incidents
from handlers.places import listeners as places
from handlers.setup import listeners as setup
from handlers.weekly import listeners as weekly

_INTERACTIVE = ("block_actions", "view_submission", "view_closed", "shortcut", "message_action")


def incomplete(body: dict[str, Any]) -> bool:
    """A command or interaction without the fields Slack always sends: not from Slack as-is."""
    if "command" in body:
        return any(not body.get(key) for key in ("team_id", "user_id", "channel_id"))
    if body.get("type") in _INTERACTIVE:
        return not (body.get("user") or {}).get("id")
    return False


def build_app(
    *,
    services: Services,
    client: WebClient,
    signing_secret: str,
    default_language: str,
    process_before_response: bool = False,
    public_url: str = "",
) -> App:
    """The Bolt app with every listener. ``client`` decides where Web API calls go."""
    router = Router()
    app = App(
        client=client,
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        token_verification_enabled=False,
        ignoring_self_events_enabled=True,
    )

    @app.middleware  # one middleware: each costs Bolt an argument-injection pass per request
    def prepare(body: dict[str, Any], context: BoltContext, next: Callable[[], Any]) -> Any:
        """Refuse what is not a whole Slack request; give listeners the long-lived parts."""
        if incomplete(body):
            return BoltResponse(status=400, body="incomplete Slack request")
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
    weekly.register(app, router)
    activities.register(app, router, public_url=public_url)  # issue 6
    home.register(app, router)
    app.error(handle_error)
    return app
