"""A build reuses one kernel per thread: nothing of one lesson reaches the next, a kernel that saw a
failure is replaced, and the exports are the same bytes as with a new kernel for every lesson."""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import FIXED_EPOCH
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.builder import runner
from solidarity_edu.builder.execute import KernelPool, execute_lesson
from solidarity_edu.errors import LessonExecutionError


def _with_code(number: str, source: str) -> list:
    cells = lesson_cells(number)
    cells.append(nbformat.v4.new_code_cell(source))
    return cells


def _outputs_text(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_a_reused_kernel_keeps_nothing_of_the_last_lesson(tmp_path):
    course = make_course(
        tmp_path / "course",
        {
            "01-alpha": _with_code("01", "import json\nleak_qxzw = 1\nprint('pid', __import__('os').getpid())"),
            "02-beta": _with_code(
                "02",
                "print('names', sorted(n for n in ('leak_qxzw', 'json') if n in dir()))\n"
                "print('pid', __import__('os').getpid())\nprint('cwd', __import__('os').getcwd())",
            ),
        },
    )
    folder = course.parent
    with KernelPool() as pool:
        first = execute_lesson(folder / "01-alpha.ipynb", "01-alpha", "high-school", pool=pool)
        second = execute_lesson(folder / "02-beta.ipynb", "02-beta", "high-school", pool=pool)
    a, b = _outputs_text(first), _outputs_text(second)
    pid = next(line for line in a.splitlines() if line.startswith("pid"))
    assert pid in b, "the second lesson did not run in the same kernel"
    assert "names []" in b
    assert f"cwd {folder.resolve()}" in b
    counts = [c.execution_count for c in second.cells if c.cell_type == "code" and c.execution_count]
    assert counts == list(range(1, len(counts) + 1)), counts


def test_a_kernel_that_saw_a_failure_is_replaced(tmp_path):
    course = make_course(
        tmp_path / "course",
        {
            "01-alpha": _with_code("01", "print('pid', __import__('os').getpid())\nraise ValueError('qxzw')"),
            "02-beta": _with_code("02", "print('pid', __import__('os').getpid())"),
        },
    )
    folder = course.parent
    with KernelPool() as pool:
        try:
            execute_lesson(folder / "01-alpha.ipynb", "01-alpha", "high-school", pool=pool)
        except LessonExecutionError as err:
            assert "qxzw" in str(err)
        else:
            raise AssertionError("the failing lesson did not fail")
        assert pool._local.km is None, "the kernel that saw the failure is still in the pool"
        second = execute_lesson(folder / "02-beta.ipynb", "02-beta", "high-school", pool=pool)
        assert pool._local.km is not None and pool._local.km.has_kernel
    assert pool._managers == []
    pid = int(next(line for line in _outputs_text(second).splitlines() if line.startswith("pid")).split()[1])
    assert not _running(pid), "the pool left its kernel running after the build"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def _files(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(root).parts and p.name != ".build-state.json"
    }


def test_reused_kernels_make_the_same_bytes_as_fresh_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    course = make_course(tmp_path / "course")
    data = tmp_path / "course" / "data"
    reused, fresh = tmp_path / "reused", tmp_path / "fresh"
    assert runner.build(course, reused, data, pdf=False, workers=1).ok
    assert runner.build(course, fresh, data, pdf=False, workers=1, fresh_kernels=True).ok
    a, b = _files(reused), _files(fresh)
    assert a.keys() == b.keys() and len(a) >= 18
    assert [name for name in a if a[name] != b[name]] == []
