"""Present one lesson to students with Voilà: the lesson's text and live activities, no code.

``solidarity-edu present 07-defining-solidarity`` does four things, in order:

1. finds the lesson: a lesson id from course.yaml, or the path to a notebook;
2. writes a *student copy* of it into a temporary folder, made with the same tag contract the build
   uses for student notebooks: facilitator notes, answer keys, print-only cells and cells for other
   audiences are removed, so nothing meant for teachers reaches the page; with ``--language vi`` its
   Markdown comes from the lesson's catalog and its ``language`` parameter is set, so the prompts, the
   datasets' text and the activities' words are in that language (answers are saved as in English);
3. starts Voilà on that copy, bound to 127.0.0.1 (this computer only), with code hidden and errors
   shown as a short sentence instead of a traceback. The lesson's kernel finds the course's data/
   through ``SOLIDARITY_EDU_ROOT`` and keeps writing answers to the learner's own journal
   (``SOLIDARITY_EDU_JOURNAL`` or the default location: it is never changed here);
4. prints the address to open, and removes the temporary folder when Voilà stops.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import nbformat

from .course import Course, load_course
from .errors import CourseError, NotebookError, SolidarityEduError
from .lesson import read_lesson
from .translate.units import TranslationError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8866  # Voilà's own default; used when it is free
TEMPLATE_NAME = "solidarity-edu"
STARTUP_SECONDS = 60
# What a student reads in place of a traceback when a cell of the lesson fails.
FRIENDLY_ERROR = "Part of this lesson could not be shown. Tell your facilitator; your saved answers are safe."


@dataclass(frozen=True)
class LessonToPresent:
    """A lesson ready to be shown: where its notebook is, what to call it, and for which audience."""

    lesson_id: str
    title: str
    notebook: Path
    audience: str
    project_root: Path
    language: str = "en"


def _looks_like_path(target: str) -> bool:
    return target.endswith(".ipynb") or os.sep in target or Path(target).is_file()


def _notebook_project_root(notebook: Path) -> Path:
    """The course folder of a notebook: the nearest folder above it with a data/ folder."""
    start = notebook.resolve().parent
    for folder in (start, *start.parents):
        if (folder / "data").is_dir():
            return folder
    return start.parent


def _default_audience(notebook: Path) -> str:
    """The audience written in the notebook's ``parameters`` cell (``audience = "high-school"``)."""
    audience = read_lesson(notebook).parameter_audience
    if audience is None:
        raise NotebookError(f"{notebook}: no audience in a 'parameters' cell; pass --audience (e.g. high-school)")
    return audience


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError as err:
        raise NotebookError(f"{path}: notebook not found") from err
    except Exception as err:  # malformed JSON, not a notebook ...
        raise NotebookError(f"{path}: cannot read this notebook ({err})") from err


def _course_or_none(course_path: Path) -> Course | None:
    try:
        return load_course(course_path)
    except CourseError:
        return None


def find_lesson(
    target: str, course_path: Path, audience: str | None = None, language: str | None = None
) -> LessonToPresent:
    """Turn what the teacher typed (a lesson id or a notebook path) into a lesson to present.

    A lesson id is looked up in ``course_path``; an unknown id raises CourseError naming every lesson
    id that exists. A path may point at any lesson notebook, inside the course or not. ``audience``
    defaults to the lesson's first audience (or, outside the course, the one in its parameters cell);
    ``language`` to English. A language with no catalogs under locale/ raises TranslationError naming
    the languages there are.
    """
    lesson = _find_lesson(target, course_path, audience)
    if language is None or language == lesson.language:
        return lesson
    check_language(language, lesson.project_root)
    return dataclasses.replace(lesson, language=language)


def check_language(language: str, project_root: Path) -> None:
    """Raise TranslationError unless ``language`` is English or has catalogs under ``locale/``."""
    from .translate.catalogs import catalog_dir, languages
    from .translate.runtime import is_english

    if is_english(language):
        return
    if not catalog_dir(project_root / "locale", language).is_dir():
        there = ", ".join(languages(project_root / "locale")) or "none yet"
        raise TranslationError(
            f"no catalogs for language {language!r} in {project_root / 'locale'} (there are: {there}); "
            "pass one of those, or make the catalogs with `solidarity-edu translate update --language ...`"
        )


def _find_lesson(target: str, course_path: Path, audience: str | None) -> LessonToPresent:
    if _looks_like_path(target):
        notebook = Path(target)
        nb = _read_notebook(notebook)
        course = _course_or_none(course_path)
        lesson = None
        if course is not None:
            lesson = next((les for les in course.lessons if les.notebook.resolve() == notebook.resolve()), None)
        if lesson is not None:
            return _for_course_lesson(course, lesson.id, audience)
        lesson_id = str(nb.metadata.get("solidarity_edu", {}).get("lesson") or notebook.stem)
        return LessonToPresent(
            lesson_id=lesson_id,
            title=read_lesson(notebook).title or notebook.stem,
            notebook=notebook,
            audience=audience or _default_audience(notebook),
            project_root=_notebook_project_root(notebook),
        )
    course = load_course(course_path)
    return _for_course_lesson(course, target, audience)


def _for_course_lesson(course: Course, lesson_id: str, audience: str | None) -> LessonToPresent:
    known = [lesson.id for lesson in course.lessons]
    if lesson_id not in known:
        raise CourseError(
            f"no lesson {lesson_id!r} in {course.path}. The lessons are: {', '.join(known)} "
            "(or give the path to a lesson notebook)"
        )
    lesson = course.lesson(lesson_id)
    chosen = audience or lesson.audiences[0]
    if chosen not in lesson.audiences:
        raise CourseError(
            f"lesson {lesson.id} is not written for audience {chosen!r}; its audiences are: {', '.join(lesson.audiences)}"
        )
    return LessonToPresent(
        lesson_id=lesson.id,
        title=lesson.title,
        notebook=lesson.notebook,
        audience=chosen,
        project_root=course.root.resolve().parent,
    )


def student_notebook(lesson: LessonToPresent) -> nbformat.NotebookNode:
    """The lesson as a student gets it: the build's own student filter (the cell-tag contract), so
    facilitator notes, answer keys and cells for other audiences are gone, outputs are cleared and the
    audience and language are set. The page title is the lesson title. In another language the
    Markdown is translated from ``locale/<lang>/LC_MESSAGES/<lesson>.po`` (checked entries only)."""
    from .builder.transforms import student_copy

    source = _read_notebook(lesson.notebook)
    nb = student_copy(source, lesson.audience)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = f"audience = {lesson.audience!r}\nlanguage = {lesson.language!r}"
    nb.metadata["title"] = lesson.title
    nb.metadata.setdefault("solidarity_edu", {})["language"] = lesson.language  # the page's lang (voila template)
    return _translated(nb, lesson)


def _translated(nb: nbformat.NotebookNode, lesson: LessonToPresent) -> nbformat.NotebookNode:
    """``nb`` with its Markdown in the lesson's language (itself in English or without a catalog)."""
    from .translate.catalogs import catalog_dir
    from .translate.lesson import lesson_from_catalog
    from .translate.runtime import is_english

    if is_english(lesson.language):
        return nb
    path = catalog_dir(lesson.project_root / "locale", lesson.language) / f"{lesson.notebook.stem}.po"
    if not path.is_file():
        log.warning("%s: no catalog for this lesson; its text is shown in English", path)
        return nb
    return lesson_from_catalog(nb, lesson.notebook.stem, lesson.language, lesson.project_root / "locale")


def write_student_copy(lesson: LessonToPresent, folder: Path) -> Path:
    """Write the student copy of ``lesson`` into ``folder`` and return its path."""
    path = folder / f"{lesson.lesson_id}.ipynb"
    nbformat.write(student_notebook(lesson), path)
    return path


# A Voilà template of our own (solidarity_edu/templates/voila/), copied next to the student copy. It is
# Voilà's "lab" template (which declares <html lang="en" >, corrected from the notebook's metadata, and
# takes the page title from the notebook's metadata) with: no stylesheets or scripts fetched from a CDN, so a lesson works offline and
# the learner's browser contacts nobody; charts without a stray error line under them; and wide charts
# or tables that keyboard users can scroll.
TEMPLATE_FILES = ("conf.json", "index.html.j2")


def write_template(folder: Path) -> Path:
    """Write the project's Voilà template under ``folder`` (a Jupyter data folder); return ``folder``."""
    from importlib import resources

    source = resources.files("solidarity_edu").joinpath("templates", "voila")
    template = folder / "voila" / "templates" / TEMPLATE_NAME
    template.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_FILES:
        (template / name).write_text(source.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _bind(port: int) -> int | None:
    """The port bound on 127.0.0.1 (``0`` asks for any free one), or None when it is taken."""
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return None
        return s.getsockname()[1]


def free_port(preferred: int = DEFAULT_PORT) -> int:
    """``preferred`` when nothing listens on it, else any free port on 127.0.0.1."""
    port = _bind(preferred) or _bind(0)
    if port is None:  # pragma: no cover
        raise SolidarityEduError("no free port on 127.0.0.1")
    return port


def voila_command(notebook: Path, port: int, token: str) -> list[str]:
    """The Voilà command line for a student copy: this computer only, no code, friendly errors."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        f"--template={TEMPLATE_NAME}",
        "--theme=light",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaExecutor.cell_error_instruction={FRIENDLY_ERROR}",
    ]


def _wait_for_port(proc: subprocess.Popen, port: int, seconds: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SolidarityEduError(f"Voilà stopped before it was ready (exit code {proc.returncode}); see above")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise SolidarityEduError(f"Voilà did not start within {seconds:.0f} s")


def _has_display() -> bool:
    """True on a desktop; on a server without one, Python would open a text browser in the terminal."""
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def present(lesson: LessonToPresent, port: int | None = None, open_browser: bool = False) -> int:
    """Serve ``lesson`` with Voilà until it is stopped (Ctrl+C); print the address to open.

    Returns Voilà's exit code (0 after Ctrl+C)."""
    if not port:
        port = free_port()
    elif _bind(port) is None:
        raise SolidarityEduError(f"port {port} is already in use; choose another with --port, or leave --port out")
    token = secrets.token_urlsafe(16)
    url = f"http://{HOST}:{port}/?token={token}"
    with tempfile.TemporaryDirectory(prefix="solidarity-edu-present-") as tmp:
        folder = Path(tmp)
        (folder / "lesson").mkdir()
        notebook = write_student_copy(lesson, folder / "lesson")
        data_path = write_template(folder / "jupyter")
        env = dict(os.environ)
        # The kernel runs in the temporary folder, so tell the lesson where the course (and data/) is.
        env.setdefault("SOLIDARITY_EDU_ROOT", str(lesson.project_root))
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_path), env.get("JUPYTER_PATH")]))
        log.info("presenting %s (%s) for %s in %s", lesson.lesson_id, lesson.title, lesson.audience, lesson.language)
        proc = subprocess.Popen(voila_command(notebook, port, token), env=env, stdin=subprocess.DEVNULL)

        def on_term(_signum: int, _frame: FrameType | None) -> None:
            raise SystemExit(143)

        previous = signal.signal(signal.SIGTERM, on_term)
        try:
            _wait_for_port(proc, port)
            print(f"Open the lesson at {url}", flush=True)
            log.info("Stop the lesson with Ctrl+C.")
            if open_browser and _has_display():
                webbrowser.open(url)
            return proc.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            _stop(proc)
            signal.signal(signal.SIGTERM, previous)
