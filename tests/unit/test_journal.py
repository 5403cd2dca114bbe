from __future__ import annotations

import stat

import pytest

from solidarity_edu.journal import ENV_VAR, Journal, default_path


def test_versions_are_kept_and_latest_wins(tmp_path):
    journal = Journal(tmp_path / "j" / "journal.sqlite3")
    journal.save("07-who", "first")
    journal.save("07-who", "second")
    journal.save("08-other", "x")
    assert journal.latest("07-who").value == "second"
    assert [e.value for e in journal.history("07-who")] == ["first", "second"]
    assert journal.latest("07-none") is None


def test_file_and_folder_are_private(tmp_path):
    path = tmp_path / "private" / "journal.sqlite3"
    Journal(path).save("00-hopes", "hello")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "مرحبا 👋🏽", "", "x" * 200_000]
)
def test_any_text_round_trips(tmp_path, text):
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.save("00-hopes", text)
    assert journal.latest("00-hopes").value == text


def test_environment_variable_moves_it(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere.sqlite3"))
    assert default_path() == tmp_path / "elsewhere.sqlite3"
