"""Shared fixtures. Chromium and a kernel are real; a missing one is a failure, never a skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.lanes import FAST, SLOW_FOLDERS  # noqa: E402
from fixtures.make_course import make_course  # noqa: E402

FIXED_EPOCH = "1700000000"


def pytest_collection_modifyitems(config, items):
    """Tests that build the course, start a hub or open a browser are `slow`: the fast lane skips them."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        if parts and parts[0] in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


def require_tool(name: str, package: str) -> str:
    if FAST and name == "chromium":
        pytest.fail("this test needs chromium: mark it @pytest.mark.slow so the fast lane (make check) leaves it out")
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed; run 'make system' (installs Debian's {package})")
    return path


def run_cli(course: Path, *args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real command line on ``course``, as a teacher would (fixed build date)."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "solidarity_edu.cli",
            "--course",
            str(course),
            "--data",
            str(course.parent.parent / "data"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=course.parent.parent,
        timeout=timeout,
    )


def run_build(course: Path, exports: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`solidarity-edu build` of ``course`` into ``exports``."""
    return run_cli(course, "build", "--exports", str(exports), *extra, env=env)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def real_exports(tmp_path_factory) -> Path:
    """The real course built once (all lessons, all audiences, PDFs) into a temporary exports/."""
    require_tool("chromium", "chromium")
    exports = tmp_path_factory.mktemp("real") / "exports"
    result = run_build(ROOT / "notebooks" / "course.yaml", exports)
    assert result.returncode == 0, result.stderr
    return exports


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The two-lesson fixture course built once: (course.yaml, exports, result)."""
    require_tool("chromium", "chromium")
    base = tmp_path_factory.mktemp("fixture")
    course = make_course(base / "course")
    exports = base / "exports"
    result = run_build(course, exports)
    assert result.returncode == 0, result.stderr
    return course, exports, result
