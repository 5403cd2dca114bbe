"""Executing one lesson: a timed-out cell is named, and a kernel that fails to start is started again.

The kernels are real. The one that fails to start is ipykernel itself, started by a kernelspec whose
launcher first takes the kernel's shell port, so ipykernel's bind fails with "Address already in
use", the failure two kernels starting at once on a busy machine produce.
"""

from __future__ import annotations

import json
import logging
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.builder.execute import execute_lesson
from solidarity_edu.errors import KernelStartError, LessonExecutionError

# Takes the shell port of its connection file on its first FAILS starts, then runs ipykernel in the
# same process: ipykernel cannot bind the port and exits, as a kernel that lost a port race does.
LAUNCHER = textwrap.dedent(
    """
    import json, socket, sys
    from pathlib import Path

    starts, fails, connection_file = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with starts.open("a") as f:
        f.write("start\\n")
    held = None
    if len(starts.read_text().splitlines()) <= fails:
        port = json.loads(Path(connection_file).read_text())["shell_port"]
        held = socket.socket()
        held.bind(("127.0.0.1", port))
        held.listen()
    from ipykernel import kernelapp
    sys.argv = [sys.argv[0], "-f", connection_file]
    kernelapp.launch_new_instance()
    """
)


def _flaky_kernel(tmp_path: Path, monkeypatch, fails: int) -> Path:
    """Install a kernelspec 'flaky' (found through JUPYTER_PATH); return the file that counts its starts."""
    spec_dir = tmp_path / "jupyter" / "kernels" / "flaky"
    spec_dir.mkdir(parents=True)
    launcher = tmp_path / "launcher.py"
    launcher.write_text(LAUNCHER)
    starts = tmp_path / "starts.txt"
    argv = [sys.executable, str(launcher), str(starts), str(fails), "{connection_file}"]
    (spec_dir / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "flaky", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return starts


def _lesson(tmp_path: Path, extra_code: str = "") -> Path:
    course = make_course(tmp_path / "course", {"01-alpha": lesson_cells("01", extra_code=extra_code)})
    return course.parent / "01-alpha.ipynb"


def test_a_kernel_that_loses_its_port_is_started_again(tmp_path, monkeypatch, caplog):
    starts = _flaky_kernel(tmp_path, monkeypatch, fails=2)
    notebook = _lesson(tmp_path)
    with caplog.at_level(logging.WARNING, logger="solidarity_edu.builder.execute"):
        executed = execute_lesson(notebook, "01-alpha", "community", kernel_name="flaky")
    assert len(starts.read_text().splitlines()) == 3
    retries = [r.getMessage() for r in caplog.records if "did not start" in r.getMessage()]
    assert len(retries) == 2 and all("01-alpha (community)" in m for m in retries), retries
    assert "attempt 1 of 3" in retries[0] and "attempt 2 of 3" in retries[1]
    assert "Kernel died before replying" in retries[0], retries
    # The lesson really ran on the third kernel: the course map drew.
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("application/vnd.vegalite.v5+json" in o.get("data", {}) for o in outputs)
    # papermill's record names the notebook, not its whole text (it was copied by every export step).
    assert executed.metadata.papermill.input_path == str(notebook.resolve())


def test_a_kernel_that_never_starts_is_one_line_naming_lesson_and_audience(tmp_path, monkeypatch):
    starts = _flaky_kernel(tmp_path, monkeypatch, fails=99)
    notebook = _lesson(tmp_path)
    with pytest.raises(KernelStartError) as caught:
        execute_lesson(notebook, "01-alpha", "high-school", kernel_name="flaky", start_attempts=2)
    message = str(caught.value)
    assert len(starts.read_text().splitlines()) == 2
    assert message.startswith("01-alpha (high-school): the 'flaky' kernel did not start after 2 attempts")
    assert "\n" not in message


def test_a_cell_past_the_timeout_is_named_with_lesson_audience_and_cell(tmp_path):
    # Only the sleeping cell may take time: every cell before it is instant, so a loaded machine cannot
    # make an earlier cell (importing the helpers, drawing a chart) the one that runs out of time.
    cells = lesson_cells("01")
    instant = [c for c in cells if c.cell_type != "code" or "parameters" in c.metadata.get("tags", [])]
    instant.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(120)", id="fx01-sleep"))
    notebook = make_course(tmp_path / "course", {"01-alpha": instant}).parent / "01-alpha.ipynb"
    source = nbformat.read(notebook, as_version=4)
    sleeping_cell = next(n for n, c in enumerate(source.cells, start=1) if "time.sleep" in c.source)  # 1-based
    with pytest.raises(LessonExecutionError) as caught:
        execute_lesson(notebook, "01-alpha", "community", cell_timeout=3)
    err = caught.value
    assert (err.lesson, err.audience, err.cell, err.ename) == (
        "01-alpha",
        "community",
        sleeping_cell,
        "CellTimeoutError",
    )
    message = str(err)
    assert message.startswith(f"01-alpha (community): cell {sleeping_cell} failed: CellTimeoutError: ")
    assert "3 s" in message and "--cell-timeout" in message and "\n" not in message
