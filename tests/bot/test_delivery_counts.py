"""The sends by result that /metrics shows: every clock's sweeps add to one shared count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.delivery import OutboxSender, RateLimited
from storage.metrics import delivery_counts
from tests.bot.test_delivery import Recorder, enqueue, prepare
from tests.conftest import NOW


@pytest.fixture
def group_id(demo, anna) -> int:
    return anna.group.id


def sender(db, transport, worker):  # no notice to the admins: only the four rows are sent
    return OutboxSender(db, transport, {"test": prepare}, worker=worker)


class OneLimited(Recorder):
    """U9's channel answers 429 on every try."""

    def send(self, recipient, note, *, language=None):
        if recipient == "U9":
            raise RateLimited(30)
        return super().send(recipient, note, language=language)


def test_each_sweep_adds_what_slack_answered(db, group_id):
    assert delivery_counts(db) == {"ok": 0, "429": 0, "error": 0}
    # four people, one row each; U3's account is gone (an error), U9 is rate limited
    enqueue(db, group_id, [("U1", 1), ("U2", 2), ("U3", 3), ("U9", 9)], at=NOW)
    transport = OneLimited(gone={"U3"})
    first = sender(db, transport, worker="clock-1")
    first.sweep(now=NOW)
    assert delivery_counts(db) == {"ok": 2, "429": 1, "error": 1}
    # a second clock's sweep adds to the same counts: U9 is limited again after its wait
    sender(db, transport, worker="clock-2").sweep(now=NOW + timedelta(minutes=1))
    assert delivery_counts(db) == {"ok": 2, "429": 2, "error": 1}
