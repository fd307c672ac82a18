"""Outbox kinds: one StrEnum per feature, used where a row is planned and in the preparer table;
each feature hands the clock its kinds, planner and tables as one ``Scheduled`` value."""

import importlib
import importlib.util
import pkgutil
from collections import Counter
from enum import StrEnum

import bot
from bot.clock import ON_FAILURE, PREFETCH, PREPARERS, SCHEDULED


def test_the_strings_existing_rows_carry_are_still_kinds():
    # rows already in the outbox are found by these strings: a renamed value would strand them
    kinds = {kind.value for s in SCHEDULED for kind in s.kinds}
    assert kinds >= {
        "action.assigned",
        "action.escalated",
        "action.handed_over",
        "action.reminder",
        "activity.announced",
        "activity.effect",
        "activity.followup",
        "activity.reminder",
        "cycle.call",
        "cycle.nudge",
        "cycle.picture",
        "cycle.picture.map",
        "period.post",
        "summary.chart",
        "summary.failed",
        "summary.post",
        "undeliverable",
    }


def test_kinds_are_unique_across_features_and_each_has_exactly_one_preparer():
    kinds = Counter(kind.value for s in SCHEDULED for kind in s.kinds)
    assert [k for k, n in kinds.items() if n > 1] == []
    preparers = Counter(kind for s in SCHEDULED for kind in s.preparers)
    assert preparers == Counter(dict.fromkeys(kinds, 1))
    for s in SCHEDULED:  # and a feature prepares only its own kinds
        assert set(s.preparers) == set(s.kinds), s.kinds.__name__
        assert set(s.prefetch) | set(s.on_failure) <= set(s.kinds), s.kinds.__name__
    assert PREPARERS.keys() == kinds.keys()


def test_the_clock_knows_every_feature_that_has_outbox_kinds():
    found = set()
    for package in pkgutil.iter_modules(bot.__path__):
        name = f"bot.{package.name}.notifications"
        if not package.ispkg or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found |= {
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
        }
    assert {"ActionOutbox", "WeeklyOutbox", "SummaryOutbox", "ActivityOutbox"} <= {
        e.__name__ for e in found
    }
    assert {s.kinds for s in SCHEDULED} == found


def test_the_merged_tables_point_at_each_features_own_functions():
    from bot.actions import reminders
    from bot.summary import charts, posts
    from bot.weekly import cycle

    assert PREPARERS["action.reminder"] is reminders.prepare_reminder
    assert PREPARERS["summary.chart"] is charts.prepare_chart
    assert PREFETCH["undeliverable"] is reminders.prefetch_actions
    assert PREFETCH["cycle.call"] is cycle.prefetch_weekly  # a sweep's calls share one read
    assert "summary.post" not in PREFETCH
    assert ON_FAILURE["summary.post"] is posts.tell_admins
    assert "action.reminder" not in ON_FAILURE  # the clock's default: reminders.tell_admins
