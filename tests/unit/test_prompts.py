"""Prompts as data: a lesson's one-line activity finds its question in the notebook, in source and
student copies alike, and an author's mistake is a PromptError that says what to change."""

from __future__ import annotations

import nbformat
import pytest
from fixtures.make_course import lesson_cells, write_notebook

from solidarity_edu.builder.transforms import student_copy
from solidarity_edu.errors import PromptError
from solidarity_edu.exercises import choose, reflect
from solidarity_edu.lesson import read_lesson
from solidarity_edu.prompts import build_prompt, find_prompt

QUESTION = "What is the fixture question 01?"


@pytest.fixture
def journal(tmp_path, monkeypatch):
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(tmp_path / "journal" / "j.sqlite3"))


def test_an_activity_finds_its_prompt_in_the_lesson_it_runs_in(tmp_path, monkeypatch, journal):
    write_notebook(tmp_path / "01-alpha.ipynb", lesson_cells("01"))
    monkeypatch.chdir(tmp_path)
    activity = reflect("01-fixture-question")
    assert activity.text == QUESTION and QUESTION in activity.static_html


def test_a_student_copy_carries_its_prompts_in_metadata(tmp_path, monkeypatch, journal):
    source = nbformat.read(_write(tmp_path / "src", "01-alpha.ipynb"), 4)
    copy = student_copy(source, "high-school")
    assert not [c for c in copy.cells if c.cell_type == "raw"], "no raw data cell reaches a student"
    prompt_cell = next(c for c in copy.cells if "prompt" in c.metadata.get("tags", []))
    assert prompt_cell.source == 'reflect("01-fixture-question")'
    assert prompt_cell.metadata["solidarity_edu"]["prompt"]["question"] == QUESTION
    folder = tmp_path / "student"
    folder.mkdir()
    nbformat.write(copy, folder / "student.ipynb")
    monkeypatch.chdir(folder)
    assert reflect("01-fixture-question").text == QUESTION
    assert read_lesson(folder / "student.ipynb").prompts[0].question == QUESTION


def test_the_notebook_jupyter_opened_is_read_first(tmp_path, monkeypatch):
    cells = lesson_cells("01")
    cells[6].source = cells[6].source.replace("What is", "Which is")
    elsewhere = _write(tmp_path / "elsewhere", "renamed.ipynb", cells)
    _write(tmp_path / "here", "01-alpha.ipynb")
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.setenv("JPY_SESSION_NAME", str(elsewhere))
    assert find_prompt("01-fixture-question").question.startswith("Which is")


def test_a_prompt_with_no_data_says_where_it_looked(tmp_path, monkeypatch):
    _write(tmp_path, "01-alpha.ipynb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    with pytest.raises(PromptError, match=r"no data for prompt '01-missing' in 01-alpha.ipynb"):
        find_prompt("01-missing")


def test_calling_a_prompt_with_the_wrong_activity_is_named(tmp_path, monkeypatch, journal):
    _write(tmp_path, "01-alpha.ipynb")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PromptError, match=r"shows this prompt with reflect\(\), not choose\(\)"):
        choose("01-fixture-question")


def test_author_mistakes_in_arguments_are_prompt_errors_and_value_errors(journal):
    with pytest.raises(PromptError, match=r"choose\('00-x'\): .*answer 'b' is not one of the options") as info:
        choose("00-x", "Q", ["a", "c"], answer="b")
    assert isinstance(info.value, ValueError)


def test_prompt_data_round_trips():
    data = {
        "id": "08-x",
        "question": "What now?",
        "options": ["A", "B"],
        "best": ["A"],
        "feedback": {"A": "Strong.", "B": "Think again."},
    }
    prompt, problems = build_prompt("scenario", data)
    assert problems == [] and prompt.to_data() == data
    again, _ = build_prompt("scenario", prompt.to_data())
    assert again == prompt


def _write(folder, name, cells=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    write_notebook(path, cells or lesson_cells("01"))
    return path
