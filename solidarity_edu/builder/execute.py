"""Execute one lesson for one audience with papermill, and turn a failure into a one-line message."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import nbformat

from ..errors import LessonExecutionError
from ..lesson import executed_cell_number

log = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ARROW = re.compile(r"^-+>\s*(\d+)\s(.*)$")

# Kernel start is the floor of every execution; a cell that runs longer than this is a bug in a lesson.
CELL_TIMEOUT_SECONDS = 300


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


def execute_lesson(
    notebook: Path,
    lesson: str,
    audience: str,
    kernel_name: str = "python3",
) -> nbformat.NotebookNode:
    """Run ``notebook`` top to bottom with ``audience`` injected; return the executed notebook.

    Raises LessonExecutionError naming the lesson, audience, cell number and failing line.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = notebook.resolve()
    source = nbformat.read(notebook, as_version=4)
    try:
        return papermill.execute_notebook(
            source,
            None,
            parameters={"audience": audience},
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            # The kernel starts in the lesson's folder. (papermill's cwd= would chdir the whole
            # process, which is unsafe with two lessons running in threads.)
            resources={"metadata": {"path": str(notebook.parent)}},
            # Shut kernels down at once: a graceful shutdown sometimes stalls for seconds.
            shutdown_kernel="immediate",
            execution_timeout=CELL_TIMEOUT_SECONDS,
            # Keep the kernel's own start-up warnings out of the teacher's terminal.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as err:
        raise LessonExecutionError(
            lesson,
            audience,
            _source_cell_number(source, err.cell_index),
            err.ename,
            _ANSI.sub("", str(err.evalue)),
            _failing_line(err.traceback),
        ) from err
    except Exception as err:  # kernel died, timeout, missing kernel ...
        raise LessonExecutionError(lesson, audience, None, type(err).__name__, str(err)) from err
