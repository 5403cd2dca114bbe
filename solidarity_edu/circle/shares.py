"""What a share is, and the limits every share must respect before it is stored or shown.

A share is one answer to one prompt: ``{"prompt": "07-who", "question": "...", "kind": "text",
"value": "...", "options": [...], "steps": 5}``. Kinds:

- ``text``    a reflection (value: text)
- ``choice``  one of ``options`` (choose, scenario)
- ``order``   ``options`` put in an order (value: the list)
- ``scale``   a rating 1..``steps`` for each item in ``options`` (value: {item: rating})

Limits keep the service safe and the facilitator's page readable: sizes are bounded, control characters
are refused, and anything that looks like HTML markup (``<script>``, ``<img ...>``) is refused with a
message, so a participant learns why rather than seeing their words silently changed. Everything is
escaped again wherever it is shown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ShareRejected

KINDS = ("text", "choice", "order", "scale")
MAX_BODY_BYTES = 16 * 1024
MAX_TEXT = 2000
MAX_QUESTION = 1500
MAX_OPTION = 300
MAX_OPTIONS = 20
MAX_STEPS = 10
PROMPT_ID = re.compile(r"^\d{2}-[a-z0-9][a-z0-9-]{0,62}$")
_MARKUP = re.compile(r"<[a-zA-Z!/?]|javascript\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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


def _text(name: str, value: Any, limit: int, *, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise ShareRejected(name, f"must be text, not {type(value).__name__}")
    if not value.strip() and not empty_ok:
        raise ShareRejected(name, "is empty; write something before sharing")
    if len(value) > limit:
        raise ShareRejected(name, f"is {len(value)} characters long; the limit is {limit}. Shorten it and share again")
    if _CONTROL.search(value):
        raise ShareRejected(name, "contains control characters; retype it as plain text")
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


def validate_share(payload: Any) -> Share:
    """Check a share sent by a participant; raise ShareRejected naming the field and how to fix it."""
    if not isinstance(payload, dict):
        raise ShareRejected("body", 'must be a JSON object like {"prompt": "07-who", "kind": "text", ...}')
    unknown = sorted(set(payload) - _ALLOWED_KEYS)
    if unknown:
        raise ShareRejected(unknown[0], f"is not a field of a share; the fields are {sorted(_ALLOWED_KEYS)}")
    prompt = payload.get("prompt")
    if not isinstance(prompt, str) or not PROMPT_ID.match(prompt):
        raise ShareRejected("prompt", "must be a prompt id like '07-who' (two digits, a dash, lower-case words)")
    question = _text("question", payload.get("question"), MAX_QUESTION)
    kind = payload.get("kind")
    if kind not in KINDS:
        raise ShareRejected("kind", f"must be one of {', '.join(KINDS)}")
    options = _options(payload.get("options"))
    steps = payload.get("steps", 0)
    value = payload.get("value")
    if kind == "text":
        value = _text("value", value, MAX_TEXT)
    elif kind == "choice":
        value = _text("value", value, MAX_OPTION)
        if options and value not in options:
            raise ShareRejected("value", "is not one of the options")
    elif kind == "order":
        if not isinstance(value, list) or not options or sorted(value) != sorted(options):
            raise ShareRejected("value", "must list every option exactly once, in the chosen order")
    else:  # scale
        if not isinstance(steps, int) or isinstance(steps, bool) or not 2 <= steps <= MAX_STEPS:
            raise ShareRejected("steps", f"must be a whole number from 2 to {MAX_STEPS}")
        if not isinstance(value, dict) or not value or (options and set(value) != set(options)):
            raise ShareRejected("value", "must give a rating for each item")
        for item, rating in value.items():
            _text("value", item, MAX_OPTION)
            if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= steps:
                raise ShareRejected("value", f"the rating for {item!r} must be a whole number from 1 to {steps}")
        options = options or sorted(value)
    return Share(prompt, question, kind, value, options, steps if kind == "scale" else 0)


def parse_share(body: bytes) -> Share:
    """A share from a request body: size checked first, then JSON, then the fields."""
    if len(body) > MAX_BODY_BYTES:
        raise ShareRejected("body", f"is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ShareRejected("body", f"is not valid JSON ({err})") from err
    return validate_share(payload)
