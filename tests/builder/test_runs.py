"""How many times a lesson runs: once when its code never reads the audience; once, with its audience
cells run again per audience, when it reads the audience only to show something; once per audience
when it gives a name a value from the audience."""

from __future__ import annotations

import nbformat
from conftest import FIXED_EPOCH
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.builder import execute, runner
from solidarity_edu.builder.plan import plan
from solidarity_edu.course import load_course


def _with_chart_cell(number: str, source: str) -> list:
    """A fixture lesson whose ``course_map(audience)`` cell is ``source`` instead."""
    cells = lesson_cells(number)
    for cell in cells:
        if cell.cell_type == "code" and cell.source == "course_map(audience)":
            cell.source = source
    return cells


def _audience_free(number: str) -> list:
    """A fixture lesson whose code never reads ``audience`` (its chart call names the audience)."""
    return _with_chart_cell(number, 'course_map("community")')


def _shows_audience(number: str) -> list:
    """A fixture lesson that reads ``audience`` only in expressions: it prints it."""
    return _with_chart_cell(number, 'print("This copy is for", audience)\ncourse_map(audience)')


def _keeps_audience(number: str) -> list:
    """A fixture lesson that gives a name a value from ``audience``, which later cells could read."""
    return _with_chart_cell(number, 'label = audience.upper()\nprint("Made for", label)')


def _course(tmp_path):
    return make_course(
        tmp_path / "course",
        {"01-alpha": _shows_audience("01"), "02-beta": _audience_free("02"), "03-gamma": _keeps_audience("03")},
    )


def test_how_many_runs_each_kind_of_lesson_gets(tmp_path):
    course_path = _course(tmp_path)
    jobs = plan(load_course(course_path), tmp_path / "exports", tmp_path / "course" / "data")
    runs = runner.runs_for(jobs)
    assert [([job.name for job in run.jobs], run.reruns) for run in runs] == [
        (["01-alpha/high-school", "01-alpha/community"], True),
        (["02-beta/high-school", "02-beta/community"], False),
        (["03-gamma/high-school"], True),
        (["03-gamma/community"], True),
    ]
    assert runs[1].name == "02-beta (high-school, community: one run)"


def _files(root):
    """Every export by path (not the build's cache of drawn charts)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(root).parts
    }


def test_one_shared_run_makes_the_same_bytes_as_one_run_per_audience(tmp_path, monkeypatch):
    """Both shared paths (a lesson that never reads the audience, and one whose audience cells run
    again) give the same exports, byte for byte, as one run per audience; each audience sees its own
    output."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    course_path = _course(tmp_path)
    data = tmp_path / "course" / "data"
    executed: list[str] = []  # the runner imports execute_lesson when it builds, so this patch applies
    original = execute.execute_lesson

    def counting(notebook, lesson, audience, **kwargs):
        executed.append(
            f"{lesson}/{audience}" + (f" also {'+'.join(kwargs['also_for'])}" if kwargs.get("also_for") else "")
        )
        return original(notebook, lesson, audience, **kwargs)

    monkeypatch.setattr(execute, "execute_lesson", counting)
    shared = tmp_path / "shared"
    lessons = ["01-alpha", "02-beta", "03-gamma"]
    report = runner.build(course_path, shared, data, lessons=lessons, pdf=False, workers=1)
    assert report.ok and len(report.built) == 6
    assert executed == [
        "01-alpha/high-school also high-school+community",
        "02-beta/high-school",
        "03-gamma/high-school",
        "03-gamma/community",
    ]

    executed.clear()
    monkeypatch.setattr(runner, "runs_for", lambda todo: [runner.Run([job]) for job in todo])
    separate = tmp_path / "separate"
    assert runner.build(course_path, separate, data, lessons=lessons, pdf=False, workers=1).ok
    assert len(executed) == 6 and not any(" also " in name for name in executed)

    a, b = _files(shared), _files(separate)
    a.pop(".build-state.json"), b.pop(".build-state.json")
    assert a.keys() == b.keys() and len(a) >= 27
    assert [name for name in a if a[name] != b[name]] == []

    community = (shared / "02-beta/community/reading.html").read_text()
    high_school = (shared / "02-beta/high-school/reading.html").read_text()
    assert "Only for the community audience." in community and "Only for the community audience." not in high_school
    for audience in ("high-school", "community"):
        student = nbformat.read(shared / "02-beta" / audience / "student.ipynb", as_version=4)
        parameters = [c for c in student.cells if "parameters" in c.metadata.get("tags", [])]
        assert [c.source for c in parameters] == [f"audience = {audience!r}\nlanguage = 'en'"]
        guide = (shared / "01-alpha" / audience / "guide.html").read_text()
        other = "community" if audience == "high-school" else "high-school"
        assert f"This copy is for {audience}" in guide and f"This copy is for {other}" not in guide
        assert f"Made for {audience.upper()}" in (shared / "03-gamma" / audience / "guide.html").read_text()
    assert "solidarity_edu_reruns" not in (shared / "01-alpha/community/student.ipynb").read_text()


def test_a_failing_audience_cell_fails_only_that_audience_and_names_it(tmp_path):
    cells = _with_chart_cell("01", 'print({"high-school": "ok"}[audience])')
    course_path = make_course(tmp_path / "course", {"01-alpha": cells})
    exports = tmp_path / "exports"
    report = runner.build(course_path, exports, tmp_path / "course" / "data", pdf=False, workers=1)
    assert report.built == ["01-alpha/high-school"]
    assert list(report.failed) == ["01-alpha/community"]
    message = report.failed["01-alpha/community"]
    assert "01-alpha" in message and "community" in message and "KeyError" in message and "cell" in message
    assert not (exports / "01-alpha/community/guide.html").exists()
