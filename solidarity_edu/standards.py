"""The standards a lesson can be aligned to: a vocabulary the project ships (standards.yaml next to this
module), each code with its official wording, the framework it belongs to and the source it was read from.

course.yaml lists a lesson's codes (``standards: [D2.His.1.9-12, RH.9-10.1]``); `solidarity-edu lint`
rejects a code that is not in the vocabulary, naming the lesson. The teacher guide, the course plan and
the index (as schema.org ``educationalAlignment``) show them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .errors import CourseError
from .yamlfile import read_yaml

STANDARDS_FILE = Path(__file__).parent / "standards.yaml"
_FRAMEWORK_KEYS = {"name", "url"}
_CODE_KEYS = {"framework", "wording", "url"}


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    url: str


@dataclass(frozen=True)
class Standard:
    code: str
    framework: Framework
    wording: str
    url: str  # the page where this wording was read


@functools.lru_cache(maxsize=2)
def load_standards(path: Path = STANDARDS_FILE) -> dict[str, Standard]:
    """code -> Standard. CourseError names the file, the code and the key on any problem."""
    raw = read_yaml(path, CourseError, "the standards vocabulary is missing; restore it from git")
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("frameworks"), dict)
        or not isinstance(raw.get("standards"), dict)
    ):
        raise CourseError(f"{path}: expected 'frameworks:' and 'standards:' mappings")
    frameworks = {}
    for fid, spec in raw["frameworks"].items():
        if not isinstance(spec, dict) or set(spec) != _FRAMEWORK_KEYS:
            raise CourseError(f"{path}: framework {fid!r}: give exactly name and url")
        frameworks[fid] = Framework(str(fid), str(spec["name"]), str(spec["url"]))
    found = {}
    for code, spec in raw["standards"].items():
        if not isinstance(spec, dict) or set(spec) != _CODE_KEYS:
            raise CourseError(f"{path}: standard {code!r}: give exactly {', '.join(sorted(_CODE_KEYS))}")
        if spec["framework"] not in frameworks:
            raise CourseError(f"{path}: standard {code!r}: unknown framework {spec['framework']!r}")
        if not str(spec["url"]).startswith(("https://", "http://")) or not str(spec["wording"]).strip():
            raise CourseError(
                f"{path}: standard {code!r}: give its official wording and the url of the page it was read on"
            )
        found[str(code)] = Standard(
            str(code), frameworks[spec["framework"]], " ".join(str(spec["wording"]).split()), str(spec["url"])
        )
    return found


def unknown_codes(codes: tuple[str, ...] | list[str], path: Path = STANDARDS_FILE) -> list[str]:
    """The codes that are not in the vocabulary, in the order given."""
    known = load_standards(path)
    return [code for code in codes if code not in known]


def lesson_standards(codes: tuple[str, ...] | list[str], path: Path = STANDARDS_FILE) -> list[Standard]:
    """The Standard of each known code, in the order given (unknown codes are lint's to report)."""
    known = load_standards(path)
    return [known[code] for code in codes if code in known]
