"""'Share with my circle' under a prompt: off by default, only what the learner chooses, withdrawable,
and a failure to share never touches the private journal. Run with the local circle store."""

from __future__ import annotations

import json

import ipywidgets as w
import pytest
from test_exercises import button, find

from solidarity_edu.circle.store import CircleStore
from solidarity_edu.cli import main
from solidarity_edu.exercises import SHARE_LABEL, action_plan, choose, reflect, scale
from solidarity_edu.journal import Journal


@pytest.fixture
def circle_db(tmp_path, monkeypatch):
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(tmp_path / "me" / "journal.sqlite3"))
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE", "local")
    url = f"sqlite:///{tmp_path / 'circle.sqlite3'}"
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", url)
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_SECRET_FILE", str(tmp_path / "secret" / "circle.secret"))
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE_URL", raising=False)
    return url


def share_box(activity):
    boxes = find(activity.widget, w.Checkbox)
    assert len(boxes) == 1 and boxes[0].description == SHARE_LABEL
    return boxes[0]


def notes(activity):
    return " ".join(h.value for h in find(activity.widget, w.HTML))


def shared_values(url, lesson=None):
    return [s.value for s in CircleStore(url).all_shares(lesson)]


def test_nothing_is_shared_until_the_learner_ticks_and_untick_withdraws(circle_db):
    act = reflect("07-signs", "What made it look like solidarity?")
    box = share_box(act)
    assert box.value is False
    box.value = True  # nothing saved yet
    assert box.value is False and "Save an answer first" in notes(act)
    assert shared_values(circle_db) == []
    find(act.widget, w.Textarea)[0].value = "They asked first & listened."
    button(act, "Save").click()
    assert shared_values(circle_db) == []  # saving is private
    box.value = True
    assert shared_values(circle_db) == ["They asked first & listened."]
    assert "Shared with your circle, without your name" in notes(act)
    find(act.widget, w.Textarea)[0].value = "They asked first, listened, and stayed."
    button(act, "Save").click()
    assert shared_values(circle_db) == ["They asked first, listened, and stayed."]  # the share follows the answer
    again = reflect("07-signs", "What made it look like solidarity?")
    assert share_box(again).value is True  # remembered in a new kernel
    box.value = False
    assert shared_values(circle_db) == [] and "Withdrawn" in notes(act)


def test_an_answer_the_circle_refuses_stays_saved_privately(circle_db):
    act = reflect("07-signs", "Q")
    find(act.widget, w.Textarea)[0].value = "<script>alert('hi')</script>"
    button(act, "Save").click()
    share_box(act).value = True
    assert share_box(act).value is False
    assert "Not shared" in notes(act) and "still saved privately" in notes(act)
    assert Journal().latest("07-signs").value == "<script>alert('hi')</script>"
    assert shared_values(circle_db) == []


def test_choices_and_ratings_are_shared_for_the_summary(circle_db, tmp_path):
    act = choose("07-plan", "Which plan?", ["Ask first", "Post a graphic"])
    button(act, "Ask first").click()
    button(act, "Check my answer").click()
    share_box(act).value = True
    rating = scale("08-five-cs", "Rate", ["Clarity", "Care"])
    find(rating.widget, w.ToggleButtons)[0].value = 4
    button(rating, "Save and show my chart").click()
    share_box(rating).value = True
    assert shared_values(circle_db, "07") == ["Ask first"]
    assert shared_values(circle_db, "08") == [{"Clarity": 4, "Care": 1}]
    out = tmp_path / "summary.html"
    prompts = tmp_path / "prompts.json"  # this test's own prompts, as `solidarity-edu circle manifest` writes them
    prompt = {"lesson": "08", "kind": "scale", "question": "Rate", "options": ["Clarity", "Care"], "steps": 5}
    prompts.write_text(json.dumps({"version": 1, "prompts": {"08-five-cs": {**prompt, "shareable": True}}}))
    summary = ["circle", "summary", "--lesson", "08", "--out", str(out), "--database", circle_db]
    assert main([*summary, "--prompts", str(prompts), "--min-shares", "1"]) == 0
    page = out.read_text()
    assert "Clarity" in page and "4.0 (rated by 1)" in page and "Ask first" not in page
    assert main([*summary, "--prompts", str(prompts)]) == 0  # k = 3 by default: one share shows nothing
    assert "4.0" not in out.read_text() and "Nothing to show yet" in out.read_text()


def test_personal_prompts_and_places_without_a_circle_offer_no_sharing(circle_db, monkeypatch):
    assert find(reflect("06-my-lens", "Only for you", optional=True).widget, w.Checkbox) == []
    assert find(action_plan("09-plan").widget, w.Checkbox) == []
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE")
    assert find(reflect("07-signs", "Q").widget, w.Checkbox) == []


def test_an_unreachable_circle_disables_sharing_but_saving_works(circle_db, monkeypatch):
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_URL", "http://127.0.0.1:9/services/circle/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token")
    act = reflect("07-signs", "Q")
    box = share_box(act)
    assert box.disabled and "Sharing is not available right now" in notes(act)
    find(act.widget, w.Textarea)[0].value = "kept"
    button(act, "Save").click()
    assert Journal().latest("07-signs").value == "kept"
