"""A cold build finishes on a machine whose every core is already at 100%.

The issue this guards against: on a loaded machine nbclient's 4-second wait for a cell's last
output fired on cells that were only slow, and two kernels starting at once took the same port.
Here four spinning processes per core run for the whole build (started and stopped by the test);
three real lessons are built cold, PDFs included, and every job must be built.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, require_tool, run_cli
from fixtures.servers import busy_cores, cpu_seconds

pytestmark = pytest.mark.slow

LESSONS = ["00-welcome", "01-exclusion", "07-defining-solidarity"]


def test_cold_build_of_three_lessons_with_pdfs_while_every_core_is_busy(tmp_path):
    require_tool("chromium", "chromium")
    exports = tmp_path / "exports"
    # English only: the load is the point here, and three languages would triple the build
    args = [arg for lesson in LESSONS for arg in ("--lesson", lesson)] + ["--language", "en"]
    with busy_cores(per_core=4) as spinners:
        result = run_cli(ROOT / "notebooks" / "course.yaml", "build", "--exports", str(exports), *args, timeout=1500)
        alive = [proc.poll() is None for proc in spinners]
        used = [cpu_seconds(proc.pid) for proc in spinners]
    assert all(alive), "a busy process died during the build: the machine was not loaded throughout"
    assert all(seconds > 0 for seconds in used), used
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = [f"{lesson}/{audience}" for lesson in LESSONS for audience in ("high-school", "college", "community")]
    assert f"built {len(jobs)}, up to date 0, failed 0" in result.stderr, result.stderr[-3000:]
    for job in jobs:
        for name in ("slides.html", "worksheet.pdf", "guide.pdf", "student.ipynb"):
            assert (exports / job / name).stat().st_size > 0, f"{job}/{name} missing"
