"""solidarity-edu: helpers that the lesson notebooks import, and the build that exports them.

Importing this package does no work: every name below is loaded on first use, so a student's kernel
pays only for what its lesson uses. A star import hands out stand-ins for the helpers whose modules are
not loaded yet (see :mod:`solidarity_edu.first_use`), so a lesson's first cell takes hundredths of a
second, not most of one.

In a lesson notebook::

    from solidarity_edu import *        # course_map, reflect, choose, ...
    course_map(audience)
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

# jsonschema (imported by altair and nbformat) loads rfc3987_syntax when it is installed, and that
# module builds a parsing grammar at import: about 0.7 s of every student's first cell. Nothing in
# this project validates IRIs, so we keep it out; jsonschema then simply skips that one format check.
# Measured in bench/ (student kernel first cell).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__version__ = "0.1.0"

# name -> module that defines it; loaded lazily by __getattr__ below.
_LAZY = {
    "course_map": "solidarity_edu.charts",
    "timeline": "solidarity_edu.charts",
    "camps_map": "solidarity_edu.charts",
    "removals_chart": "solidarity_edu.charts",
    "incidents_chart": "solidarity_edu.charts",
    "event_card": "solidarity_edu.cards",
    "event_list": "solidarity_edu.cards",
    "define": "solidarity_edu.cards",
    "bar_chart": "solidarity_edu.charts",
    "chart_description": "solidarity_edu.charts",
    "reflect": "solidarity_edu.exercises",
    "choose": "solidarity_edu.exercises",
    "order_events": "solidarity_edu.exercises",
    "scale": "solidarity_edu.exercises",
    "scenario": "solidarity_edu.exercises",
    "action_plan": "solidarity_edu.exercises",
    "Journal": "solidarity_edu.journal",
    "load_dataset": "solidarity_edu.data",
    "load_timeline": "solidarity_edu.data",
    "load_camps": "solidarity_edu.data",
    "load_removals": "solidarity_edu.data",
    "load_incidents": "solidarity_edu.data",
    "load_glossary": "solidarity_edu.data",
}

__all__ = sorted(_LAZY)

# Classes are always the real thing (isinstance needs them); their module is light.
_NEVER_STAND_IN = {"Journal"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'solidarity_edu' has no attribute {name!r}")
    from . import first_use

    if name not in _NEVER_STAND_IN and not first_use.is_loaded(module):
        first_use.warm_up(_LAZY.values())
        return first_use.Helper(name, module)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
