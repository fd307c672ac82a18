"""The Slack notifier renders each feature's notifications by type, from the features' tables."""

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass

import pytest

import bot
from bot.actions.notifications import ActionReminder
from bot.activities.notifications import ActivityEffect
from bot.actors import EstGroup
from bot.groups.notifications import GroupCreated, MemberLeft
from bot.incidents.notifications import HotspotReached
from bot.notifier import Notification
from bot.summary.notifications import SummaryChart
from bot.weekly.notifications import PicturePosted
from handlers.notifier import RENDERERS, message_for, messages_for, renderer
from handlers.rendering import merge, rendered, renderers

GROUP = EstGroup(1, "EST Fittja", "T0", "C0EST", "sv", "Europe/Stockholm")


def _notification_types() -> set[type[Notification]]:
    """Every notification a feature defines (in bot/<feature>/notifications.py)."""
    found: set[type[Notification]] = set()
    for package in pkgutil.iter_modules(bot.__path__):
        name = f"bot.{package.name}.notifications"
        if not package.ispkg or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found |= {
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Notification)
            and value is not Notification
            and value.__module__ == module.__name__
        }
    return found


def test_every_notification_of_every_feature_has_exactly_one_builder():
    kinds = _notification_types()
    one_of_each_feature = {
        GroupCreated,
        HotspotReached,
        ActionReminder,
        PicturePosted,
        SummaryChart,
        ActivityEffect,
    }
    assert one_of_each_feature <= kinds  # the search finds them
    assert set(RENDERERS) == kinds


def test_a_notification_is_rendered_by_its_features_builder():
    note = HotspotReached(GROUP, "Fittja centrum", "narkotika", "drugs", 3, "count", 2026, 48, 7)
    assert message_for(note, "C0EST")["text"] == (
        ":warning: *Fittja centrum*: 3 händelser av typen narkotika inom 7 dagar (v. 48)."
    )
    assert message_for(note, "C0EST", "en")["text"] == (
        ":warning: *Fittja centrum*: 3 incidents of drugs within 7 days (week 48)."
    )


def test_a_subclass_without_a_builder_of_its_own_uses_its_parents():
    @dataclass(frozen=True)
    class QuietlyLeft(MemberLeft):
        pass

    note = QuietlyLeft(GROUP, "U0ERIK", ("U0ANNA",), None)
    assert renderer(note) is RENDERERS[MemberLeft]
    assert messages_for(note, "U0ANNA")[0]["text"] == (
        "<@U0ERIK> har lämnat arbetsytan och är inte längre medlem i *EST Fittja*."
    )


def test_a_notification_nobody_renders_is_an_error():
    @dataclass(frozen=True)
    class Unknown(Notification):
        pass

    with pytest.raises(LookupError, match="Unknown"):
        message_for(Unknown(GROUP), "C0EST")


def test_one_type_with_two_builders_is_refused():
    first = renderers(rendered(MemberLeft, lambda tr, note: {"text": "a"}))
    second = renderers(rendered(MemberLeft, lambda tr, note: {"text": "b"}))
    with pytest.raises(ValueError, match="MemberLeft has two builders"):
        merge(first, second)
    with pytest.raises(ValueError, match="MemberLeft has two builders"):
        renderers(*first.items(), *second.items())


def test_who_gets_a_notification_sent_at_once():
    promoted = MemberLeft(GROUP, "U0ERIK", ("U0ANNA", "U0SARA"), "U0SARA")
    assert promoted.recipients() == ("U0ANNA", "U0SARA")  # the new admin once, not twice
    hotspot = HotspotReached(GROUP, "Alby", "skadegörelse", "vandalism", 4, "count", 2026, 48, 7)
    assert hotspot.recipients() == ("C0EST",)
