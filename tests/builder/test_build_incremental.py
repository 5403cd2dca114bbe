"""Content hashing decides what re-runs; builds repeat byte for byte."""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import run_build
from fixtures.make_course import make_course


def _all_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    course = make_course(tmp_path / "course")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_build(course, first, "--lesson", "01-alpha").returncode == 0
    assert run_build(course, second, "--lesson", "01-alpha").returncode == 0
    a, b = _all_files(first), _all_files(second)
    assert a.keys() == b.keys() and len(a) >= 13
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def test_one_changed_lesson_reruns_alone_and_force_reruns_all(tmp_path):
    course = make_course(tmp_path / "course")
    exports = tmp_path / "exports"
    assert run_build(course, exports, "--no-pdf").returncode == 0
    notebook = course.parent / "02-beta.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[4].source += "\n\nA new sentence."
    nbformat.write(nb, notebook)
    result = run_build(course, exports, "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert "running  02-beta (high-school, community: one run)" in result.stderr
    assert "running  01-alpha" not in result.stderr
    assert "A new sentence." in (exports / "02-beta/community/reading.html").read_text()
    forced = run_build(course, exports, "--no-pdf", "--force")
    assert "built 4, up to date 0" in forced.stderr


def test_a_changed_paragraph_reprints_the_reader_and_keeps_the_unchanged_handout(tmp_path):
    """The handout is designed from parts and prompts, so a new sentence in the body leaves its page, and
    so its PDF, as it was; the reader and the guide show the sentence and are printed again."""
    course = make_course(tmp_path / "course")
    exports = tmp_path / "exports"
    assert run_build(course, exports, "--lesson", "02-beta").returncode == 0
    folder = exports / "02-beta" / "community"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.glob("*.pdf")}
    handout_page = (folder / "worksheet.html").read_bytes()
    notebook = course.parent / "02-beta.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[4].source += "\n\nA new sentence."
    nbformat.write(nb, notebook)
    result = run_build(course, exports, "--lesson", "02-beta")
    assert result.returncode == 0, result.stderr
    assert (folder / "worksheet.html").read_bytes() == handout_page
    assert "2 PDFs kept: their pages have not changed" in result.stderr  # one handout per audience
    assert (folder / "worksheet.pdf").stat().st_mtime_ns == before["worksheet.pdf"][1]
    for name in ("reading.pdf", "guide.pdf"):
        assert (folder / name).read_bytes() != before[name][0], name
    forced = run_build(course, exports, "--lesson", "02-beta", "--force")
    assert "PDFs kept" not in forced.stderr
    assert (folder / "worksheet.pdf").stat().st_mtime_ns != before["worksheet.pdf"][1]
