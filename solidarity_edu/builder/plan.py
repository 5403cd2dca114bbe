"""Plan the build: one job per lesson x audience, and a content hash that says which jobs must re-run.

A job's key hashes everything its outputs depend on: the lesson notebook, its course.yaml entry, every
file in data/, every file of the package (code, templates, assets), the package version and the
parameters. A job whose key matches the last build and whose outputs all exist is skipped.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..course import ENGLISH, Course, Lesson
from ..errors import CourseError

OUTPUT_FILES = (
    "slides.html",
    "worksheet.html",
    "worksheet.pdf",
    "reading.html",
    "reading.pdf",
    "guide.html",
    "guide.pdf",
    "student.ipynb",
    "sources.json",
)
STATE_FILE = ".build-state.json"
PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Job:
    lesson: Lesson
    audience: str
    out_dir: Path
    key: str
    language: str = ENGLISH

    @property
    def name(self) -> str:
        if self.language == ENGLISH:
            return f"{self.lesson.id}/{self.audience}"
        return f"{self.language}/{self.lesson.id}/{self.audience}"


def language_root(exports: Path, language: str) -> Path:
    """Where a language's exports go: English in exports/ itself (so every link made before the course
    was translated still works), every other language in exports/<tag>/ with the same layout inside."""
    return exports if language == ENGLISH else exports / language


def catalogs_digest(locale: Path, language: str, lesson_id: str) -> str:
    """Hash of the catalogs a lesson's export in ``language`` reads (its own, course, data, interface)."""
    folder = locale / language.replace("-", "_") / "LC_MESSAGES"
    digest = hashlib.sha256()
    for name in (lesson_id, "course", "data", "interface"):
        path = folder / f"{name}.po"
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def _hash_tree(root: Path) -> str:
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if "__pycache__" in rel or rel.endswith(".pyc") or "/_parts/" in f"/{rel}":
                continue
            digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def package_digest() -> str:
    """Hash of the installed package's files and version."""
    return hashlib.sha256(f"{__version__}:{_hash_tree(PACKAGE_DIR)}".encode()).hexdigest()


def job_key(
    course: Course, lesson: Lesson, audience: str, data_digest: str, paper: str = "letter", language: str = ENGLISH
) -> str:
    entry = {
        "paper": paper,
        "course": course.title,
        "lesson": [lesson.id, lesson.title, lesson.duration_minutes.get(audience)],
        "audience": [audience, course.audiences[audience].label],
        "parameters": {"audience": audience},
    }
    if language != ENGLISH:
        entry["language"] = [language, catalogs_digest(course.locale, language, lesson.id)]
    digest = hashlib.sha256()
    digest.update(lesson.notebook.read_bytes())
    digest.update(json.dumps(entry, sort_keys=True).encode())
    digest.update(data_digest.encode())
    digest.update(package_digest().encode())
    return digest.hexdigest()


def plan(
    course: Course,
    exports: Path,
    data_dir: Path,
    lessons: list[str] | None = None,
    audiences: list[str] | None = None,
    paper: str = "letter",
    languages: list[str] | None = None,
) -> list[Job]:
    """Every job for the chosen lessons, audiences and languages (all when None), in course order,
    language by language, printed on ``paper`` (letter or a4)."""
    for tag in languages or []:
        course.language(tag)  # raises CourseError for a language course.yaml does not list
    for lesson_id in lessons or []:
        course.lesson(lesson_id)  # raises CourseError for an unknown id
    for audience in audiences or []:
        if audience not in course.audiences:
            raise CourseError(f"{course.path}: unknown audience {audience!r}; declared: {', '.join(course.audiences)}")
    data_digest = _hash_tree(data_dir)
    jobs = []
    for language in course.languages:
        if languages and language.tag not in languages:
            continue
        root = language_root(exports, language.tag)
        for lesson in course.lessons:
            if lessons and lesson.id not in lessons:
                continue
            for audience in lesson.audiences:
                if audiences and audience not in audiences:
                    continue
                key = job_key(course, lesson, audience, data_digest, paper, language.tag)
                jobs.append(Job(lesson, audience, root / lesson.id / audience, key, language.tag))
    return jobs


def read_state(exports: Path) -> dict[str, str]:
    try:
        return json.loads((exports / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def write_state(exports: Path, state: dict[str, str]) -> None:
    exports.mkdir(parents=True, exist_ok=True)
    (exports / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def is_current(job: Job, state: dict[str, str], pdf: bool = True) -> bool:
    """True when the job's key matches the last build and its outputs (PDFs too, if wanted) exist."""
    wanted = [f for f in OUTPUT_FILES if pdf or not f.endswith(".pdf")]
    return state.get(job.name) == job.key and all((job.out_dir / f).is_file() for f in wanted)
