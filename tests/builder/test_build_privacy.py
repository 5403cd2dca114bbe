"""Nothing from a learner's journal reaches any export."""

from __future__ import annotations

from conftest import run_build
from fixtures.make_course import make_course

from solidarity_edu.journal import Journal


def test_journal_answers_never_reach_exports(tmp_path):
    marker = "PRIVATE-MARKER-5f1c"
    journal_path = tmp_path / "home" / "journal.sqlite3"
    journal = Journal(journal_path)
    for prompt in ("01-fixture-question", "02-fixture-question"):
        journal.save(prompt, f"{marker} answer to {prompt}")
    course = make_course(tmp_path / "course")
    exports = tmp_path / "exports"
    result = run_build(course, exports, env={"SOLIDARITY_EDU_JOURNAL": str(journal_path)})
    assert result.returncode == 0, result.stderr
    files = [p for p in exports.rglob("*") if p.is_file()]
    assert len(files) >= 25
    leaked = [str(p) for p in files if marker.encode() in p.read_bytes()]
    assert leaked == []
    assert journal.latest("01-fixture-question").value.startswith(marker)  # the learner's copy is intact
