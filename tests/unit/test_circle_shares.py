"""What may be shared with a circle: every field checked, with a message naming the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solidarity_edu.circle.catalogue import BUNDLED, Catalogue
from solidarity_edu.circle.shares import MAX_BODY_BYTES, MAX_TEXT, parse_share, validate_share
from solidarity_edu.course import load_course
from solidarity_edu.errors import CircleError, ShareRejected
from solidarity_edu.lesson import PROMPT_ID, course_prompts, prompt_manifest

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
    """A lesson question or option that the circle would refuse (too long, markup) is caught here, and
    what the widgets send (client.make_share) is accepted by the service's check against the lesson."""
    from solidarity_edu.circle.client import make_share

    catalogue = Catalogue.load()
    checked = 0
    for prompt in course_prompts(load_course(root / "notebooks" / "course.yaml")).values():
        if not prompt.shareable:
            continue
        options = list(prompt.options)
        if prompt.share_kind == "text":
            share = make_share(prompt.id, prompt.question, "text", "An answer.")
        elif prompt.share_kind == "choice":
            share = make_share(prompt.id, prompt.question, "choice", options[0], options)
        elif prompt.share_kind == "order":
            share = make_share(prompt.id, prompt.question, "order", options, options)
        else:
            share = make_share(prompt.id, prompt.question, "scale", dict.fromkeys(options, 1), options, prompt.steps)
        assert validate_share(share.to_dict(), catalogue) == share
        checked += 1
    assert checked >= 60, checked


# --- the lesson defines every prompt ----------------------------------------------------------------

CATALOGUE = Catalogue.from_manifest(
    {
        "version": 1,
        "prompts": {
            "07-who": {
                "lesson": "07",
                "kind": "text",
                "question": "Who?",
                "options": [],
                "steps": 0,
                "shareable": True,
            },
            "07-pick": {
                "lesson": "07",
                "kind": "choice",
                "question": "Which one?",
                "options": ["A", "B"],
                "steps": 0,
                "shareable": True,
            },
            "08-rate": {
                "lesson": "08",
                "kind": "scale",
                "question": "Rate these",
                "options": ["Clarity", "Care"],
                "steps": 5,
                "shareable": True,
            },
            "01-order": {
                "lesson": "01",
                "kind": "order",
                "question": "Put in order",
                "options": ["a", "b", "c"],
                "steps": 0,
                "shareable": True,
            },
            "08-mine": {
                "lesson": "08",
                "kind": "text",
                "question": "Me?",
                "options": [],
                "steps": 0,
                "shareable": False,
            },
        },
    }
)


def test_a_share_carries_the_lessons_question_options_and_scale_never_the_participants():
    share = validate_share({**GOOD, "question": "A question I made up"}, CATALOGUE)
    assert share.question == "Who?"
    rating = {"prompt": "08-rate", "question": "Rate 1 to 10", "kind": "scale", "options": ["Clarity", "Care", "Extra"]}
    share = validate_share({**rating, "value": {"Clarity": 5, "Care": 1}}, CATALOGUE)
    assert share.question == "Rate these" and share.options == ["Clarity", "Care"] and share.steps == 5
    choice = validate_share({"prompt": "07-pick", "kind": "choice", "value": "B", "options": ["B", "Z"]}, CATALOGUE)
    assert choice.options == ["A", "B"] and choice.question == "Which one?"


@pytest.mark.parametrize(
    ("payload", "field", "says"),
    [
        ({"prompt": "07-invented", "kind": "text", "value": "hi"}, "prompt", "not a prompt of this course"),
        ({"prompt": "08-mine", "kind": "text", "value": "hi"}, "prompt", "personal prompt"),
        ({"prompt": "07-pick", "kind": "scale", "value": {"A": 1}, "steps": 5}, "kind", "is a choice prompt"),
        ({"prompt": "07-pick", "kind": "choice", "value": "C"}, "value", "not one of the options the lesson offers"),
        ({"prompt": "08-rate", "kind": "scale", "value": {"Clarity": 10, "Care": 1}}, "value", "from 1 to 5"),
        ({"prompt": "08-rate", "kind": "scale", "value": {"Clarity": 5, "Care": 1}, "steps": 10}, "steps", "1 to 5"),
        ({"prompt": "08-rate", "kind": "scale", "value": {"Clarity": 5}}, "value", "each item"),
        ({"prompt": "08-rate", "kind": "scale", "value": {"Clarity": 5, "Care": 1, "X": 2}}, "value", "each item"),
        ({"prompt": "01-order", "kind": "order", "value": ["a", "b", "d"]}, "value", "exactly once"),
        ({"prompt": "01-order", "kind": "order", "value": ["a", "b"]}, "value", "exactly once"),
        ({"prompt": "01-order", "kind": "order", "value": ["a", 1, None]}, "value", "as texts"),
        ({"prompt": "01-order", "kind": "order", "value": ["a", ["b"], "c"]}, "value", "as texts"),
    ],
)
def test_a_share_that_does_not_fit_the_lessons_prompt_is_refused_saying_which_rule(payload, field, says):
    with pytest.raises(ShareRejected) as err:
        validate_share(payload, CATALOGUE)
    assert err.value.field == field and says in str(err.value), str(err.value)


def test_the_packaged_manifest_is_the_lesson_models_manifest(root):
    """The service's prompts come from the lesson model: the packaged file must be its current output
    (after changing a lesson: solidarity-edu circle manifest --out solidarity_edu/circle/prompts.json)."""
    course = load_course(root / "notebooks" / "course.yaml")
    assert json.loads(BUNDLED.read_text(encoding="utf-8")) == prompt_manifest(course)
    assert Catalogue.load().get("08-five-cs").steps == 5


def test_a_broken_manifest_is_a_clear_error(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"version": 1, "prompts": {"07-x": {"lesson": "07"}}}')
    with pytest.raises(CircleError, match="07-x"):
        Catalogue.load(bad)
    with pytest.raises(CircleError, match="circle manifest --out"):
        Catalogue.load(tmp_path / "missing.json")


# --- every malformed body is a 4xx, never a crash ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b'{"prompt": "07-who", "kind": "text", "value": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b'{"prompt": "07-who", "kind": "text", "value": "\\ud800"}', "lone surrogate"),
        (b'{"prompt": "07-who", "kind": "text", "value": "\\udc00 x"}', "lone surrogate"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"prompt": "07-who", "kind": "text", "value": NaN}', "must be text"),
    ],
)
def test_malformed_bodies_are_refused_with_a_message(body, says):
    with pytest.raises(ShareRejected) as err:
        parse_share(body, CATALOGUE)
    assert says in str(err.value), str(err.value)


@pytest.mark.parametrize(
    "prompt",
    ["07-who\n", "\u0660\u0667-who", "0\u0667-who", "07-who\x00", "07-WHO", "07--who", "07-who-", "\uff10\uff17-who"],
)
def test_prompt_ids_are_ascii_and_anchored_at_both_ends(prompt):
    with pytest.raises(ShareRejected) as err:
        validate_share({**GOOD, "prompt": prompt})
    assert err.value.field == "prompt"
    assert PROMPT_ID.fullmatch(prompt) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("\u202eylbirret", "override"),
        ("a \u2067isolate\u2069", "override"),
        ("mark\u200f", "override"),
        ("c1 \x85 next line", "control"),
        ("c1 \x9b csi", "control"),
        ("carriage\rreturn", "control"),
        ("escape \x1b[31m", "control"),
    ],
)
def test_bidi_overrides_and_control_characters_are_refused(text, says):
    with pytest.raises(ShareRejected) as err:
        validate_share({**GOOD, "value": text}, CATALOGUE)
    assert says in str(err.value)


def test_new_lines_tabs_and_right_to_left_scripts_are_welcome():
    text = "سلام\tline one\nשלום and 團結 ✊🏽"
    assert validate_share({**GOOD, "value": text}, CATALOGUE).value == text
