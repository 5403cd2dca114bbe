"""Where the course's files are, for code running inside a lesson's kernel.

Lessons run with notebooks/ as their working folder (the build and JupyterLab both do this), so the
project root is found by walking up from there. SOLIDARITY_EDU_ROOT overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SolidarityEduError


def project_root() -> Path:
    env = os.environ.get("SOLIDARITY_EDU_ROOT")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks" / "course.yaml").is_file() or (
            (folder / "data").is_dir() and (folder / "notebooks").is_dir()
        ):
            return folder
    package_root = Path(__file__).resolve().parent.parent
    if (package_root / "notebooks").is_dir():
        return package_root
    raise SolidarityEduError(
        f"cannot find the course folder from {here}: open the lesson from the project's notebooks/ "
        "folder, or set SOLIDARITY_EDU_ROOT to the project folder"
    )


def course_file() -> Path:
    return project_root() / "notebooks" / "course.yaml"


def data_dir() -> Path:
    return project_root() / "data"
