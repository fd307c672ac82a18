"""The web process's reporters' form over real HTTP: the Flask app served on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_bolt import App
from werkzeug.serving import make_server

from bot.services import Services
from bot.timekeeping import FixedClock
from handlers.server import create_wsgi_app
from tests.bot.conftest import as_user
from tests.bot.conftest import demo as demo  # the demo group, for these tests too
from tests.conftest import NOW


@dataclass
class Site:
    base: str
    services: Services
    clock: FixedClock

    def link(self, text: str = "Nattvandrarna Fittja") -> str:
        created = self.services.reporters.create(
            as_user(self.services, "U0ANNA"), text, now=self.clock.now()
        )
        return f"{self.base}/rapportera/{created.token}"


@pytest.fixture
def site(demo: Services) -> Iterator[Site]:
    clock = FixedClock(NOW)
    services = Services.build(demo.db, demo.incidents.notifier, clock)
    bolt = App(signing_secret="x" * 32, token="xoxb-test", token_verification_enabled=False)
    flask = create_wsgi_app(bolt, services.db, clock=clock, services=services)
    server = make_server("127.0.0.1", 0, flask, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_port}", services, clock)
    server.shutdown()
