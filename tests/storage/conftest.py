"""Repository tests: the demo group (its places, categories and members) on each database."""

from __future__ import annotations

import pytest

from bot.actors import Actor
from bot.services import Services
from tests.bot.conftest import as_user, demo  # noqa: F401 - the same fixtures as the service tests


@pytest.fixture
def anna(demo: Services) -> Actor:  # noqa: F811
    """Admin, Botkyrka kommun."""
    return as_user(demo, "U0ANNA")


@pytest.fixture
def erik(demo: Services) -> Actor:  # noqa: F811
    """Member, the police."""
    return as_user(demo, "U0ERIK")
