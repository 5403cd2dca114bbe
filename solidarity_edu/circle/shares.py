"""What a share is, and the rules every share must respect before it is stored or shown.

A share is one answer to one prompt: ``{"prompt": "07-who", "question": "...", "kind": "text",
"value": "...", "options": [...], "steps": 5}``. Kinds:

- ``text``    a reflection (value: text)
- ``choice``  one of ``options`` (choose, scenario)
- ``order``   ``options`` put in an order (value: the list)
- ``scale``   a rating 1..``steps`` for each item in ``options`` (value: {item: rating})

This module is the one place that decides what may be shared. ``validate_share(payload, catalogue)``
checks a share against the lesson (:mod:`.catalogue`): the prompt must be one of the course's shareable
prompts, of the same kind, with a value the lesson offers (an option it lists, a rating on its scale, its
own items in some order). The share it returns carries the *lesson's* question, options and scale, never
the participant's, so nothing a participant sends can relabel the facilitator's page. Without a
catalogue (a local circle on one computer) only the shape is checked.

Limits keep the service safe and the facilitator's page readable: sizes are bounded; control characters
(other than newline and tab), bidirectional overrides and lone surrogates are refused; anything that
looks like HTML markup (``<script>``, ``<img ...>``) is refused with a message, so a participant learns
why rather than seeing their words silently changed. Everything is escaped again wherever it is shown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ShareRejected
from ..lesson import PROMPT_ID, prompt_id_problem
from .catalogue import SHARE_KINDS, Catalogue

KINDS = SHARE_KINDS
MAX_BODY_BYTES = 16 * 1024
MAX_TEXT = 2000
MAX_QUESTION = 1500
MAX_OPTION = 300
MAX_OPTIONS = 20
MAX_STEPS = 10
_MARKUP = re.compile(r"<[a-zA-Z!/?]|javascript\s*:", re.IGNORECASE)
# C0 controls except tab and newline, DEL, and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides, embeddings, isolates and marks: they make "!ylbirret" display as "terribly!".
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ALLOWED_KEYS = {"prompt", "question", "kind", "value", "options", "steps"}


@dataclass(frozen=True)
class Share:
    """One validated answer shared with the circle. It carries no name and no account."""

    prompt: str
    question: str
    kind: str
    value: Any
    options: list[str] = field(default_factory=list)
    steps: int = 0

    @property
    def lesson(self) -> str:
        return self.prompt.split("-", 1)[0]

    def to_dict(self) -> dict:
        return {
            "prompt": self.prompt,
            "question": self.question,
            "kind": self.kind,
            "value": self.value,
            "options": list(self.options),
            "steps": self.steps,
        }


@dataclass(frozen=True)
class StoredShare:
    """A share as a store holds it: its random row id (never an owner key, never a name) and the share."""

    id: int
    share: Share


def _text(name: str, value: Any, limit: int, *, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise ShareRejected(name, f"must be text, not {type(value).__name__}")
    if not value.strip() and not empty_ok:
        raise ShareRejected(name, "is empty; write something before sharing")
    if len(value) > limit:
        raise ShareRejected(name, f"is {len(value)} characters long; the limit is {limit}. Shorten it and share again")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ShareRejected(name, "contains a broken character (a lone surrogate); retype it as plain text") from err
    if _CONTROL.search(value):
        raise ShareRejected(name, "contains control characters; retype it as plain text (new lines and tabs are fine)")
    if _BIDI.search(value):
        raise ShareRejected(
            name, "contains invisible right-to-left or left-to-right override characters; retype it as plain text"
        )
    if _MARKUP.search(value):
        raise ShareRejected(
            name, "looks like HTML or a script (for example '<script>'); remove the angle brackets and share again"
        )
    return value


def _options(raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_OPTIONS:
        raise ShareRejected("options", f"must be a list of at most {MAX_OPTIONS} texts")
    options = [_text("options", o, MAX_OPTION) for o in raw]
    if len(set(options)) != len(options):
        raise ShareRejected("options", "has the same option twice")
    return options


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _order(value: Any, options: list[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ShareRejected("value", "must be a list of the items, as texts, in the chosen order")
    if not options or len(value) != len(options) or set(value) != set(options):
        raise ShareRejected(
            "value", f"must list each of the prompt's {len(options)} items exactly once, in the chosen order"
        )
    return value


def _ratings(value: Any, items: list[str] | None, steps: int) -> dict[str, int]:
    if not isinstance(value, dict) or not value or (items and set(value) != set(items)):
        raise ShareRejected("value", "must give a rating for each item of the prompt, and nothing else")
    for item, rating in value.items():
        _text("value", item, MAX_OPTION)
        if not _whole(rating) or not 1 <= rating <= steps:
            raise ShareRejected("value", f"the rating for {item!r} must be a whole number from 1 to {steps}")
    return value


def _shape(payload: Any) -> tuple[str, str, list[str], Any, Any]:
    """The fields every share has, checked for type and size: (prompt, kind, options, steps, value)."""
    if not isinstance(payload, dict):
        raise ShareRejected("body", 'must be a JSON object like {"prompt": "07-who", "kind": "text", ...}')
    unknown = sorted(set(payload) - _ALLOWED_KEYS)
    if unknown:
        raise ShareRejected(unknown[0], f"is not a field of a share; the fields are {sorted(_ALLOWED_KEYS)}")
    prompt = payload.get("prompt")
    problem = prompt_id_problem(prompt)
    if problem:
        raise ShareRejected(
            "prompt", f"must be a prompt id like '07-who' (two digits, a dash, lower-case words): {problem}"
        )
    if "question" in payload:
        _text("question", payload["question"], MAX_QUESTION)
    kind = payload.get("kind")
    if kind not in KINDS:
        raise ShareRejected("kind", f"must be one of {', '.join(KINDS)}")
    steps = payload.get("steps", 0)
    if "steps" in payload and not _whole(steps):
        raise ShareRejected("steps", f"must be a whole number from 2 to {MAX_STEPS}")
    return prompt, kind, _options(payload.get("options")), steps, payload.get("value")


def _against_lesson(payload: Any, catalogue: Catalogue) -> Share:
    prompt, kind, _, steps, value = _shape(payload)
    spec = catalogue.get(prompt)
    if spec is None:
        raise ShareRejected("prompt", f"{prompt!r} is not a prompt of this course; share from the lesson's own prompt")
    if not spec.shareable:
        raise ShareRejected("prompt", f"{prompt!r} is a personal prompt; its answers are never shared with a circle")
    if kind != spec.kind:
        raise ShareRejected("kind", f"is {kind!r}, but {prompt} is a {spec.kind} prompt")
    options = list(spec.options)
    if kind == "text":
        value = _text("value", value, MAX_TEXT)
    elif kind == "choice":
        value = _text("value", value, MAX_OPTION)
        if value not in options:
            raise ShareRejected("value", f"{value!r} is not one of the options the lesson offers for {prompt}")
    elif kind == "order":
        value = _order(value, options)
    else:  # scale
        if "steps" in payload and steps != spec.steps:
            raise ShareRejected("steps", f"is {steps}, but {prompt} is rated from 1 to {spec.steps}")
        value = _ratings(value, options, spec.steps)
    return Share(prompt, spec.question, kind, value, options, spec.steps if kind == "scale" else 0)


def _shape_only(payload: Any) -> Share:
    prompt, kind, options, steps, value = _shape(payload)
    question = _text("question", payload.get("question"), MAX_QUESTION)
    if kind == "text":
        value = _text("value", value, MAX_TEXT)
    elif kind == "choice":
        value = _text("value", value, MAX_OPTION)
        if options and value not in options:
            raise ShareRejected("value", "is not one of the options")
    elif kind == "order":
        value = _order(value, options)
    else:  # scale
        if not 2 <= steps <= MAX_STEPS:
            raise ShareRejected("steps", f"must be a whole number from 2 to {MAX_STEPS}")
        value = _ratings(value, options, steps)
        options = options or sorted(value)
    return Share(prompt, question, kind, value, options, steps if kind == "scale" else 0)


def validate_share(payload: Any, catalogue: Catalogue | None = None) -> Share:
    """Check a share sent by a participant; raise ShareRejected naming the field and how to fix it.

    With ``catalogue`` the share must fit the lesson's prompt, and the result carries the lesson's
    question, options and scale; without it only the shape is checked (a circle on one computer)."""
    return _shape_only(payload) if catalogue is None else _against_lesson(payload, catalogue)


def parse_share(body: bytes, catalogue: Catalogue | None = None) -> Share:
    """A share from a request body: size checked first, then JSON, then the fields."""
    if len(body) > MAX_BODY_BYTES:
        raise ShareRejected("body", f"is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ShareRejected("body", f"is not UTF-8 text ({err.reason} at byte {err.start})") from err
    except RecursionError as err:
        raise ShareRejected("body", "is nested too deeply to be a share") from err
    except ValueError as err:  # JSONDecodeError, or a number with thousands of digits
        raise ShareRejected("body", f"is not valid JSON for a share ({err})") from err
    return validate_share(payload, catalogue)


__all__ = ["KINDS", "MAX_BODY_BYTES", "PROMPT_ID", "Share", "StoredShare", "parse_share", "validate_share"]
