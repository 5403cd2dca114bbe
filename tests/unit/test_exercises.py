"""The activity widgets: live widget + static printed form; answers restored from and saved to the journal."""

from __future__ import annotations

import ipywidgets as w
import pytest

from solidarity_edu.exercises import action_plan, choose, order_events, reflect, scale, scenario
from solidarity_edu.journal import Journal
from solidarity_edu.tags import STATIC_FORM_CLASS, VEGA_LITE_MIME, WIDGET_MIME


@pytest.fixture(autouse=True)
def private_journal(tmp_path, monkeypatch):
    path = tmp_path / "journal.sqlite3"
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(path))
    return Journal(path)


def find(widget, kind, where=lambda x: True):
    """Every descendant of ``widget`` of type ``kind`` (in order)."""
    found = [widget] if isinstance(widget, kind) and where(widget) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind, where)
    return found


def button(activity, label):
    return find(activity.widget, w.Button, lambda b: b.description == label)[0]


def status(activity):
    return [h.value for h in find(activity.widget, w.HTML)]


ALL = [
    lambda: reflect("00-a", "Q <b>?"),
    lambda: choose("00-b", "Q <b>?", ["x", "y"], answer="x"),
    lambda: order_events("00-c", "Q <b>?", ["one", "two", "three"]),
    lambda: scale("00-d", "Q <b>?", ["Clarity", "Centering"]),
    lambda: scenario("00-e", "Q <b>?", {"Distract": "ok", "Ignore": "no"}, best="Distract"),
    lambda: action_plan("00-f"),
]


@pytest.mark.parametrize("make", ALL)
def test_every_activity_has_widget_labels_and_a_static_form(make):
    activity = make()
    bundle = activity._repr_mimebundle_()
    assert WIDGET_MIME in bundle
    assert STATIC_FORM_CLASS in bundle["text/html"]
    assert "<b>" not in bundle["text/html"]  # the question is escaped
    inputs = find(activity.widget, (w.Textarea, w.ToggleButtons, w.Dropdown, w.Button))
    assert inputs and all(i.description for i in inputs), "every input has a visible label"
    assert find(activity.widget, w.Button)


def test_reflect_restores_saves_and_never_prints_the_answer(private_journal):
    private_journal.save("00-hopes", "MY-PRIVATE-ANSWER")
    activity = reflect("00-hopes", "What do you hope?", optional=True)
    assert "MY-PRIVATE-ANSWER" not in activity.static_html
    assert "You can skip this question." in activity.static_html
    area = find(activity.widget, w.Textarea)[0]
    assert area.value == "MY-PRIVATE-ANSWER"
    area.value = "typed"
    button(activity, "Save").click()
    assert private_journal.latest("00-hopes").value == "typed"
    assert any("Saved privately" in s for s in status(activity))


def test_choose_gives_feedback_and_saves(private_journal):
    activity = choose("00-privacy", "Who?", ["Me", "Everyone"], answer="Me", feedback={"Everyone": "No."})
    button(activity, "Everyone").click()
    assert "se-selected" in button(activity, "Everyone (selected)")._dom_classes
    button(activity, "Check my answer").click()
    assert any(s.startswith("Not quite.") and "No." in s for s in status(activity))
    assert private_journal.latest("00-privacy").value == "Everyone"
    with pytest.raises(ValueError, match="not one of the options"):
        choose("00-x", "Q", ["a"], answer="b")


def test_order_events_shuffles_moves_and_checks(private_journal):
    items = ["1882", "1892", "1924", "1943"]
    activity = order_events("01-order", "Order", items, feedback="Well done.")

    def shown():
        return [
            r.children[0].value.split(". ", 1)[1].removesuffix("</span>") for r in activity.widget.children[1].children
        ]

    assert shown() != items and sorted(shown()) == items
    # Sort by pressing Up buttons only, as a keyboard user would (bubble sort).
    for _ in range(len(items)):
        for i in range(1, len(items)):
            if shown()[i] < shown()[i - 1]:
                activity.widget.children[1].children[i].children[1].click()
    assert shown() == items
    button(activity, "Check the order").click()
    assert any("All 4 are in the right order. Well done." in s for s in status(activity))
    assert private_journal.latest("01-order").value == items


def test_scale_saves_ratings_and_draws_a_chart(private_journal):
    activity = scale("08-five-cs", "Rate", ["Clarity", "Centering"], steps=5)
    sliders = find(activity.widget, w.ToggleButtons)
    sliders[0].value, sliders[1].value = 4, 2
    button(activity, "Save and show my chart").click()
    assert private_journal.latest("08-five-cs").value == {"Clarity": 4, "Centering": 2}
    chart = find(activity.widget, w.Output)[0]
    assert chart.outputs and VEGA_LITE_MIME in chart.outputs[0]["data"]
    assert "Clarity at 4" in chart.outputs[0]["data"][VEGA_LITE_MIME]["description"]


def test_scenario_feedback_per_choice(private_journal):
    activity = scenario(
        "09-bus", "On a bus ...", {"Distract": "Good: it interrupts.", "Ignore": "Think again."}, best=["Distract"]
    )
    button(activity, "Ignore").click()
    button(activity, "See what happens").click()
    assert any("Worth thinking about another choice too. Think again." in s for s in status(activity))
    button(activity, "Distract").click()
    button(activity, "See what happens").click()
    assert any("A strong choice. Good: it interrupts." in s for s in status(activity))
    assert [e.value for e in private_journal.history("09-bus")] == ["Ignore", "Distract"]


def test_action_plan_saves_and_restores(private_journal):
    activity = action_plan("09-plan")
    find(activity.widget, w.Textarea)[0].value = "Join the phone bank"
    button(activity, "Save my plan").click()
    saved = private_journal.latest("09-plan").value
    assert saved["what"] == "Join the phone bank" and saved["risk"].startswith("Low")
    again = action_plan("09-plan")
    assert find(again.widget, w.Textarea)[0].value == "Join the phone bank"


def test_a_broken_journal_shows_a_sentence_not_a_traceback(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SOLIDARITY_EDU_JOURNAL", str(blocker / "journal.sqlite3"))
    activity = reflect("00-a", "Q?")
    assert any("could not be opened" in s for s in status(activity))
    find(activity.widget, w.Textarea)[0].value = "still here"
    button(activity, "Save").click()
    assert any("your answer is still here" in s for s in status(activity))
    assert find(activity.widget, w.Textarea)[0].value == "still here"
