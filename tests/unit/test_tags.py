from __future__ import annotations

import pytest

from solidarity_edu.tags import FORMATS, keeps, known_tags

# tag -> formats that keep a cell with that tag (the contract table in the README).
CONTRACT = {
    "parameters": {"student"},
    "facilitator": {"slides", "guide"},
    "answer-key": {"slides", "guide"},  # in the slides, as speaker notes only
    "prompt": {"student", "worksheet", "slides", "guide"},
    "hide-input": {"student", "worksheet", "slides", "guide", "reading"},
    "remove-cell": set(),
    "skip": {"student", "guide", "reading"},
    "print-only": {"worksheet", "guide", "reading"},
    "screen-only": {"student", "slides"},
    "injected-parameters": set(),
    "prompt-data": set(),
    "parts": set(),
    "sources": set(),
    "organizer": set(),
    "not-in-reader": {"student", "worksheet", "slides", "guide"},
    "primary-source": {"student", "worksheet", "slides", "guide", "reading"},
    "word-help": {"student", "worksheet", "slides", "guide", "reading"},
}


@pytest.mark.parametrize("tag", sorted(CONTRACT))
def test_contract(tag):
    cell = {"metadata": {"tags": [tag]}}
    assert {f for f in FORMATS if keeps(cell, f, "college")} == CONTRACT[tag]


def test_audience_tags():
    cell = {"metadata": {"tags": ["for-community", "for-college"]}}
    assert keeps(cell, "worksheet", "college") and keeps(cell, "worksheet", "community")
    assert not keeps(cell, "worksheet", "high-school")
    assert "for-college" in known_tags(["college"]) and "for-adults" not in known_tags(["college"])
