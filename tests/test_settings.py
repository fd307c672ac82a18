import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import SettingsError, read_settings

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_without_slack_mean_console():
    settings = read_settings({})
    assert not settings.has_slack
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("est.db")
    assert (settings.port, settings.timezone, settings.language) == (3000, "Europe/Stockholm", "sv")
    assert settings.api_url == "https://slack.com/api/"


def test_api_url_gets_its_trailing_slash():
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": "http://127.0.0.1:9999/api",
    }
    assert read_settings(env).api_url == "http://127.0.0.1:9999/api/"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PORT": "abc"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"EST_TIMEZONE": "Europe/Fittja"}, "EST_TIMEZONE"),
        ({"EST_LANGUAGE": "fi"}, "EST_LANGUAGE"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"EST_CLOCK_START": "2027-01-11 07:55"}, "EST_CLOCK_START"),  # no offset
        ({"EST_CLOCK_START": "måndag"}, "EST_CLOCK_START"),
        ({"EST_CLOCK_RATE": "0"}, "EST_CLOCK_RATE"),
        ({"EST_CLOCK_RATE": "-5"}, "EST_CLOCK_RATE"),
        ({"EST_CLOCK_RATE": "snabbt"}, "EST_CLOCK_RATE"),
        ({"EST_CLOCK_RATE": "inf"}, "EST_CLOCK_RATE"),
    ],
)
def test_a_bad_setting_names_the_variable(env, named):
    with pytest.raises(SettingsError) as caught:
        read_settings(env)
    assert str(caught.value).startswith(named + ":")


def run_app(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python app.py ARGS` with only these settings (and a database of its own)."""
    base = {
        "PATH": "/usr/bin:/bin",
        "EST_NO_BOOTSTRAP": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    return subprocess.run(
        [sys.executable, "app.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serving_http_without_the_signing_secret_stops_with_one_line(tmp_path):
    result = run_app(tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Inställningsfel: SLACK_SIGNING_SECRET: required to serve Slack over HTTP "
        "(or set SLACK_APP_TOKEN)"
    ]


def test_a_bad_setting_stops_with_one_line_and_no_traceback(tmp_path):
    result = run_app(tmp_path, "migrate", PORT="abc")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Inställningsfel: PORT: expected a port number 1–65535, got 'abc'"
    ]
    assert "Traceback" not in result.stderr


def test_the_clock_settings_are_read():
    settings = read_settings(
        {"EST_CLOCK_START": "2027-01-11T07:55:00+01:00", "EST_CLOCK_RATE": "3600"}
    )
    assert settings.clock_start == datetime(2027, 1, 11, 6, 55, tzinfo=UTC)
    assert settings.clock_rate == 3600.0
    assert read_settings({}).clock_start is None
    assert read_settings({}).clock_rate == 1.0


def test_a_bad_clock_start_stops_the_clock_process_with_one_line(tmp_path):
    result = run_app(tmp_path, "clock", SLACK_BOT_TOKEN="xoxb-1", EST_CLOCK_START="11/1 2027")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Inställningsfel: EST_CLOCK_START: expected an ISO 8601 instant with an offset such as "
        "2027-01-11T07:55:00+01:00, got '11/1 2027'"
    ]


def test_the_outbox_lease_is_real_time_however_fast_the_bot_time(tmp_path):
    from datetime import timedelta

    from app import build_services, clock_context

    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "EST_CLOCK_START": "2027-03-20T12:00:00+01:00",
        "EST_CLOCK_RATE": "14400",
        "EST_OUTBOX_LEASE": "120",
    }
    settings = read_settings(env)
    context = clock_context(settings, build_services(settings, None))
    # two real minutes for a send, in the bot's time that stamps the rows: 20 bot days, not 8 ms
    assert context.sender.lease == timedelta(seconds=120 * 14_400)
    real = read_settings({k: v for k, v in env.items() if not k.startswith("EST_CLOCK")})
    assert clock_context(real, build_services(real, None)).sender.lease == timedelta(minutes=2)


def test_map_tiles_take_a_tile_url_template():
    assert read_settings({}).map_tiles == ""
    template = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert read_settings({"EST_MAP_TILES": template}).map_tiles == template
    for bad in ("tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tiles.example/{z}/{x}.png"):
        with pytest.raises(SettingsError, match="EST_MAP_TILES"):
            read_settings({"EST_MAP_TILES": bad})
