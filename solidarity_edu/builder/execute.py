"""Execute one lesson for one audience with papermill, and turn a failure into a one-line message.

Built to finish on a busy machine (a teacher's laptop during a video call, a hub node during class):

- every wait on the kernel is bounded by the cell timeout, including the wait for a cell's last
  output after the kernel has replied (nbclient's own ``iopub_timeout`` is 4 s, which a slow but
  healthy cell can exceed when other programs hold every core);
- a kernel that fails to start (two kernels picked the same free port, a start slower than the
  start-up timeout) is started again, up to ``KERNEL_START_ATTEMPTS`` times, then reported in one
  line naming the lesson and audience;
- a cell that times out, or whose kernel dies under it, is named like any other failing cell.

A build reuses its kernels (:class:`KernelPool`): each build thread keeps one kernel and runs lesson
after lesson in it, resetting it before each (IPython's ``reset``: every name the last lesson made is
gone, the execution count starts again at 1, the working folder is the lesson's). Starting a kernel
and importing pandas and Altair into it cost more than a second and a half of a lesson's run. A kernel
that saw any failure is shut down, and the next lesson gets a new one. ``build --fresh-kernels`` starts
one kernel per lesson instead, as before.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
# Notebook metadata key for the outputs of cells run again for other audiences (see for_audience).
RERUN_KEY = "solidarity_edu_reruns"
# Run in a reused kernel before a lesson: no name of the last lesson survives, the count starts at 1,
# and nothing is left in the lesson's namespace (not even ``os``).
_RESET = "get_ipython().reset(new_session=True)\n__import__('os').chdir({folder!r})"


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


def load_engine() -> None:
    """Import papermill and register this project's engine: a client that knows which cell it is running.

    A build calls it in its main thread before any lesson runs. Left to the build threads, two of them
    importing papermill at once could meet jupyter_client half-imported and fail ("cannot import name
    'AsyncKernelManager' from partially initialized module"), as a bench run did on 2026-12-07."""
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
        cell_failed = False
        rerun_for: tuple[str, ...] = ()  # the other audiences whose cells run again (see rerun_audience_cells)
        rerun_ids: frozenset[str] = frozenset()

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            self.cells_started = True
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            except CellExecutionError:
                self.cell_failed = True
                raise  # papermill records it in the notebook; execute_lesson reads it from there
            except Exception as err:  # CellTimeoutError, DeadKernelError ...
                raise _CellInterrupted(cell_index, err) from err

        execute_cell = run_sync(async_execute_cell)

        reset_to: str | None = None  # a reused kernel: reset it and work in this folder first

        def papermill_execute_cells(self):
            if self.reset_to is not None:
                run_aside(self, nbformat.v4.new_code_cell(_RESET.format(folder=self.reset_to)), 0)
            super().papermill_execute_cells()
            if self.rerun_for and not self.cell_failed:
                self.nb.metadata[RERUN_KEY] = rerun_audience_cells(self, self.rerun_for, self.rerun_ids)

        def execute(self, **kwargs):
            try:
                return super().execute(**kwargs)
            except _CellInterrupted:
                raise
            except Exception as err:
                if not self.cells_started and not isinstance(err, NoSuchKernel):
                    raise _KernelDidNotStart(_first_line(err)) from err
                raise
            finally:
                if not self.owns_km and self.kc is not None:
                    self.kc.stop_channels()  # the kernel stays for the next lesson; this client's sockets go

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, start_timeout=60, execution_timeout=None, **kwargs):
            rerun_for = tuple(kwargs.pop("rerun_for", ()))
            rerun_ids = frozenset(kwargs.pop("rerun_ids", ()))
            km = kwargs.pop("km", None)
            reset_to = kwargs.pop("reset_to", None)
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
            client = Client(nb_man, km=km, **final)
            client.rerun_for, client.rerun_ids, client.reset_to = rerun_for, rerun_ids, reset_to
            return client.execute()

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
    also_for: Sequence[str] = (),
    pool: KernelPool | None = None,
) -> nbformat.NotebookNode:
    """Run ``notebook`` top to bottom with ``audience`` injected; return the executed notebook.

    ``also_for`` names other audiences of a lesson whose cells read ``audience`` only in expressions
    (``LessonModel.audience_only_in_expressions``): after the run, in the same kernel, those cells run
    again once for each of them. Their outputs travel in the notebook's metadata; ``for_audience``
    makes each audience's notebook from it.

    With a ``pool``, the lesson runs in this thread's reused kernel (see the module docstring).

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

    load_engine()
    notebook = notebook.resolve()
    source = nbformat.read(notebook, as_version=4)
    parameters = {"audience": audience}
    reruns = {}
    if also_for:
        from ..lesson import read_lesson

        reruns = {
            "rerun_for": [a for a in also_for if a != audience],
            "rerun_ids": [cell.id for cell in read_lesson(notebook).audience_cells],
        }
    if language != "en":
        source = lesson_in(source, notebook, language, locale or notebook.parent.parent / "locale")
        parameters["language"] = language
    reason, last = "", None
    for attempt in range(1, max(1, start_attempts) + 1):
        pooled = {}
        if pool is not None:
            pooled = {"km": pool.manager(kernel_name), "reset_to": str(notebook.parent)}
        try:
            try:
                executed = papermill.execute_notebook(
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
                    **reruns,
                    **pooled,
                )
            except BaseException:
                if pool is not None:
                    pool.discard()  # a kernel that saw a failure is not trusted with the next lesson
                raise
            if pool is not None and any(r["error"] for r in executed.metadata.get(RERUN_KEY, {}).values()):
                pool.discard()
            if "papermill" in executed.metadata:
                # papermill writes the whole notebook here when it is handed one instead of a path
                # (40 kB a lesson, copied by every export step); the path is what the field means.
                executed.metadata.papermill["input_path"] = str(notebook)
            return executed
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


def run_aside(client: Any, cell: nbformat.NotebookNode, index: int) -> None:
    """Run ``cell`` in ``client``'s kernel (outputs go into ``cell``, nothing into the history) without
    leaving it in the notebook: nbclient puts the cell it ran at ``index``, so the run's own cell is put
    back. ``index`` is what error messages name."""
    own = client.nb.cells[index]
    try:
        client.execute_cell(cell, index, store_history=False)
    finally:
        client.nb.cells[index] = own


def rerun_audience_cells(client: Any, audiences: Sequence[str], cell_ids: frozenset[str]) -> dict:
    """Run the cells ``cell_ids`` again in ``client``'s kernel once per audience, after setting
    ``audience``; return ``{audience: {"outputs": {cell id: outputs}, "error": None or what failed}}``.

    Each cell keeps its execution count, so an audience's notebook reads exactly as if the lesson had
    run for it alone. A failing cell is recorded for its audience only; a timeout or a dead kernel is
    recorded for that audience and every one after it (the kernel can no longer be trusted)."""
    from nbclient.exceptions import CellExecutionError

    cells = [(index, cell) for index, cell in enumerate(client.nb.cells) if cell.get("id") in cell_ids]
    results: dict[str, dict] = {}
    broken: dict | None = None
    for audience in audiences:
        if broken is not None:
            results[audience] = {"outputs": {}, "error": broken}
            continue
        outputs: dict[str, list] = {}
        error, index = None, None
        try:
            run_aside(client, nbformat.v4.new_code_cell(f"audience = {audience!r}"), 0)
            for index, cell in cells:
                again = copy.deepcopy(cell)
                run_aside(client, again, index)
                for output in again.outputs:
                    if "execution_count" in output:
                        output["execution_count"] = cell.get("execution_count")
                outputs[cell["id"]] = again.outputs
        except CellExecutionError as err:
            error = {"index": index, "ename": err.ename, "evalue": err.evalue, "traceback": err.traceback}
        except _CellInterrupted as err:
            broken = error = {"index": err.index, "ename": type(err.err).__name__, "evalue": _first_line(err.err)}
        results[audience] = {"outputs": outputs, "error": error}
    return results


def for_audience(executed: nbformat.NotebookNode, lesson: str, audience: str) -> nbformat.NotebookNode:
    """The executed lesson as ``audience`` gets it: the run's own notebook, with the outputs of the cells
    run again for ``audience`` (see ``rerun_audience_cells``) in place. Cells are copied only where
    they change; the rest is shared, not copied.

    Raises LessonExecutionError naming the lesson, the audience and the cell when its run failed."""
    reruns = executed.metadata.get(RERUN_KEY)
    if reruns is None:
        return executed
    out = copy.copy(executed)
    out.metadata = copy.copy(executed.metadata)
    del out.metadata[RERUN_KEY]
    mine = reruns.get(audience)
    if mine is None:  # the audience the lesson ran for
        return out
    error = mine["error"]
    if error is not None:
        raise LessonExecutionError(
            lesson,
            audience,
            _source_cell_number(executed, error["index"]),
            error["ename"],
            _ANSI.sub("", str(error["evalue"])),
            _failing_line(error.get("traceback") or []),
        )
    out.cells = list(executed.cells)
    for index, cell in enumerate(out.cells):
        if cell.get("id") in mine["outputs"]:
            again = copy.copy(cell)
            again.outputs = mine["outputs"][cell["id"]]
            out.cells[index] = again
    return out


class KernelPool:
    """The build's kernels: one per build thread, reused lesson after lesson (see the module docstring).

    Use it as a context manager; every kernel it started is shut down at the end."""

    def __init__(self) -> None:
        import threading

        self._local = threading.local()
        self._lock = threading.Lock()
        self._managers: list = []

    def manager(self, kernel_name: str):
        """This thread's kernel manager (its kernel is started by the first lesson that runs in it)."""
        km = getattr(self._local, "km", None)
        if km is None or km.kernel_name != kernel_name:
            if km is not None:
                self.discard()
            from jupyter_client.manager import AsyncKernelManager

            km = AsyncKernelManager(kernel_name=kernel_name)
            self._local.km = km
            with self._lock:
                self._managers.append(km)
        return km

    def discard(self) -> None:
        """Shut this thread's kernel down; the next lesson in this thread starts a new one."""
        km = getattr(self._local, "km", None)
        self._local.km = None
        if km is not None:
            _shut_down(km)
            with self._lock:
                self._managers.remove(km)

    def close(self) -> None:
        with self._lock:
            managers, self._managers = self._managers, []
        for km in managers:
            _shut_down(km)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _shut_down(km) -> None:
    """Stop a kernel at once (a graceful shutdown sometimes stalls for seconds); never raises."""
    from jupyter_core.utils import run_sync

    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    except Exception as err:  # already gone, or its process was killed: nothing to stop
        log.debug("stopping a build kernel: %s", err)
