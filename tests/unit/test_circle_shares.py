"""What may be shared with a circle: every field checked, with a message naming the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solidarity_edu.circle.shares import MAX_BODY_BYTES, MAX_TEXT, parse_share, validate_share
from solidarity_edu.course import load_course
from solidarity_edu.errors import ShareRejected
from solidarity_edu.lesson import course_prompts

GOOD = {"prompt": "07-who", "question": "Who?", "kind": "text", "value": "My neighbours & me <3"}


def test_a_reflection_with_ordinary_punctuation_is_accepted():
    share = validate_share(GOOD)
    assert share.value == "My neighbours & me <3" and share.lesson == "07"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prompt": "who"}, "prompt"),
        ({"prompt": "07-Who Is"}, "prompt"),
        ({"kind": "essay"}, "kind"),
        ({"value": ""}, "value"),
        ({"value": 42}, "value"),
        ({"value": "x" * (MAX_TEXT + 1)}, "value"),
        ({"value": "<script>alert(1)</script>"}, "value"),
        ({"value": "look <img src=x onerror=alert(1)>"}, "value"),
        ({"value": "javascript:alert(1)"}, "value"),
        ({"value": "bell\x07"}, "value"),
        ({"question": "<b>Who</b>"}, "question"),
        ({"name": "Ana"}, "name"),
    ],
)
def test_bad_shares_are_refused_naming_the_field(change, field):
    with pytest.raises(ShareRejected) as err:
        validate_share({**GOOD, **change})
    assert err.value.field == field
    assert str(err.value).startswith(field)


def test_choices_orders_and_scales_must_fit_their_options():
    choice = {"prompt": "08-which", "question": "Which?", "kind": "choice", "options": ["A", "B"]}
    assert validate_share({**choice, "value": "A"}).value == "A"
    with pytest.raises(ShareRejected, match="not one of the options"):
        validate_share({**choice, "value": "C"})
    order = {"prompt": "01-order", "question": "Order?", "kind": "order", "options": ["a", "b", "c"]}
    assert validate_share({**order, "value": ["c", "a", "b"]}).value == ["c", "a", "b"]
    with pytest.raises(ShareRejected):
        validate_share({**order, "value": ["a", "a", "b"]})
    scale = {"prompt": "08-five-cs", "question": "Rate", "kind": "scale", "options": ["Clarity", "Care"], "steps": 5}
    assert validate_share({**scale, "value": {"Clarity": 5, "Care": 1}}).steps == 5
    for bad in ({"Clarity": 6, "Care": 1}, {"Clarity": 5}, {"Clarity": True, "Care": 1}):
        with pytest.raises(ShareRejected):
            validate_share({**scale, "value": bad})


def test_bodies_are_bounded_and_must_be_json():
    with pytest.raises(ShareRejected, match="limit"):
        parse_share(b"{" + b" " * MAX_BODY_BYTES + b"}")
    with pytest.raises(ShareRejected, match="JSON"):
        parse_share(b"{not json")
    with pytest.raises(ShareRejected, match="JSON object"):
        parse_share(b"[1, 2]")
    assert parse_share(json.dumps(GOOD).encode()).prompt == "07-who"


@given(st.text(max_size=300))
def test_any_text_is_either_accepted_unchanged_or_refused_with_a_field(text):
    try:
        share = validate_share({**GOOD, "value": text})
    except ShareRejected as err:
        assert err.field == "value"
    else:
        assert share.value == text and "<script" not in text.lower()


def test_every_shareable_prompt_in_the_lessons_can_be_shared(root):
    """A lesson question or option that the circle would refuse (too long, markup) is caught here."""
    from solidarity_edu.circle.client import make_share

    checked = 0
    for prompt in course_prompts(load_course(root / "notebooks" / "course.yaml")).values():
        if not prompt.shareable:
            continue
        options = list(prompt.options)
        if prompt.share_kind == "text":
            make_share(prompt.id, prompt.question, "text", "An answer.")
        elif prompt.share_kind == "choice":
            make_share(prompt.id, prompt.question, "choice", options[0], options)
        elif prompt.share_kind == "order":
            make_share(prompt.id, prompt.question, "order", options, options)
        else:
            make_share(prompt.id, prompt.question, "scale", dict.fromkeys(options, 1), options, prompt.steps)
        checked += 1
    assert checked >= 60, checked
