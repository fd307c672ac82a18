"""A group with the demo places, for service tests."""

from __future__ import annotations

import pytest

from bot.actors import Actor
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.services import Services
from tests.conftest import NOW


@pytest.fixture
def demo(services: Services) -> Services:
    load_demo(services.db, services.groups, now=NOW)
    return services


def as_user(services: Services, user_id: str) -> Actor:
    return services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, user_id)


@pytest.fixture
def anna(demo: Services) -> Actor:
    """Admin, Botkyrka kommun."""
    return as_user(demo, "U0ANNA")


@pytest.fixture
def erik(demo: Services) -> Actor:
    """Member, the police."""
    return as_user(demo, "U0ERIK")


@pytest.fixture
def lena(demo: Services) -> Actor:
    """Reader (läsare)."""
    return as_user(demo, "U0BRA")
