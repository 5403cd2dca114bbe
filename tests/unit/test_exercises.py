from __future__ import annotations

import pytest

from solidarity_edu.exercises import choose, reflect
from solidarity_edu.journal import Journal
from solidarity_edu.tags import STATIC_FORM_CLASS, WIDGET_MIME


@pytest.fixture(autouse=True)
def private_journal(tmp_path, monkeypatch):
    path = tmp_path / "journal.sqlite3"
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(path))
    return Journal(path)


def test_reflect_shows_widget_and_static_form_without_the_answer(private_journal):
    private_journal.save("00-hopes", "MY-PRIVATE-ANSWER")
    activity = reflect("00-hopes", "What <b>do</b> you hope?")
    bundle = activity._repr_mimebundle_()
    assert WIDGET_MIME in bundle
    assert STATIC_FORM_CLASS in bundle["text/html"]
    assert "What &lt;b&gt;do&lt;/b&gt; you hope?" in bundle["text/html"]
    assert "MY-PRIVATE-ANSWER" not in bundle["text/html"]
    area = activity.widget.children[1]
    assert area.value == "MY-PRIVATE-ANSWER"  # restored from the journal


def test_reflect_saves_on_button(private_journal):
    activity = reflect("00-hopes", "Q?")
    activity.widget.children[1].value = "typed"
    save_button = activity.widget.children[2].children[0]
    save_button.click()
    assert private_journal.latest("00-hopes").value == "typed"
    assert "Saved privately" in activity.widget.children[2].children[1].value


def test_choose_gives_feedback_and_saves(private_journal):
    activity = choose("00-privacy", "Who?", ["Me", "Everyone"], answer="Me", feedback={"Everyone": "No."})
    radios, check, out = activity.widget.children[1:]
    radios.value = "Everyone"
    check.click()
    assert out.value.startswith("Not quite.") and "No." in out.value
    assert private_journal.latest("00-privacy").value == "Everyone"
    with pytest.raises(ValueError, match="not one of the options"):
        choose("00-x", "Q", ["a"], answer="b")
