"""Execute one lesson for one audience with papermill, and turn a failure into a one-line message.

Built to finish on a busy machine (a teacher's laptop during a video call, a hub node during class):

- every wait on the kernel is bounded by the cell timeout, including the wait for a cell's last
  output after the kernel has replied (nbclient's own ``iopub_timeout`` is 4 s, which a slow but
  healthy cell can exceed when other programs hold every core);
- a kernel that fails to start (two kernels picked the same free port, a start slower than the
  start-up timeout) is started again, up to ``KERNEL_START_ATTEMPTS`` times, then reported in one
  line naming the lesson and audience;
- a cell that times out, or whose kernel dies under it, is named like any other failing cell.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import nbformat

from ..errors import KernelStartError, LessonExecutionError
from ..lesson import executed_cell_number

log = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ARROW = re.compile(r"^-+>\s*(\d+)\s(.*)$")

# Kernel start is the floor of every execution; a cell that runs longer than this is a bug in a lesson.
# `solidarity-edu build --cell-timeout SECONDS` changes it for one build.
CELL_TIMEOUT_SECONDS = 300
# How long one kernel may take to start and answer, and how many times the build tries.
KERNEL_START_SECONDS = 120
KERNEL_START_ATTEMPTS = 3

_ENGINE = "solidarity_edu"


def _source_cell_number(source: nbformat.NotebookNode, executed_index: int) -> int | None:
    """1-based cell number in the source notebook, allowing for the cell papermill injects
    right after the ``parameters`` cell."""
    return executed_cell_number(source.cells, executed_index)


def _failing_line(traceback: list[str]) -> str | None:
    """The line of the lesson cell that raised, from IPython's traceback ('----> 2 foo()')."""
    text = _ANSI.sub("", "\n".join(traceback or []))
    in_cell = False
    for line in text.splitlines():
        if line.startswith("Cell In["):
            in_cell = True
        elif in_cell:
            match = _ARROW.match(line.strip())
            if match:
                return f"line {match.group(1)}: {match.group(2).strip()}"
    return None


def _first_line(err: BaseException) -> str:
    text = _ANSI.sub("", str(err)).strip()
    return text.splitlines()[0] if text else type(err).__name__


class _KernelDidNotStart(Exception):
    """The kernel failed before the first cell ran (raised inside the engine, caught below)."""


class _CellInterrupted(Exception):
    """A cell stopped without an error of its own: it timed out, or its kernel died."""

    def __init__(self, index: int, err: BaseException) -> None:
        super().__init__(index, err)
        self.index, self.err = index, err


def _engine():
    """papermill's nbclient engine, with a client that knows which cell it is running."""
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellExecutionError
    from nbclient.util import run_sync
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if _ENGINE in papermill_engines._engines:
        return

    class Client(PapermillNotebookClient):
        cells_started = False

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            self.cells_started = True
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            except CellExecutionError:
                raise  # papermill records it in the notebook; execute_lesson reads it from there
            except Exception as err:  # CellTimeoutError, DeadKernelError ...
                raise _CellInterrupted(cell_index, err) from err

        execute_cell = run_sync(async_execute_cell)

        def execute(self, **kwargs):
            try:
                return super().execute(**kwargs)
            except _CellInterrupted:
                raise
            except Exception as err:
                if not self.cells_started and not isinstance(err, NoSuchKernel):
                    raise _KernelDidNotStart(_first_line(err)) from err
                raise

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, start_timeout=60, execution_timeout=None, **kwargs):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                # Bounded by the cell timeout, not nbclient's 4 s: a busy machine delays the last
                # output of a healthy cell by more than that.
                iopub_timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=log,
            )
            return Client(nb_man, **final).execute()

    papermill_engines.register(_ENGINE, Engine)


def execute_lesson(
    notebook: Path,
    lesson: str,
    audience: str,
    kernel_name: str = "python3",
    cell_timeout: int = CELL_TIMEOUT_SECONDS,
    start_attempts: int = KERNEL_START_ATTEMPTS,
    language: str = "en",
    locale: Path | None = None,
) -> nbformat.NotebookNode:
    """Run ``notebook`` top to bottom with ``audience`` injected; return the executed notebook.

    In another ``language`` the lesson is first translated from its catalog in ``locale`` (see
    solidarity_edu/translate/lesson.py) and runs with ``language`` injected beside ``audience``, so its
    widgets, prompts and charts speak that language too.

    A cell may run for ``cell_timeout`` seconds. A kernel that does not start is tried again, up to
    ``start_attempts`` times in all.

    Raises LessonExecutionError naming the lesson, audience, cell number and failing line, or
    KernelStartError naming the lesson and audience when no kernel would start.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _engine()
    notebook = notebook.resolve()
    source = nbformat.read(notebook, as_version=4)
    parameters = {"audience": audience}
    if language != "en":
        source = lesson_in(source, notebook, language, locale or notebook.parent.parent / "locale")
        parameters["language"] = language
    reason, last = "", None
    for attempt in range(1, max(1, start_attempts) + 1):
        try:
            return papermill.execute_notebook(
                source,
                None,
                parameters=parameters,
                engine_name=_ENGINE,
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                # The kernel starts in the lesson's folder. (papermill's cwd= would chdir the whole
                # process, which is unsafe with several lessons running in threads.)
                resources={"metadata": {"path": str(notebook.parent)}},
                # Shut kernels down at once: a graceful shutdown sometimes stalls for seconds.
                shutdown_kernel="immediate",
                execution_timeout=int(cell_timeout),
                start_timeout=KERNEL_START_SECONDS,
                # Keep the kernel's own start-up warnings out of the teacher's terminal.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except _KernelDidNotStart as err:
            reason = str(err)
            log.warning(
                "%s (%s): the kernel did not start (attempt %d of %d): %s",
                lesson,
                audience,
                attempt,
                start_attempts,
                reason,
            )
            last = err
        except _CellInterrupted as err:
            from nbclient.exceptions import CellTimeoutError, DeadKernelError

            if isinstance(err.err, CellTimeoutError):
                what = (
                    f"it was still running after {int(cell_timeout)} s, the limit for one cell; "
                    "if it is only slow, raise the limit with --cell-timeout SECONDS"
                )
            elif isinstance(err.err, DeadKernelError):
                what = "the kernel stopped while running it (out of memory, or the cell ended Python)"
            else:
                what = _first_line(err.err)
            raise LessonExecutionError(
                lesson, audience, _source_cell_number(source, err.index), type(err.err).__name__, what
            ) from err.err
        except PapermillExecutionError as err:
            raise LessonExecutionError(
                lesson,
                audience,
                _source_cell_number(source, err.cell_index),
                err.ename,
                _ANSI.sub("", str(err.evalue)),
                _failing_line(err.traceback),
            ) from err
        except Exception as err:  # a missing kernel, an unreadable notebook ...
            raise LessonExecutionError(lesson, audience, None, type(err).__name__, _first_line(err)) from err
    raise KernelStartError(lesson, audience, start_attempts, reason, kernel_name) from last


def lesson_in(source: nbformat.NotebookNode, notebook: Path, language: str, locale: Path) -> nbformat.NotebookNode:
    """The lesson translated into ``language`` from ``locale/<lang>/LC_MESSAGES/<notebook>.po``.

    Raises TranslationError naming the catalog when it is missing or unreadable."""
    from ..translate.lesson import lesson_from_catalog

    return lesson_from_catalog(source, notebook.stem, language, locale)
