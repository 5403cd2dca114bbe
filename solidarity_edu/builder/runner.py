"""Run a build: check everything first, execute stale lessons on every core, export, print, index.

How many lessons run at once: see jobs.py (one per core, bounded by free memory)."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from ..course import ENGLISH, Course, load_course
from ..errors import BuildError, CourseError, SolidarityEduError
from ..i18n import speaking
from ..lesson import read_lesson
from ..lint import preflight, standards_problems
from ..standards import lesson_standards
from ..translate.course import course_in
from .cache import cache_in
from .course_plan import write_course_pages
from .export import LessonContext, export_all, write_handout
from .handout import DEFAULT_PAPER, PAPER_SIZES
from .index import index_html
from .jobs import default_jobs
from .packs import make_packs
from .plan import OUTPUT_FILES, Job, is_current, language_root, plan, read_state, write_state

log = logging.getLogger("solidarity_edu.builder")

# Drawn charts and the Vega runtime, kept between builds (see cache.py).
CACHE_FOLDER = ".cache"
# In CACHE_FOLDER: the page each PDF was printed from (see pdf.PrintRecord).
PRINT_RECORD = "printed.json"


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    # job name -> seconds spent executing (a run shared by several audiences is split evenly between
    # them), exporting and printing its PDFs. Reported by `build --timings FILE` (used by make bench).
    timings: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def _context(course: Course, job: Job, data_dir: Path, paper: str = DEFAULT_PAPER) -> LessonContext:
    """What the pages print about the lesson, in the job's language (``course`` is already in it)."""
    return LessonContext(
        course_title=course.title,
        lesson_id=job.lesson.id,
        lesson_title=course.lesson(job.lesson.id).title,
        audience=job.audience,
        audience_label=course.audiences[job.audience].label,
        language=job.language,
        duration=job.lesson.duration_minutes[job.audience],
        course_audiences=tuple(course.audiences),
        paper=paper,
        standards=tuple(lesson_standards(job.lesson.standards)),
        data_dir=data_dir,
    )


def _write_handouts(run: Run, courses: dict[str, Course], data_dir: Path, paper: str, locale: Path) -> set[str]:
    """Write the handout of each output set of ``run`` before its lesson runs: the handout is designed
    from the lesson model, not from outputs (export.write_handout), so it prints while the kernel works.
    Returns the names of the jobs whose handout is written. A handout that cannot be written is left to
    export_all, which reports the problem with the rest of that output set."""
    import nbformat

    from ..lesson import LessonModel
    from .execute import lesson_in

    written = set()
    language = run.language
    try:
        if language == ENGLISH:
            model = read_lesson(run.lesson.notebook)
        else:
            source = nbformat.read(run.lesson.notebook, as_version=4)
            model = LessonModel.from_notebook(
                lesson_in(source, run.lesson.notebook, language, locale), run.lesson.id + ".ipynb"
            )
    except SolidarityEduError as err:
        log.debug("%s: handouts left for the export: %s", run.name, err)
        return written
    for job in run.jobs:
        try:
            with speaking(language):
                write_handout(model, _context(courses[language], job, data_dir, paper), job.out_dir)
        except SolidarityEduError as err:
            log.debug("%s: handout left for the export: %s", job.name, err)
            continue
        written.add(job.name)
    return written


def _remove_outputs(job: Job) -> None:
    for name in OUTPUT_FILES:
        (job.out_dir / name).unlink(missing_ok=True)


@contextlib.contextmanager
def _kernels_without_real_journals() -> Iterator[None]:
    """Kernels started by the build get an empty journal of their own, so no student's answer can
    ever reach an export. The variables are put back afterwards, so a caller's process is unchanged."""
    keys = ("SOLIDARITY_EDU_JOURNAL", "SOLIDARITY_EDU_BUILD")
    saved = {key: os.environ.get(key) for key in keys}
    with tempfile.TemporaryDirectory(prefix="solidarity-edu-build-") as tmp:
        os.environ["SOLIDARITY_EDU_JOURNAL"] = str(Path(tmp) / "journal.sqlite3")
        os.environ["SOLIDARITY_EDU_BUILD"] = "1"
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@dataclass
class Run:
    """One execution of a lesson and the jobs (audiences) whose outputs are made from it."""

    jobs: list[Job]
    reruns: bool = False  # the lesson reads ``audience``: its audience cells run again per audience

    @property
    def lesson(self):
        return self.jobs[0].lesson

    @property
    def language(self) -> str:
        """The language the lesson runs in (every job of a run shares it)."""
        return self.jobs[0].language

    @property
    def audience(self) -> str:
        """The audience injected into the run (the first of its jobs)."""
        return self.jobs[0].audience

    @property
    def name(self) -> str:
        if len(self.jobs) == 1:
            return self.jobs[0].name
        return f"{self.lesson.id} ({', '.join(job.audience for job in self.jobs)}: one run)"


def runs_for(todo: list[Job]) -> list[Run]:
    """Group the jobs to execute into runs.

    A lesson whose code never reads ``audience`` computes the same outputs for every audience (its
    audience-specific cells are Markdown, chosen at export), so it runs once and every audience's
    outputs are made from that run. A lesson that reads ``audience`` only in cells that show something
    (``course_map(audience)``) also runs once, and those cells run again for each other audience in
    the same kernel (``Run.reruns``). A lesson that gives a name a value from ``audience`` runs once per
    audience. Runs keep the order of ``todo``."""
    runs: list[Run] = []
    shared: dict[tuple[str, str], Run] = {}
    for job in todo:
        lesson = job.lesson
        if (lesson.id, job.language) in shared:
            shared[(lesson.id, job.language)].jobs.append(job)
            continue
        model = read_lesson(lesson.notebook)
        run = Run([job], reruns=model.reads_audience)
        runs.append(run)
        if not model.reads_audience or model.audience_only_in_expressions:
            shared[(lesson.id, job.language)] = run
    return runs


def build(
    course_path: Path = Path("notebooks/course.yaml"),
    exports: Path = Path("exports"),
    data_dir: Path = Path("data"),
    lessons: list[str] | None = None,
    audiences: list[str] | None = None,
    force: bool = False,
    workers: int | None = None,
    pdf: bool = True,
    cell_timeout: int | None = None,
    paper: str = DEFAULT_PAPER,
    languages: list[str] | None = None,
    fresh_kernels: bool = False,
) -> BuildReport:
    """Build every export. Problems with course.yaml or a notebook's tags stop the build before any
    lesson runs; a failing cell stops only that lesson's outputs.

    ``workers`` lessons run at once (default: ``default_jobs()``); a cell may run ``cell_timeout``
    seconds (default: ``CELL_TIMEOUT_SECONDS``). Pages print on ``paper``: letter (default) or a4. With
    PDFs, each audience also gets its packs (see packs.py). ``languages`` (default: every language in
    course.yaml) are built one after the other into exports/ (English) and exports/<tag>/. Each build
    thread reuses one kernel from lesson to lesson, reset before each (builder/execute.py, KernelPool);
    ``fresh_kernels`` starts a new kernel for every lesson instead."""
    from .execute import CELL_TIMEOUT_SECONDS, KernelPool, execute_lesson, for_audience, load_engine
    from .pdf import PdfPrinter, PrintRecord, chromium_path

    started = time.perf_counter()
    if paper not in PAPER_SIZES:
        raise BuildError(f"--paper {paper!r}: choose one of {', '.join(PAPER_SIZES)}")
    course = load_course(course_path)
    unknown = standards_problems(course)
    if unknown:
        raise CourseError(str(unknown[0]) + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""))
    jobs = plan(course, exports, data_dir, lessons, audiences, paper, languages)
    courses = {lang.tag: course_in(course, lang.tag) for lang in course.languages}
    for lesson in {job.lesson.id: job.lesson for job in jobs}.values():
        preflight(lesson.notebook, course)
    if pdf:
        chromium_path()  # fail now, not after every lesson has run
    state = read_state(exports)
    built_languages = [lang.tag for lang in course.languages if not languages or lang.tag in languages]
    report = BuildReport()
    todo = [job for job in jobs if force or not is_current(job, state, pdf)]
    report.skipped = [job.name for job in jobs if job not in todo]
    runs = runs_for(todo)
    total = len(runs)
    if report.skipped:
        log.info("%d of %d outputs are up to date", len(report.skipped), len(jobs))
    if workers is not None and workers < 1:
        raise BuildError(f"--jobs must be at least 1, not {workers}")
    workers = workers or default_jobs()
    if runs:
        log.info("%d lesson runs for %d outputs, %d at once", total, len(todo), min(workers, total))
    timeout = cell_timeout or CELL_TIMEOUT_SECONDS
    if runs:
        # Imported here, not in the build threads: two threads importing one package at once can meet it
        # half-imported (execute.load_engine). The same for the translator, used here and in the threads.
        load_engine()
        if any(job.language != ENGLISH for job in todo):
            import_module("solidarity_edu.translate.lesson")

    def new_printer() -> PdfPrinter:
        # A page that has not changed since the last build keeps its PDF (pdf.PrintRecord); --force prints all.
        return PdfPrinter(record=PrintRecord(exports / CACHE_FOLDER / PRINT_RECORD, exports), reprint=force)

    printer = new_printer() if pdf and todo else None
    kernels = None if fresh_kernels else KernelPool()
    with _kernels_without_real_journals(), cache_in(exports / CACHE_FOLDER):
        # The kernels stop once the last lesson has run (the executor's threads end first).
        with kernels or contextlib.nullcontext(), ThreadPoolExecutor(max_workers=max(1, min(workers, total))) as pool:
            running: dict[Future, tuple[Run, float]] = {}
            early: set[str] = set()  # jobs whose handout was written before their lesson ran
            queue = list(runs)
            done_count = 0

            def submit() -> None:
                run = queue.pop(0)
                log.info("[%d/%d] running  %s", done_count + len(running) + 1, total, run.name)
                future = pool.submit(
                    execute_lesson,
                    run.lesson.notebook,
                    run.lesson.id,
                    run.audience,
                    cell_timeout=timeout,
                    language=run.language,
                    locale=course.locale,
                    also_for=[job.audience for job in run.jobs] if run.reruns and len(run.jobs) > 1 else [],
                    pool=kernels,
                )
                running[future] = (run, time.perf_counter())
                # While the kernel works: the handouts need no outputs, so they are written and printed now.
                handouts = _write_handouts(run, courses, data_dir, paper, course.locale)
                early.update(handouts)
                for job in run.jobs:
                    if printer is not None and job.name in handouts:
                        printer.submit(job.out_dir / "worksheet.html", job.out_dir / "worksheet.pdf")

            while queue and len(running) < workers:
                submit()
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    run, t0 = running.pop(future)
                    done_count += 1
                    if queue:
                        submit()
                    executed, error = None, None
                    try:
                        executed = future.result()
                    except SolidarityEduError as err:
                        error = err
                    executed_at = time.perf_counter()
                    for job in run.jobs:
                        t1 = time.perf_counter()
                        try:
                            if error is not None:
                                raise error
                            mine = for_audience(executed, job.lesson.id, job.audience)
                            with speaking(job.language):
                                export_all(
                                    mine,
                                    _context(courses[job.language], job, data_dir, paper),
                                    job.out_dir,
                                    handout_written=job.name in early,
                                )
                        except SolidarityEduError as err:
                            report.failed[job.name] = str(err)
                            state.pop(job.name, None)
                            if printer is not None:
                                printer.withdraw(job.out_dir / "worksheet.pdf")
                            _remove_outputs(job)  # never leave last week's slides looking current
                            log.error("[%d/%d] FAILED   %s", done_count, total, err)
                            continue
                        report.timings[job.name] = {
                            "execute": round((executed_at - t0) / len(run.jobs), 3),
                            "export": round(time.perf_counter() - t1, 3),
                        }
                        if printer is not None:
                            for kind in (
                                ("reading", "guide") if job.name in early else ("worksheet", "reading", "guide")
                            ):
                                printer.submit(job.out_dir / f"{kind}.html", job.out_dir / f"{kind}.pdf")
                        state[job.name] = job.key
                        report.built.append(job.name)
                        log.info("[%d/%d] exported %s (%.1f s)", done_count, total, job.name, time.perf_counter() - t0)
        course_pages = []
        for tag in built_languages:
            with speaking(tag):
                written = write_course_pages(courses[tag], language_root(exports, tag), data_dir)
            course_pages += [
                (html, html.with_suffix(".pdf"))
                for html in written
                if not html.with_suffix(".pdf").is_file()
                or html.stat().st_mtime_ns > html.with_suffix(".pdf").stat().st_mtime_ns
            ]
        if pdf and course_pages:
            if printer is None:
                printer = new_printer()
            for html, pdf_path in course_pages:
                printer.submit(html, pdf_path)
        if printer is not None:
            log.info("finishing the PDFs")
            if printer.kept:
                log.info("%d PDFs kept: their pages have not changed since they were printed", printer.kept)
            printer.finish_faster()
            try:
                printer.close()
            except BuildError:
                for job_name in report.built:
                    state.pop(job_name, None)
                write_state(exports, state)
                raise
            for job_name, seconds in printer.seconds_by_folder(exports).items():
                if job_name in report.timings:
                    report.timings[job_name]["print"] = round(seconds, 3)
    write_state(exports, state)
    for tag in built_languages:
        root = language_root(exports, tag)
        with speaking(tag):
            if pdf:
                log.info("joining the packs%s", "" if tag == ENGLISH else f" ({tag})")
                make_packs(courses[tag], root, paper)
            failed = {
                name.removeprefix(f"{tag}/") for name in report.failed if tag == ENGLISH or name.startswith(f"{tag}/")
            }
            text = index_html(courses[tag], root, failed, language=tag, languages=index_languages(course, tag))
        index = root / "index.html"
        if not index.is_file() or index.read_text(encoding="utf-8") != text:
            index.write_text(text, encoding="utf-8")
    report.seconds = time.perf_counter() - started
    return report


def index_languages(course: Course, current: str) -> list[dict]:
    """The index's language switch: each language's name and the link to its index from ``current``'s."""
    up = "" if current == ENGLISH else "../"
    return [
        {
            "tag": lang.tag,
            "name": lang.name,
            "href": f"{up}index.html" if lang.tag == ENGLISH else f"{up}{lang.tag}/index.html",
            "current": lang.tag == current,
        }
        for lang in course.languages
    ]
