"""`/est sammanfattning …` read into what to do, without a database or Slack."""

from __future__ import annotations

from handlers.summary.forms import PostSummary, SetSchedule, summary_command


def test_a_week_or_none_posts_that_summary():
    assert summary_command("") == PostSummary("")
    assert summary_command(" v46 ") == PostSummary("v46")
    assert summary_command("tid") == PostSummary("tid")  # a schedule needs its day and time


def test_a_schedule_is_the_rest_after_the_word():
    assert summary_command("tid tisdag 07:30") == SetSchedule("tisdag 07:30")
    assert summary_command("Time  monday 08:00") == SetSchedule("monday 08:00")
