"""Publish the student notebooks as a folder ready to be the participants' git repository.

The folder holds what a participant needs on a JupyterHub, and nothing a teacher keeps to themselves::

    notebooks/<lesson notebook>   the built student.ipynb of each lesson, for one audience
    notebooks/course.yaml         so lessons find the course (solidarity_edu.paths)
    data/                         the datasets (without data/**/_parts/ and gitignored files)
    README.md                     a short note for participants

Publishing again replaces the files it wrote before (a manifest, PUBLISHED_FILE, lists them) and
never deletes anything else in the folder: the facilitator's .git, their own notes, a README they
wrote themselves.
"""

from __future__ import annotations

import fnmatch
import json
import logging
from pathlib import Path

import nbformat
import yaml

from .course import COURSE_FILE, Course
from .errors import PublishError
from .lesson import LessonModel
from .link import NOTEBOOKS_DIR
from .tags import cell_tags, keeps
from .yamlfile import parse_yaml

log = logging.getLogger(__name__)

PUBLISHED_FILE = ".solidarity-edu-published.json"
README_MARKER = "<!-- written by `solidarity-edu publish-student`; edits here are replaced on the next publish -->"
_ALWAYS_SKIPPED = {"_parts", "__pycache__", ".ipynb_checkpoints", ".git", ".DS_Store"}

README = """{marker}
# {title}

These are the notebooks for our study circle. The link your facilitator shares copies them into your
own folder on the hub and opens the lesson of the day in JupyterLab.

**Your answers stay private.** What you type into the answer boxes is saved in your own journal
(`~/.local/share/solidarity-edu/journal.sqlite3` in your home folder on the hub), never in the
notebooks, so nobody sees them unless you share them. To keep a copy, open a terminal and run
`solidarity-edu journal export --format md`.

**Getting updates.** Click the same link again (or the link for the next lesson). New and corrected
lessons arrive; your journal is not touched, and changes you made to a notebook are kept. To start a
notebook over, delete it and click the link again: you get a fresh copy.

Lessons in this folder:

{lessons}
"""

_GITIGNORE = ".ipynb_checkpoints/\n__pycache__/\n*.sqlite3\n*.sqlite3-*\n"


def _gitignore_rules(project: Path) -> list[tuple[bool, bool, str]]:
    """(negated, directory only, pattern) for each rule of the project's .gitignore."""
    path = project / ".gitignore"
    if not path.is_file():
        return []
    rules = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line.removeprefix("!")
        dir_only = line.endswith("/")
        rules.append((negated, dir_only, line.rstrip("/")))
    return rules


def _ignored(rel: str, is_dir: bool, rules: list[tuple[bool, bool, str]]) -> bool:
    """Whether ``rel`` (a path relative to the project, with '/') is gitignored: the common forms of
    .gitignore patterns (anchored when they contain '/', '*' and '**', directory-only, '!' to re-include)."""
    ignored = False
    name = rel.rsplit("/", 1)[-1]
    for negated, dir_only, pattern in rules:
        if dir_only and not is_dir:
            continue
        if "/" in pattern:
            hit = fnmatch.fnmatchcase(rel, pattern.lstrip("/").replace("**/", "*"))
        else:
            hit = fnmatch.fnmatchcase(name, pattern)
        if hit:
            ignored = not negated
    return ignored


def _data_files(data: Path) -> list[Path]:
    """Every file of data/ that belongs in the student repository, relative to data/."""
    rules = _gitignore_rules(data.resolve().parent)
    top = Path(data.resolve().name)
    files: list[Path] = []

    def walk(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            rel = (top / entry.relative_to(data)).as_posix()
            if entry.name in _ALWAYS_SKIPPED or _ignored(rel, entry.is_dir(), rules):
                continue
            if entry.is_dir():
                walk(entry)
            elif entry.is_file():
                files.append(entry.relative_to(data))

    if data.is_dir():
        walk(data)
    return files


def _student_notebook(path: Path, lesson_id: str, audience: str) -> str:
    """The text of a built student notebook, after checking it is one: a notebook, for this lesson
    and audience, with no teacher-only cell."""
    rebuild = f"run `solidarity-edu build --lesson {lesson_id} --audience {audience}` first"
    if not path.is_file():
        raise PublishError(f"{path}: student notebook not found; {rebuild}")
    text = path.read_text(encoding="utf-8")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises several unrelated types for a broken file
        raise PublishError(f"{path}: not a readable notebook ({err}); {rebuild}") from err
    made_for = nb.metadata.get("solidarity_edu", {})
    if made_for and (made_for.get("lesson"), made_for.get("audience")) != (lesson_id, audience):
        raise PublishError(
            f"{path}: built for {made_for.get('lesson')} ({made_for.get('audience')}), not {lesson_id} ({audience}); {rebuild}"
        )
    for number, cell in enumerate(nb.cells, start=1):
        if not keeps(cell, "student", audience):
            tags = ", ".join(sorted(cell_tags(cell)))
            raise PublishError(
                f"{path}: cell {number} (tags: {tags}) is not for students; refusing to publish it. "
                f"Run `solidarity-edu build --force --lesson {lesson_id}` and publish again"
            )
    # Every prompt must carry its data, or the lesson's activities would fail on the hub.
    problems = LessonModel.from_notebook(nb, path).all_problems()
    if problems:
        raise PublishError(f"{problems[0]}; {rebuild.replace('first', 'again')}")
    return text


def _course_yaml(course: Course, lesson_ids: set[str]) -> str:
    """course.yaml as it is, or without the lessons not offered to this audience (their notebooks are
    not published, and course.yaml must only name notebooks that exist)."""
    text = course.path.read_text(encoding="utf-8")
    if lesson_ids == {lesson.id for lesson in course.lessons}:
        return text
    raw = parse_yaml(text)
    raw["lessons"] = [spec for spec in raw["lessons"] if str(spec["id"]) in lesson_ids]
    header = "# The course as published for participants (lessons for this audience only).\n"
    return header + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def publish_student_repo(
    exports: Path,
    course: Course,
    out: Path,
    audience: str = "community",
    data_dir: Path | None = None,
) -> list[Path]:
    """Write the participants' repository into ``out`` from the built ``exports``; return the files written.

    ``data_dir`` defaults to the data/ folder next to the course's notebooks/ folder."""
    exports, out = Path(exports), Path(out)
    if audience not in course.audiences:
        raise PublishError(
            f"--audience {audience!r}: not in {course.path}; choose one of {', '.join(course.audiences)}"
        )
    if not exports.is_dir():
        raise PublishError(f"{exports}: no exports folder; run `solidarity-edu build` first (or pass --exports)")
    data = Path(data_dir) if data_dir is not None else course.root.parent / "data"
    if not data.is_dir():
        raise PublishError(f"{data}: data folder not found; run from the project folder or pass --data")
    if out.resolve() in (course.root.parent.resolve(), course.root.resolve(), exports.resolve(), data.resolve()):
        raise PublishError(f"{out}: choose a folder of its own for the student repository (e.g. ../circle-notebooks)")

    # Read and check everything before writing anything.
    files: dict[str, str | bytes] = {}
    lessons = [lesson for lesson in course.lessons if audience in lesson.audiences]
    skipped = [lesson.id for lesson in course.lessons if audience not in lesson.audiences]
    if skipped:
        log.info("not offered to %s, so not published: %s", audience, ", ".join(skipped))
    if not lessons:
        raise PublishError(f"{course.path}: no lesson is offered to the audience {audience!r}")
    for lesson in lessons:
        name = lesson.notebook.relative_to(course.root).as_posix()
        student = exports / lesson.id / audience / "student.ipynb"
        files[f"{NOTEBOOKS_DIR}/{name}"] = _student_notebook(student, lesson.id, audience)
    files[f"{NOTEBOOKS_DIR}/{COURSE_FILE}"] = _course_yaml(course, {lesson.id for lesson in lessons})
    for rel in _data_files(data):
        files[f"data/{rel.as_posix()}"] = (data / rel).read_bytes()
    listing = "\n".join(
        f"- {lesson.title} (`{NOTEBOOKS_DIR}/{lesson.notebook.relative_to(course.root).as_posix()}`)"
        for lesson in lessons
    )
    readme = out / "README.md"
    if not readme.exists() or README_MARKER in readme.read_text(encoding="utf-8", errors="replace"):
        files["README.md"] = README.format(marker=README_MARKER, title=course.title, lessons=listing)
    else:
        log.info("%s was written by you, so it is left as it is", readme)
    if not (out / ".gitignore").exists():
        files[".gitignore"] = _GITIGNORE

    # Files this command wrote last time and does not write now (a renamed lesson, a removed dataset).
    manifest = out / PUBLISHED_FILE
    previous: list[str] = []
    if manifest.is_file():
        try:
            previous = list(json.loads(manifest.read_text(encoding="utf-8")).get("files", []))
        except (ValueError, AttributeError):
            previous = []
    for rel in sorted(set(previous) - set(files) - {"README.md", ".gitignore"}):
        stale = out / rel
        if not Path(rel).is_absolute() and ".." not in Path(rel).parts and stale.is_file():
            stale.unlink()
            log.info("removed %s (no longer published)", stale)

    written = []
    for rel, data_or_text in files.items():
        path = out / rel
        _write(path, data_or_text)
        written.append(path)
    owned = sorted(rel for rel in files if rel not in (".gitignore",))
    _write(manifest, json.dumps({"audience": audience, "files": owned}, indent=1) + "\n")
    # Remove folders left empty by stale files (never the folder itself or .git).
    for rel in previous:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            continue
        parent = (out / rel).parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return written
