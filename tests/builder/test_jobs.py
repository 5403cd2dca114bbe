"""--jobs: one lesson per core by default, bounded by free memory; an explicit number is honoured."""

from __future__ import annotations

from conftest import run_build, run_cli
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.builder.jobs import BASE_MB, MB_PER_JOB, default_jobs

# Each lesson's cell checks in, then waits until three lessons have checked in. With fewer than three
# kernels running at once the third never arrives and the cell runs into the build's cell timeout.
BARRIER = """import os, pathlib, time
here = pathlib.Path(os.environ["SE_TEST_BARRIER"])
(here / "{number}").touch()
while len(list(here.iterdir())) < 3:
    time.sleep(0.05)"""


def test_default_is_one_per_core_bounded_by_free_memory():
    assert default_jobs(cores_=8, available=BASE_MB + 8 * MB_PER_JOB + 100) == 8
    assert default_jobs(cores_=8, available=BASE_MB + 3 * MB_PER_JOB) == 3
    assert default_jobs(cores_=2, available=64_000) == 2
    assert default_jobs(cores_=16, available=100) == 1  # never zero
    assert default_jobs(cores_=0, available=None) == 1


def test_help_says_the_default_and_how_memory_bounds_it(tmp_path):
    course = make_course(tmp_path / "course")
    result = run_cli(course, "build", "--help")
    text = " ".join(result.stdout.split())
    assert f"{MB_PER_JOB} MB each after {BASE_MB} MB" in text
    assert f"{default_jobs()} on this machine now" in text


def test_explicit_jobs_are_honoured_beyond_the_old_cap_of_two(tmp_path):
    lessons = {
        f"0{n}-lesson": lesson_cells(f"0{n}", extra_code=BARRIER.format(number=n), tags=["hide-input"])
        for n in (1, 2, 3)
    }
    course = make_course(tmp_path / "course", lessons)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    args = ("--no-pdf", "--audience", "high-school", "--jobs", "3", "--cell-timeout", "120")
    result = run_build(course, tmp_path / "exports", *args, env={"SE_TEST_BARRIER": str(barrier)})
    assert result.returncode == 0, result.stderr
    assert "3 at once" in result.stderr
    assert sorted(p.name for p in barrier.iterdir()) == ["1", "2", "3"]
