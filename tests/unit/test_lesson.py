"""The lesson model: cells, prompts, parts, terms and keys read from a notebook without running it."""

from __future__ import annotations

import nbformat
import pytest
from fixtures.make_course import lesson_cells, make_course, write_notebook

from solidarity_edu.course import load_course
from solidarity_edu.errors import NotebookError
from solidarity_edu.lesson import (
    PROMPT_ID_MAX,
    course_prompts,
    executed_cell_number,
    lesson_key,
    prompt_id_problem,
    prompt_manifest,
    read_lesson,
    source_numbers,
)

md, code, raw = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell, nbformat.v4.new_raw_cell


def test_lesson_key_is_the_two_digit_number():
    assert lesson_key("07-defining-solidarity") == lesson_key("07-who") == "07"
    assert lesson_key("notebooks/07-defining-solidarity.ipynb") == "07"
    with pytest.raises(NotebookError, match="two-digit lesson number"):
        lesson_key("seven-who")


@pytest.mark.parametrize(
    ("prompt_id", "ok"),
    [
        ("07-who", True),
        ("07-who-am-i-2", True),
        ("07--who", False),  # doubled dash
        ("07-who-", False),
        ("07-Who", False),
        ("7-who", False),
        ("07-who\n", False),  # a trailing newline must not slip past an end anchor
        ("０7-who", False),  # a non-ASCII digit
        ("07-wh\u00f6", False),
        ("07-" + "a" * (PROMPT_ID_MAX - 3), True),
        ("07-" + "a" * (PROMPT_ID_MAX - 2), False),
    ],
)
def test_one_id_grammar(prompt_id, ok):
    assert (prompt_id_problem(prompt_id) is None) is ok


def test_an_id_from_another_lesson_is_named():
    assert "must start with this lesson's number" in prompt_id_problem("08-who", "07")


def test_source_numbers_skip_the_cell_papermill_injects():
    cells = [{"metadata": {}}, {"metadata": {"tags": ["parameters"]}}, {"metadata": {"tags": ["injected-parameters"]}}]
    cells.append({"metadata": {}})
    assert source_numbers(cells) == [1, 2, None, 3]
    source = [cells[0], cells[1], cells[3]]
    assert [executed_cell_number(source, i) for i in range(4)] == [1, 2, None, 3]


def test_the_real_course_reads_cleanly(root):
    course = load_course(root / "notebooks" / "course.yaml")
    for lesson in course.lessons:
        model = read_lesson(lesson.notebook)
        assert model.all_problems() == [], lesson.id
        assert model.key == lesson_key(lesson.id)
        assert model.prompts and model.parts and model.title
    prompts = course_prompts(course)
    assert len(prompts) >= 70
    assert (
        prompts["01-wong-kim-ark"].kind == "choose"
        and prompts["01-wong-kim-ark"].answer in prompts["01-wong-kim-ark"].options
    )


def test_prompt_manifest_lists_kinds_options_and_scales(root):
    manifest = prompt_manifest(load_course(root / "notebooks" / "course.yaml"))
    assert manifest["version"] == 1
    scale = manifest["prompts"]["08-five-cs"]
    assert scale["kind"] == "scale" and scale["steps"] == 5 and "Clarity" in scale["options"]
    assert manifest["prompts"]["09-plan"]["shareable"] is False
    assert manifest["prompts"]["08-carry-practice"]["shareable"] is False  # optional: personal
    assert manifest["prompts"]["07-solidarity-or-performance"]["kind"] == "choice"


def test_parts_cover_the_lesson_per_audience(tmp_path):
    course = load_course(make_course(tmp_path))
    model = read_lesson(course.lessons[0].notebook)
    plan = model.plan("high-school")
    assert [(p.part.name, p.minutes) for p in plan] == [("Opening", 10), ("Part one", 40)]
    assert plan[0].first_cell == 1 and plan[0].last_cell == plan[1].first_cell - 1
    assert plan[1].last_cell == len(model.cells)
    assert plan[1].part.grouping == "pairs"


def test_audience_reading_and_terms(tmp_path):
    cells = lesson_cells("01", extra_code='define("incarceration")\nevent_card("executive-order-9066")')
    course = load_course(make_course(tmp_path, {"01-alpha": cells}))
    model = read_lesson(course.lessons[0].notebook)
    assert model.reads_audience  # the fixture calls course_map(audience)
    assert model.terms == ["incarceration"] and model.events == ["executive-order-9066"]
    assert model.parameter_audience == "high-school"


def test_a_lesson_that_never_reads_audience(tmp_path):
    cells = [c for c in lesson_cells("01") if "course_map(audience)" not in c.source]
    path = tmp_path / "01-alpha.ipynb"
    write_notebook(path, cells)
    assert read_lesson(path).reads_audience is False


def test_which_audience_cells_can_run_again_alone(tmp_path):
    """Cells that only show something from ``audience`` can run again per audience; a cell that gives a
    name a value (by ``=``, ``:=``, ``for``, ``import``, ``def`` ...) cannot, since a later cell may read it."""
    import nbformat

    def model(source: str):
        cells = [c for c in lesson_cells("01") if "course_map(audience)" not in c.source]
        cells.append(nbformat.v4.new_code_cell(source))
        path = tmp_path / "01-alpha.ipynb"
        write_notebook(path, cells)
        return read_lesson(path)

    shows = model('course_map(audience)\nprint("for", audience)')
    assert [c.source for c in shows.audience_cells] == ['course_map(audience)\nprint("for", audience)']
    assert shows.audience_only_in_expressions
    for binds in (
        "label = audience.upper()",
        "print(label := audience)",
        "for a in audience: pass",
        "if audience: x = 1",
        "def f(): return audience",
    ):
        assert model(binds).reads_audience and not model(binds).audience_only_in_expressions, binds


def test_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "01-alpha.ipynb"
    write_notebook(path, lesson_cells("01"))
    first = read_lesson(path)
    cells = lesson_cells("01")
    cells[6].source = cells[6].source.replace("What is", "What was")
    write_notebook(path, cells)
    again = read_lesson(path)
    assert again is not first and again.prompts[0].question.startswith("What was")


def test_an_unreadable_notebook_names_the_file(tmp_path):
    path = tmp_path / "01-broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(NotebookError, match=r"01-broken\.ipynb: not a valid notebook"):
        read_lesson(path)
