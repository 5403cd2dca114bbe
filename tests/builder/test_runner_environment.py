"""The build hides real journals from its kernels, and gives the caller's environment back afterwards."""

from __future__ import annotations

import os

from solidarity_edu.builder.runner import _kernels_without_real_journals


def test_journal_variables_are_scoped_to_the_build(monkeypatch, tmp_path):
    mine = str(tmp_path / "mine.sqlite3")
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", mine)
    monkeypatch.delenv("SOLIDARITY_EDU_BUILD", raising=False)
    with _kernels_without_real_journals():
        inside = os.environ["SOLIDARITY_EDU_JOURNAL"]
        assert inside != mine and os.environ["SOLIDARITY_EDU_BUILD"] == "1"
    assert os.environ["SOLIDARITY_EDU_JOURNAL"] == mine
    assert "SOLIDARITY_EDU_BUILD" not in os.environ
    assert not os.path.exists(os.path.dirname(inside))  # the temporary journal is gone
