from __future__ import annotations

import nbformat
import pytest
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.course import load_course
from solidarity_edu.lint import lint_course, lint_lesson

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


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

    def break_everything(cells):
        cells[4].metadata["tags"] = ["slid"]  # cell 5
        cells[8].metadata["tags"] = []  # key gone
        cells.append(code("reflect(prompt_id)", metadata={"tags": ["prompt"]}))
        cells.append(md("guidance", metadata={"tags": ["answer-key"]}))
        cells.append(code('reflect("1-bad")', metadata={"tags": ["prompt"]}))
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
    assert f"{name}: cell 8: prompt has no answer-key cell" in problems
    assert "reflect(...) needs the prompt id as a plain text first argument" in problems
    assert "prompt id '1-bad' must be two digits, a dash and lower-case words" in problems
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


def test_the_parameters_cell_may_set_the_language_to_english(tmp_path):
    def add_language(cells):
        cells[2].source = 'audience = "high-school"\nlanguage = "en"'

    assert _problems(tmp_path, add_language) == []


def test_a_parameters_cell_in_another_language_is_reported(tmp_path):
    def vietnamese(cells):
        cells[2].source = 'audience = "high-school"\nlanguage = "vi"'

    problems = "\n".join(_problems(tmp_path, vietnamese))
    assert "01-alpha.ipynb: cell 3: the parameters cell sets language = 'vi'" in problems
    assert "write language = 'en'" in problems


def test_every_lesson_sets_language_in_its_parameters(root):
    from solidarity_edu.lesson import read_lesson

    for lesson in load_course(root / "notebooks" / "course.yaml").lessons:
        assert read_lesson(lesson.notebook).parameter_language == "en", lesson.notebook


def test_a_bare_dollar_sign_in_text_is_reported(tmp_path):
    def add_dollars(cells):
        cells.append(nbformat.v4.new_markdown_cell("They won $2.1 billion, then asked for $3 billion more."))
        cells.append(nbformat.v4.new_markdown_cell("Escaped: \\$20,000 each."))

    problems = _problems(tmp_path, add_dollars)
    dollars = [p for p in problems if "bare '$'" in p]
    assert len(dollars) == 1 and "01-alpha" in dollars[0], problems


# -- prompts: one test per message, each naming the file, the cell and the prompt ------------------

PROMPT_CELL = 7  # the fixture's prompt-data cell (cell 8 is the code cell that shows it)


def _with_prompt(tmp_path, data: str, call: str = 'choose("01-fixture-question")'):
    def set_prompt(cells):
        cells[6].source = data
        cells[7].source = call

    return _problems(tmp_path, set_prompt)


CHOICE = """id: 01-fixture-question
question: Which came first?
options:
  - The Page Act
  - The Exclusion Act
answer: The Page Act
"""


def test_a_well_formed_choice_lints_clean(tmp_path):
    assert _with_prompt(tmp_path, CHOICE) == []


@pytest.mark.parametrize(
    ("data", "call", "cell", "message"),
    [
        (
            CHOICE.replace("answer: The Page Act", "answer: The Geary Act"),
            None,
            PROMPT_CELL,
            "prompt '01-fixture-question': answer 'The Geary Act' is not one of the options",
        ),
        (
            CHOICE + "feedback:\n  The Burlingame Treaty: Not a law.\n",
            None,
            PROMPT_CELL,
            "prompt '01-fixture-question': feedback for 'The Burlingame Treaty', which is not one of the options",
        ),
        (
            CHOICE.replace("options:\n  - The Page Act\n  - The Exclusion Act\n", "options:\n  - The Page Act\n"),
            None,
            PROMPT_CELL,
            "prompt '01-fixture-question': options must be a list of at least two choices",
        ),
        (
            CHOICE.replace("question: Which came first?\n", ""),
            None,
            PROMPT_CELL,
            "prompt '01-fixture-question': needs a question",
        ),
        (CHOICE + "hint: think\n", None, PROMPT_CELL, "prompt '01-fixture-question': unknown key 'hint' for choose()"),
        (
            CHOICE.replace("id: 01-fixture-question", "id: 01-other-question"),
            None,
            8,
            "prompt '01-fixture-question': no 'prompt-data' cell with id: 01-fixture-question",
        ),
        (
            CHOICE.replace("id: 01-fixture-question", "id: 01-other-question"),
            None,
            PROMPT_CELL,
            "prompt '01-other-question': no code cell tagged 'prompt' shows it",
        ),
        (
            CHOICE,
            'choose("01-fixture-question", "Which came first?", ["a", "b"])',
            8,
            "prompt '01-fixture-question': move the question and options out of the code into a 'prompt-data' raw cell",
        ),
        (CHOICE, 'choose("01-Fixture")', 8, "prompt id '01-Fixture' must be two digits, a dash and lower-case words"),
        (
            CHOICE,
            'choose("02-fixture-question")',
            8,
            "prompt id '02-fixture-question' must start with this lesson's number",
        ),
        (CHOICE, "choose(", 8, "is not valid Python"),
        (CHOICE, 'choose("01-fixture-question")\nreflect("01-two")', 8, "a prompt cell calls exactly one of"),
        (
            "id: 01-fixture-question\nquestion: Which: came first?\n  - bad",
            None,
            PROMPT_CELL,
            "the YAML in this 'prompt-data' cell does not parse at line",
        ),
    ],
)
def test_each_prompt_problem_names_file_cell_and_prompt(tmp_path, data, call, cell, message):
    problems = _with_prompt(tmp_path, data, call or 'choose("01-fixture-question")')
    expected = f"01-alpha.ipynb: cell {cell}: {message}"
    assert any(expected in p for p in problems), problems


def test_scenario_best_must_name_a_choice(tmp_path):
    data = """id: 01-fixture-question
question: What would you do?
options: [Speak up, Stay quiet]
best: Speak louder
feedback: {Speak up: Strong., Stay quiet: Think again.}
"""
    problems = _with_prompt(tmp_path, data, 'scenario("01-fixture-question")')
    assert any(
        f"cell {PROMPT_CELL}: prompt '01-fixture-question': best choice 'Speak louder' is not one of the options" in p
        for p in problems
    ), problems


def test_a_prompt_data_cell_must_be_raw(tmp_path):
    def to_markdown(cells):
        cells[6] = md(cells[6].source, metadata={"tags": ["prompt-data"]})

    problems = _problems(tmp_path, to_markdown)
    assert any(
        f"cell {PROMPT_CELL}: a cell tagged 'prompt-data' must be a raw cell holding YAML" in p for p in problems
    )


def test_prompt_ids_are_unique_across_the_course(tmp_path):
    course = load_course(make_course(tmp_path, {"01-alpha": lesson_cells("01"), "01-again": lesson_cells("01")}))
    problems = [str(p) for p in lint_course(course)]
    assert any(
        "01-again.ipynb: cell 8: prompt id '01-fixture-question' is already used in 01-alpha.ipynb" in p
        for p in problems
    )


# -- parts -------------------------------------------------------------------------------------------

PARTS_CELL = 15  # the fixture's parts cell


def _with_parts(tmp_path, text: str):
    def set_parts(cells):
        cells[PARTS_CELL - 1].source = text

    return _problems(tmp_path, set_parts)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "parts:\n  - {name: Opening, start: Part one, minutes: {high-school: 45, community: 90}}\n",
            "the parts for high-school add up to 45 minutes, but course.yaml gives this lesson 50",
        ),
        (
            "parts:\n  - {name: Opening, start: Part nine, minutes: {high-school: 50, community: 90}}\n",
            "part 1 ('Opening'): start 'Part nine' names no cell",
        ),
        (
            "parts:\n  - {name: Opening, start: Part one, minutes: {high-school: 50, community: 90, college: 75}}\n",
            "part 'Opening': minutes for 'college', which is not an audience of this lesson",
        ),
        (
            "parts:\n  - {name: Opening, start: Part one, minutes: {high-school: 50, community: 90}, grouping: dance}\n",
            "part 1 ('Opening'): grouping 'dance' is not one of",
        ),
        (
            "parts:\n  - {name: A, start: Part one, minutes: {high-school: 25, community: 90}}\n"
            "  - {name: B, start: Part one, minutes: {high-school: 25}}\n",
            "parts 'A' and 'B' both start at cell",
        ),
        (
            "parts:\n  - {name: Opening, start: Part one, minutes: {high-school: ten, community: 90}}\n",
            "part 1 ('Opening'): minutes.high-school must be a whole number of minutes",
        ),
        ("parts: Opening", "the 'parts' cell must hold 'parts:' followed by a list of parts"),
    ],
)
def test_each_part_problem_names_file_cell_and_part(tmp_path, text, message):
    problems = _with_parts(tmp_path, text)
    assert any(f"01-alpha.ipynb: cell {PARTS_CELL}: {message}" in p for p in problems), problems


def test_a_part_may_start_at_a_prompt(tmp_path):
    text = (
        "parts:\n  - {name: Opening, start: Part one, minutes: {high-school: 40, community: 80}}\n"
        "  - {name: Question, start: 01-fixture-question, minutes: {high-school: 10, community: 10}}\n"
    )
    assert _with_parts(tmp_path, text) == []


def test_a_lesson_without_parts_is_reported(tmp_path):
    def drop(cells):
        del cells[PARTS_CELL - 1]

    problems = _problems(tmp_path, drop)
    assert any("01-alpha.ipynb: missing the lesson plan: a raw cell tagged 'parts'" in p for p in problems)


# -- Paper: exit tickets and screen-only words (issue 12) ------------------------------------------

EXIT_DATA = 9  # 0-based index of the fixture's exit-ticket data cell (cell 10; its code cell is 11)


def test_a_lesson_without_an_exit_ticket_fails(tmp_path):
    def drop_exit(cells):
        del cells[EXIT_DATA : EXIT_DATA + 3]

    problems = _problems(tmp_path, drop_exit)
    assert any("missing an exit ticket: a reflect prompt with id '01-exit'" in p for p in problems), problems


def test_the_exit_ticket_must_be_the_last_prompt_and_for_everyone(tmp_path):
    def move_exit(cells):
        exit_cells = cells[EXIT_DATA : EXIT_DATA + 3]
        del cells[EXIT_DATA : EXIT_DATA + 3]
        cells[6:6] = exit_cells
        exit_cells[1].metadata["tags"].append("for-community")

    problems = _problems(tmp_path, move_exit)
    assert any("must be the lesson's last prompt; move '01-fixture-question' above it" in p for p in problems)
    assert any("cell 8: the exit ticket '01-exit' is for every audience: remove its for- tags" in p for p in problems)


def test_screen_words_in_printed_text_fail_with_the_cell_and_the_fix(tmp_path):
    def add_screen_text(cells):
        cells.append(md("Hover over a point to see its source."))
        cells.append(md("Click Run.", metadata={"tags": ["screen-only"]}))  # fine: stays on screen
        cells[EXIT_DATA].source = cells[EXIT_DATA].source.replace("What is", "Use the slider and tell what is")

    problems = _problems(tmp_path, add_screen_text)
    screen = [p for p in problems if "says" in p]
    assert len(screen) == 2, problems
    assert any("cell 17: printed in the reader, but says 'Hover'" in p and "screen-only" in p for p in screen)
    assert any("cell 10: prompt '01-exit' is printed on the handout, but says 'slider'" in p for p in screen)


def test_a_bad_organizer_fails_lint(tmp_path):
    def add_organizer(cells):
        cells.insert(
            5, nbformat.v4.new_raw_cell("organizer: t-chart\nlabels: [only one]", metadata={"tags": ["organizer"]})
        )

    problems = _problems(tmp_path, add_organizer)
    assert any("cell 6: organizer: a t-chart has 2 to 4 labels (found 1)" in p for p in problems), problems


def test_preflight_stops_a_build_on_a_bad_organizer(tmp_path):
    from solidarity_edu.errors import NotebookError
    from solidarity_edu.lint import preflight

    cells = lesson_cells("01")
    cells.insert(
        5, nbformat.v4.new_raw_cell("organizer: notes\nlabels: [a, b]\nrows: 0", metadata={"tags": ["organizer"]})
    )
    course = load_course(make_course(tmp_path, {"01-alpha": cells}))
    with pytest.raises(NotebookError, match=r"cell 6: organizer: rows must be a whole number from 1 to 12"):
        preflight(course.lessons[0].notebook, course)
