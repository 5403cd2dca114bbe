"""The course rubric (rubric.yaml next to this module): criteria for reflections, the personal statement
and the action plan, at a few levels. Read and checked here; templates render it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .errors import CourseError
from .yamlfile import read_yaml

RUBRIC_FILE = Path(__file__).parent / "rubric.yaml"


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    title: str
    use: str
    levels: tuple[str, ...]
    criteria: tuple[Criterion, ...]


@functools.lru_cache(maxsize=2)
def load_rubric(path: Path = RUBRIC_FILE) -> Rubric:
    """The rubric; CourseError names the file and the criterion when it is malformed."""
    raw = read_yaml(path, CourseError, "the course rubric is missing; restore it from git")
    levels = raw.get("levels") if isinstance(raw, dict) else None
    if not isinstance(levels, list) or not 3 <= len(levels) <= 4:
        raise CourseError(f"{path}: levels must list 3 or 4 level names")
    criteria = []
    for number, item in enumerate(raw.get("criteria") or [], start=1):
        if not isinstance(item, dict) or not item.get("name"):
            raise CourseError(f"{path}: criterion {number}: give it a name and its levels")
        texts = item.get("levels")
        if not isinstance(texts, list) or len(texts) != len(levels) or not all(isinstance(t, str) for t in texts):
            raise CourseError(
                f"{path}: criterion {number} ({item['name']!r}): give one description per level ({len(levels)})"
            )
        criteria.append(Criterion(str(item["name"]), tuple(texts)))
    if not criteria:
        raise CourseError(f"{path}: criteria: list at least one criterion")
    return Rubric(str(raw.get("title", "Rubric")), str(raw.get("use", "")), tuple(levels), tuple(criteria))
