from __future__ import annotations

import nbformat
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.course import load_course
from solidarity_edu.lint import lint_course, lint_lesson


def test_real_course_lints_clean(root):
    problems = lint_course(load_course(root / "notebooks" / "course.yaml"))
    assert [str(p) for p in problems] == []


def test_fixture_lesson_lints_clean(tmp_path):
    course = make_course(tmp_path)
    assert lint_course(load_course(course)) == []


def _problems(tmp_path, mutate):
    cells = lesson_cells("01")
    mutate(cells)
    course_path = make_course(tmp_path, {"01-alpha": cells})
    course = load_course(course_path)
    return [str(p) for p in lint_lesson(course.lessons[0].notebook, course)]


def test_each_broken_convention_is_reported_with_file_and_cell(tmp_path):
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell

    def break_everything(cells):
        cells[4].metadata["tags"] = ["slid"]  # cell 5
        cells[7].metadata["tags"] = []  # key gone
        cells.append(code('reflect(prompt_id, "no literal id")', metadata={"tags": ["prompt"]}))
        cells.append(md("guidance", metadata={"tags": ["answer-key"]}))
        cells.append(code('reflect("01-fixture-question", "again")', metadata={"tags": ["prompt"]}))
        cells.append(md("guidance", metadata={"tags": ["answer-key"]}))
        cells.append(code('reflect("1-bad", "bad id")', metadata={"tags": ["prompt"]}))
        cells.append(md("guidance", metadata={"tags": ["answer-key"]}))
        cells.append(code("a = 1\nb = 2\nc = 3"))
        cells.append(code("alt.Chart(df).mark_bar()", metadata={"tags": ["hide-input"]}))
        out = code("1 + 1", execution_count=3)
        out.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
        cells.append(out)
        cells[0].source = cells[0].source.replace("## Essential question", "## Big question")

    problems = "\n".join(_problems(tmp_path, break_everything))
    name = "01-alpha.ipynb"
    assert f"{name}: cell 5: unknown tag 'slid'" in problems
    assert f"{name}: cell 7: prompt has no answer-key cell" in problems
    assert "needs the prompt id as a plain string" in problems
    assert "prompt id '01-fixture-question' is already used" in problems
    assert "prompt id '1-bad' must be '01-'" in problems
    assert "keep it to 2 short lines" in problems
    assert "a chart needs a text description" in problems
    assert "has outputs or an execution count" in problems
    assert "missing a '## Essential question' heading" in problems


def test_content_note_and_parameters_required(tmp_path):
    def drop(cells):
        del cells[1:3]  # the content note and the parameters cell

    problems = "\n".join(_problems(tmp_path, drop))
    assert "missing a content note" in problems
    assert "needs exactly one cell tagged 'parameters'" in problems


def test_a_bare_dollar_sign_in_text_is_reported(tmp_path):
    def add_dollars(cells):
        cells.append(nbformat.v4.new_markdown_cell("They won $2.1 billion, then asked for $3 billion more."))
        cells.append(nbformat.v4.new_markdown_cell("Escaped: \\$20,000 each."))

    problems = _problems(tmp_path, add_dollars)
    dollars = [p for p in problems if "bare '$'" in p]
    assert len(dollars) == 1 and "01-alpha" in dollars[0], problems
