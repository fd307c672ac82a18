"""The bootstrap in app.py says in one line what it installs and where, and only when it does."""

from pathlib import Path
from typing import Any

import pytest

import app

PYPROJECT = """\
[project]
name = "x"
dependencies = ["slack-bolt>=1.21,<2", "Flask>=3.0,<4"]

[project.optional-dependencies]
dev = ["pytest>=8.3,<10"]
"""


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A checkout in tmp_path with a three-package pyproject.toml; venv and pip only recorded."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    venv_dir = tmp_path / ".venv"
    monkeypatch.setattr(app, "ROOT", tmp_path)
    monkeypatch.setattr(app, "VENV", venv_dir)
    monkeypatch.setattr("sys.prefix", str(venv_dir))  # already inside: no re-exec
    monkeypatch.delenv("EST_NO_BOOTSTRAP", raising=False)
    seen: dict[str, Any] = {"created": [], "pip": []}

    def create(path: Path, *, with_pip: bool) -> None:
        seen["created"].append(path)
        (path / "bin").mkdir(parents=True)
        (path / "bin" / "python").touch()

    monkeypatch.setattr("venv.create", create)
    monkeypatch.setattr("subprocess.run", lambda cmd, check: seen["pip"].append(cmd[6:]))
    seen["venv"] = venv_dir
    return seen


def test_a_fresh_machine_hears_what_test_installs_and_where(
    machine: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    app.ensure_environment(["test"])
    venv_dir = machine["venv"]
    assert capsys.readouterr().out == (
        f"Första körningen: installerar 3 paket från pyproject.toml i {venv_dir}, varav "
        "1 testverktyg för `app.py test` (en minut eller två) …\n"
    )
    assert machine["created"] == [venv_dir]
    assert machine["pip"] == [["slack-bolt>=1.21,<2", "Flask>=3.0,<4", "pytest>=8.3,<10"]]
    assert (venv_dir / ".installed-dev").exists()


def test_an_update_says_so_in_one_line_and_keeps_the_venv(
    machine: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    venv_dir = machine["venv"]
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "bin" / "python").touch()
    (venv_dir / ".installed").write_text("an older pyproject.toml")
    app.ensure_environment(["serve"])
    assert capsys.readouterr().out == (
        f"Uppdaterar {venv_dir}: installerar det som saknas av 2 paket från pyproject.toml …\n"
    )
    assert machine["created"] == []
    assert machine["pip"] == [["slack-bolt>=1.21,<2", "Flask>=3.0,<4"]]


def test_an_installed_venv_stays_silent(
    machine: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    app.ensure_environment(["test"])
    capsys.readouterr()
    app.ensure_environment(["test"])
    assert capsys.readouterr().out == ""
    assert len(machine["pip"]) == 1
