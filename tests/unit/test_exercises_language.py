"""Activities in the learner's language: prompts from the lesson's catalog (checked entries only), answers
kept in the journal under the same id and in English, so they read back in every language."""

from __future__ import annotations

import html
import logging

import ipywidgets as w
import nbformat
import polib
import pytest

from solidarity_edu import i18n
from solidarity_edu.exercises import choose, order_events, reflect, scale, scenario
from solidarity_edu.journal import Journal
from solidarity_edu.journal_export import to_markdown
from solidarity_edu.prompts import find_prompt
from solidarity_edu.translate import runtime

PROMPTS = {
    "01-court": (
        "choose",
        "id: 01-court\nquestion: What did the court hold?\noptions:\n  - Birthright citizenship\n  - Nothing\n"
        "answer: Birthright citizenship\nfeedback:\n  Nothing: Look again at 1898.\n",
    ),
    "01-bus": (
        "scenario",
        "id: 01-bus\nquestion: Someone is harassed on a bus.\noptions:\n  - Distract\n  - Ignore\n"
        "feedback:\n  Distract: It helps.\n  Ignore: It leaves them alone.\nbest: Distract\n",
    ),
    "01-when": (
        "order_events",
        "id: 01-when\nquestion: Put these in order.\nitems:\n  - First\n  - Second\n  - Third\n",
    ),
    "01-rate": ("scale", "id: 01-rate\nquestion: How sure are you?\nitems:\n  - Clarity\n  - Courage\n"),
    "01-why": ("reflect", "id: 01-why\nquestion: Why does it matter?\n"),
}
VI = {
    ("01-court/question", "What did the court hold?"): "Tòa án đã phán quyết gì?",
    ("01-court/options/0", "Birthright citizenship"): "Quyền công dân theo nơi sinh",
    ("01-court/options/1", "Nothing"): "Không gì cả",
    ("01-court/feedback/1", "Look again at 1898."): "Hãy xem lại năm 1898.",
    ("01-bus/question", "Someone is harassed on a bus."): "Có người bị quấy rối trên xe buýt.",
    ("01-bus/options/0", "Distract"): "Đánh lạc hướng",
    ("01-bus/options/1", "Ignore"): "Làm ngơ",
    ("01-bus/feedback/0", "It helps."): "Điều đó giúp ích.",
    ("01-bus/feedback/1", "It leaves them alone."): "Để họ một mình.",
    ("01-when/question", "Put these in order."): "Sắp xếp theo thứ tự.",
    ("01-when/options/0", "First"): "Thứ nhất",
    ("01-when/options/1", "Second"): "Thứ hai",
    ("01-when/options/2", "Third"): "Thứ ba",
    ("01-rate/question", "How sure are you?"): "Bạn chắc chắn đến mức nào?",
    ("01-rate/options/0", "Clarity"): "Rõ ràng",
    ("01-rate/options/1", "Courage"): "Can đảm",
}
FUZZY = {("01-why/question", "Why does it matter?"): "Tại sao điều đó quan trọng?"}


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    """A course folder with one lesson of five prompts, its Vietnamese catalog (one entry fuzzy), and a
    private journal; the kernel runs in notebooks/ as lessons do."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "course.yaml").write_text("title: t\n", encoding="utf-8")
    cells = []
    for pid, (kind, data) in PROMPTS.items():
        cells.append(nbformat.v4.new_raw_cell(data, metadata={"tags": ["prompt-data"]}))
        cells.append(nbformat.v4.new_code_cell(f"{kind}({pid!r})", metadata={"tags": ["prompt", "hide-input"]}))
    nbformat.write(nbformat.v4.new_notebook(cells=cells), notebooks / "01-alpha.ipynb")
    folder = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "vi"}
    for (context, english), vietnamese in VI.items():
        po.append(polib.POEntry(msgctxt=context, msgid=english, msgstr=vietnamese))
    for (context, english), vietnamese in FUZZY.items():
        po.append(polib.POEntry(msgctxt=context, msgid=english, msgstr=vietnamese, flags=["fuzzy"]))
    po.save(str(folder / "01-alpha.po"))
    monkeypatch.chdir(notebooks)
    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(tmp_path))
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(tmp_path / "journal.sqlite3"))
    monkeypatch.delenv("SOLIDARITY_EDU_LANGUAGE", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    runtime._said.clear()  # "said once" is per kernel: each test is a fresh one
    yield tmp_path
    i18n.use_language(None)


def find(widget, kind, where=lambda x: True):
    found = [widget] if isinstance(widget, kind) and where(widget) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind, where)
    return found


def labels(activity):
    return [b.description for b in find(activity.widget, w.Button)]


def texts(activity):
    return html.unescape(" ".join(h.value for h in find(activity.widget, w.HTML)))


def click(activity, label):
    [target] = find(activity.widget, w.Button, lambda b: b.description == label)
    target.click()


def test_a_prompt_is_shown_in_the_learners_language():
    i18n.use_language("vi")
    activity = choose("01-court")
    assert "Tòa án đã phán quyết gì?" in texts(activity)
    assert "Quyền công dân theo nơi sinh" in labels(activity) and "Birthright citizenship" not in labels(activity)
    assert activity.text == "Tòa án đã phán quyết gì?"
    assert "Không gì cả" in activity.static_html  # the printed form too
    assert find_prompt("01-court").question == "Tòa án đã phán quyết gì?"
    assert find_prompt("01-court", language="en").question == "What did the court hold?"


def test_english_is_shown_without_a_language_or_a_checked_translation(caplog):
    assert "What did the court hold?" in texts(choose("01-court"))
    i18n.use_language("vi")
    with caplog.at_level(logging.WARNING):
        reflect("01-why")
        again = reflect("01-why")
    assert "Why does it matter?" in texts(again)  # the only translation is fuzzy: not yet checked
    assert caplog.text.count("prompt 01-why has no checked vi translation of question") == 1
    i18n.use_language("zh-Hant")  # no catalog at all
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert "What did the court hold?" in texts(choose("01-court"))
        choose("01-court")
    assert caplog.text.count("no zh-Hant catalog for lesson 01") == 1


def test_a_choice_saved_in_english_is_selected_in_vietnamese_and_the_reverse():
    journal = Journal()
    english = choose("01-court")
    click(english, "Nothing")
    click(english, "Check my answer")
    assert journal.latest("01-court").value == "Nothing"
    i18n.use_language("vi")
    vietnamese = choose("01-court")
    assert "Không gì cả (selected)" in labels(vietnamese)
    click(vietnamese, "Quyền công dân theo nơi sinh")
    click(vietnamese, "Check my answer")
    assert journal.latest("01-court").value == "Birthright citizenship"  # same id, English option
    assert "Yes, that's right." in texts(vietnamese)
    i18n.use_language("en")
    assert "Birthright citizenship (selected)" in labels(choose("01-court"))


def test_scenario_feedback_and_verdict_follow_the_choice_in_vietnamese():
    i18n.use_language("vi")
    activity = scenario("01-bus")
    click(activity, "Đánh lạc hướng")
    click(activity, "See what happens")
    assert "Điều đó giúp ích." in texts(activity) and "A strong choice." in texts(activity)
    assert Journal().latest("01-bus").value == "Distract"


def test_an_order_and_ratings_are_kept_in_english_and_read_back_in_either_language():
    journal = Journal()
    i18n.use_language("vi")
    activity = order_events("01-when")
    assert all(item in texts(activity) for item in ("Thứ nhất", "Thứ hai", "Thứ ba"))
    click(activity, "Check the order")
    saved = journal.latest("01-when").value
    assert sorted(saved) == ["First", "Second", "Third"]
    i18n.use_language("en")
    shown = texts(order_events("01-when"))
    assert [shown.index(item) for item in saved] == sorted(shown.index(item) for item in saved)

    journal.save("01-rate", {"Clarity": 4, "Courage": 2})
    i18n.use_language("vi")
    activity = scale("01-rate")
    rows = find(activity.widget, w.ToggleButtons)
    assert [(r.description, r.value) for r in rows] == [("Rõ ràng", 4), ("Can đảm", 2)]
    rows[1].value = 5
    click(activity, "Save and show my chart")
    assert journal.latest("01-rate").value == {"Clarity": 4, "Courage": 5}


def test_a_journal_written_before_translations_still_loads():
    journal = Journal()
    journal.save("01-court", "Nothing", question="What did the court hold?")  # how answers were always kept
    journal.save("01-when", ["Second", "First", "Third"], question="Put these in order.")
    i18n.use_language("vi")
    assert "Không gì cả (selected)" in labels(choose("01-court"))
    shown = texts(order_events("01-when"))
    assert shown.index("Thứ hai") < shown.index("Thứ nhất") < shown.index("Thứ ba")


def test_an_answer_kept_as_the_text_the_learner_read_is_found_in_that_language():
    Journal().save("01-court", "Không gì cả")
    i18n.use_language("vi")
    assert "Không gì cả (selected)" in labels(choose("01-court"))


def test_the_journal_export_shows_choices_in_the_current_language():
    journal = Journal()
    journal.save("01-court", "Nothing", question="What did the court hold?")
    journal.save("01-rate", {"Clarity": 4}, question="How sure are you?")
    journal.save("01-why", "Because.", question="Why does it matter?")
    journal.save("07-gone", "Kept as saved", question="A prompt no lesson has now")
    i18n.use_language("vi")
    page = to_markdown(journal.latest_answers())
    assert "Tòa án đã phán quyết gì?" in page and "Không gì cả" in page and "Rõ ràng: 4" in page
    assert "Because." in page and "Why does it matter?" in page
    assert "A prompt no lesson has now" in page and "Kept as saved" in page
    i18n.use_language("en")
    assert "Nothing" in to_markdown(journal.latest_answers())


def test_a_lesson_copy_carrying_translated_prompts_still_saves_the_english(project, monkeypatch):
    """A student copy of a Vietnamese build holds its prompts in Vietnamese: answers are kept in English."""
    import yaml

    from solidarity_edu.lesson import read_lesson
    from solidarity_edu.translate.prompts import translate_prompt

    english = read_lesson(project / "notebooks" / "01-alpha.ipynb")
    table = {context: vietnamese for (context, _), vietnamese in VI.items()}
    cells = []
    for prompt in english.prompts:
        data = translate_prompt(prompt, lambda context, text: table.get(context)).to_data()
        cells.append(
            nbformat.v4.new_raw_cell(yaml.safe_dump(data, allow_unicode=True), metadata={"tags": ["prompt-data"]})
        )
        cells.append(nbformat.v4.new_code_cell(f"{prompt.kind}({prompt.id!r})", metadata={"tags": ["prompt"]}))
    copy = project / "student-vi"
    copy.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=cells), copy / "01-alpha.ipynb")
    monkeypatch.chdir(copy)
    i18n.use_language("vi")
    assert find_prompt("01-court", language="en").options == ("Birthright citizenship", "Nothing")
    activity = scenario("01-bus")
    assert "Đánh lạc hướng" in labels(activity)
    click(activity, "Làm ngơ")
    click(activity, "See what happens")
    assert Journal().latest("01-bus").value == "Ignore"
    assert "Để họ một mình." in texts(activity)
