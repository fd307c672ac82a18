"""The shared beginning of a simulated bot time, on each database."""

from datetime import UTC, datetime, timedelta

from storage.clock import agree

START = datetime(2027, 1, 11, 6, 55, tzinfo=UTC)
REAL = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)


def test_the_first_process_sets_the_beginning_and_the_next_reads_it(db):
    first = agree(db, start=START, rate=3600.0, real_now=REAL)
    second = agree(db, start=START, rate=3600.0, real_now=REAL + timedelta(seconds=1.5))
    assert first == second == REAL


def test_new_settings_begin_a_new_time(db):
    agree(db, start=START, rate=3600.0, real_now=REAL)
    later = REAL + timedelta(hours=2)
    assert agree(db, start=START, rate=60.0, real_now=later) == later  # another rate
    other = START + timedelta(days=7)
    assert agree(db, start=other, rate=60.0, real_now=later + timedelta(1)) == later + timedelta(1)
    assert agree(db, start=other, rate=60.0, real_now=later + timedelta(2)) == later + timedelta(1)
