"""How many lessons a build runs at once (``--jobs``): one per core, as many as fit in free memory.

Each running lesson costs one kernel plus the executed notebook and its exports held by the build
process. The kernel's peak, measured with VmHWM while every lesson of the course ran, is 135 to
147 MB (02-incarceration is the heaviest); with the notebook and its exports a running lesson is
counted as ``MB_PER_JOB``. The build's own Python process and Chromium take about ``BASE_MB``
however many lessons run. So a 2-core machine runs 2 at once, an 8-core laptop with 4 GB free runs
8, and a machine with 1.5 GB free runs 3 whatever its cores. An explicit ``--jobs N`` is used as given.
"""

from __future__ import annotations

import os

MB_PER_JOB = 300
BASE_MB = 600


def available_mb() -> int | None:
    """MemAvailable from /proc/meminfo, in MB (None where there is no /proc)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def cores() -> int:
    """The cores this process may use (fewer than the machine's in a container or under taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_jobs(cores_: int | None = None, available: int | None = None) -> int:
    """Lessons to run at once when ``--jobs`` is not given: one per core, no more than fit in the
    memory free now (``MB_PER_JOB`` each after ``BASE_MB``), and at least one."""
    n = max(1, cores_ if cores_ is not None else cores())
    free = available if available is not None else available_mb()
    if free is not None:
        n = min(n, max(1, (free - BASE_MB) // MB_PER_JOB))
    return n
