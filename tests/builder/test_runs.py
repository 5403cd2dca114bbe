"""One run per lesson when its code never reads the audience; one run per audience when it does."""

from __future__ import annotations

import nbformat
from conftest import FIXED_EPOCH
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.builder import execute, runner
from solidarity_edu.builder.plan import plan
from solidarity_edu.course import load_course


def _audience_free(number: str) -> list:
    """A fixture lesson whose code never reads ``audience`` (its chart call names the audience)."""
    cells = lesson_cells(number)
    for cell in cells:
        if cell.cell_type == "code" and cell.source == "course_map(audience)":
            cell.source = 'course_map("community")'
    return cells


def _course(tmp_path):
    return make_course(tmp_path / "course", {"01-alpha": lesson_cells("01"), "02-beta": _audience_free("02")})


def test_a_lesson_that_reads_audience_runs_per_audience_and_one_that_does_not_runs_once(tmp_path):
    course_path = _course(tmp_path)
    jobs = plan(load_course(course_path), tmp_path / "exports", tmp_path / "course" / "data")
    runs = runner.runs_for(jobs)
    assert [[job.name for job in run.jobs] for run in runs] == [
        ["01-alpha/high-school"],
        ["01-alpha/community"],
        ["02-beta/high-school", "02-beta/community"],
    ]
    assert runs[2].name == "02-beta (high-school, community: one run)"


def _files(root):
    """Every export by path (not the build's cache of drawn charts)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(root).parts
    }


def test_one_shared_run_makes_the_same_bytes_as_one_run_per_audience(tmp_path, monkeypatch):
    """The shared path and the per-audience path give identical exports, audience cells included."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    course_path = _course(tmp_path)
    data = tmp_path / "course" / "data"
    executed: list[str] = []  # the runner imports execute_lesson when it builds, so this patch applies
    original = execute.execute_lesson

    def counting(notebook, lesson, audience, **kwargs):
        executed.append(f"{lesson}/{audience}")
        return original(notebook, lesson, audience, **kwargs)

    monkeypatch.setattr(execute, "execute_lesson", counting)
    shared = tmp_path / "shared"
    report = runner.build(course_path, shared, data, lessons=["02-beta"], pdf=False, workers=1)
    assert report.ok and sorted(report.built) == ["02-beta/community", "02-beta/high-school"]
    assert executed == ["02-beta/high-school"]

    executed.clear()
    monkeypatch.setattr(runner, "runs_for", lambda todo: [runner.Run([job]) for job in todo])
    separate = tmp_path / "separate"
    assert runner.build(course_path, separate, data, lessons=["02-beta"], pdf=False, workers=1).ok
    assert executed == ["02-beta/high-school", "02-beta/community"]

    a, b = _files(shared), _files(separate)
    a.pop(".build-state.json"), b.pop(".build-state.json")
    assert a.keys() == b.keys() and len(a) >= 9
    assert [name for name in a if a[name] != b[name]] == []

    community = (shared / "02-beta/community/reading.html").read_text()
    high_school = (shared / "02-beta/high-school/reading.html").read_text()
    assert "Only for the community audience." in community and "Only for the community audience." not in high_school
    for audience in ("high-school", "community"):
        student = nbformat.read(shared / "02-beta" / audience / "student.ipynb", as_version=4)
        parameters = [c for c in student.cells if "parameters" in c.metadata.get("tags", [])]
        assert [c.source for c in parameters] == [f"audience = {audience!r}\nlanguage = 'en'"]
