"""Outbox kinds: one StrEnum per feature, used where a row is planned and in the preparer table."""

from bot.actions.notifications import ActionOutbox
from bot.activities.notifications import ActivityOutbox
from bot.clock import PREPARERS
from bot.summary.notifications import SummaryOutbox
from bot.weekly.notifications import WeeklyOutbox

FEATURES = (ActionOutbox, WeeklyOutbox, SummaryOutbox, ActivityOutbox)


def test_the_stored_kinds_are_the_strings_existing_rows_carry():
    # rows already in the outbox are found by these strings: a renamed value would strand them
    assert sorted(kind.value for kinds in FEATURES for kind in kinds) == [
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
        "summary.chart",
        "summary.failed",
        "summary.post",
        "undeliverable",
    ]


def test_kinds_are_unique_across_features_and_each_has_one_preparer():
    kinds = [kind.value for kinds in FEATURES for kind in kinds]
    assert len(kinds) == len(set(kinds)) == 15
    assert sorted(PREPARERS) == sorted(kinds)
