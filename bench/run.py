"""Benchmark: solidarity-edu build against the workflow a teacher would otherwise script.

Run with `make bench`. Prints, from one run on this machine:
- the naive workflow (per lesson x audience: nbconvert --execute to slides, to HTML, to HTML then
  Chromium --print-to-pdf, and a stripped student copy; serially) vs a cold `solidarity-edu build`;
- a no-change rebuild and a one-lesson-changed rebuild, in seconds and as a ratio to the cold build;
- the floor (one empty notebook executed: kernel start, run, shutdown) and the build's cost per
  lesson x audience as a multiple of it;
- the build's peak memory (whole process tree, kernels included);
- a student kernel's first cell (`from solidarity_edu import *` and one chart): time and memory.

Stock nbconvert's webpdf exporter needs a browser downloaded by Playwright, which this project never
does; the naive PDF step is therefore nbconvert HTML printed by Debian's chromium, which is what a
teacher on this machine would script.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total / 1e6


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) for one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err[-2000:]}")
    return time.perf_counter() - start, peak[0]


def naive(course_dir: Path, jobs: list[tuple[str, str]], out: Path) -> dict[str, float]:
    jupyter = str(BIN / "jupyter")
    chromium = shutil.which("chromium") or "chromium"
    steps = {"slides": 0.0, "html": 0.0, "pdf": 0.0, "student": 0.0}
    for lesson, _audience in jobs:
        nb = course_dir / f"{lesson}.ipynb"
        steps["slides"] += timed(
            [jupyter, "nbconvert", "--execute", "--to", "slides", str(nb), "--output-dir", str(out)], course_dir
        )[0]
        steps["html"] += timed(
            [jupyter, "nbconvert", "--execute", "--to", "html", str(nb), "--output-dir", str(out)], course_dir
        )[0]
        t0 = time.perf_counter()
        timed(
            [
                jupyter,
                "nbconvert",
                "--execute",
                "--to",
                "html",
                str(nb),
                "--output-dir",
                str(out),
                "--output",
                f"{lesson}-print",
            ],
            course_dir,
        )
        timed(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                f"--print-to-pdf={out / (lesson + '.pdf')}",
                (out / f"{lesson}-print.html").as_uri(),
            ],
            course_dir,
        )
        steps["pdf"] += time.perf_counter() - t0
        steps["student"] += timed(
            [
                jupyter,
                "nbconvert",
                "--to",
                "notebook",
                str(nb),
                "--output-dir",
                str(out),
                "--output",
                f"{lesson}-student",
                "--TagRemovePreprocessor.enabled=True",
                "--TagRemovePreprocessor.remove_cell_tags=answer-key",
                "--TagRemovePreprocessor.remove_cell_tags=facilitator",
                "--ClearOutputPreprocessor.enabled=True",
            ],
            course_dir,
        )[0]
    steps["total"] = sum(steps.values())
    return steps


FLOOR = """
import time, nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook(); nb.cells = [nbformat.v4.new_code_cell("1")]
t = time.perf_counter(); NotebookClient(nb, kernel_name="python3", shutdown_kernel="immediate").execute()
print(time.perf_counter() - t)
"""

FIRST_CELL = """
import json, os, time, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="python3", cwd=sys.argv[1])
def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return int(line.split()[1]) / 1024
pid = km.provisioner.process.pid
kc.execute_interactive("1", timeout=60, output_hook=lambda m: None)
bare = rss(pid)
t = time.perf_counter()
reply = kc.execute_interactive("from solidarity_edu import *\\ncourse_map('high-school')._repr_mimebundle_()", timeout=120, output_hook=lambda m: None)
seconds = time.perf_counter() - t
after = rss(pid)
km.shutdown_kernel(now=True)
print(json.dumps({"seconds": seconds, "bare_mb": bare, "after_mb": after, "status": reply["content"]["status"]}))
"""


def _course_with_copies(work: Path, copies: int) -> None:
    """The real course plus `copies` copies of its first lesson, so fixed costs show at course scale."""
    import yaml

    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    shutil.copytree(ROOT / "data", work / "data", ignore=shutil.ignore_patterns("_parts"))
    course_file = work / "notebooks" / "course.yaml"
    course = yaml.safe_load(course_file.read_text())
    first = course["lessons"][0]
    for k in range(1, copies + 1):
        lesson_id = f"{90 + k}-copy-of-{first['id'][3:]}"
        shutil.copy(work / "notebooks" / first["notebook"], work / "notebooks" / f"{lesson_id}.ipynb")
        course["lessons"].append({**first, "id": lesson_id, "notebook": f"{lesson_id}.ipynb"})
    course_file.write_text(yaml.safe_dump(course, sort_keys=False))


def main() -> None:
    import argparse

    from solidarity_edu.course import load_course

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--copies", type=int, default=3, help="extra copies of the first lesson, to measure at course scale (default 3)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="solidarity-bench-"))
    _course_with_copies(work, args.copies)
    course = load_course(work / "notebooks" / "course.yaml")
    jobs = [(lesson.id, a) for lesson in course.lessons for a in lesson.audiences]
    cli = [str(BIN / "solidarity-edu"), "build", "--exports", str(work / "exports")]
    env = {"SOURCE_DATE_EPOCH": "1700000000"}

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"jobs: {len(jobs)} (lessons x audiences; {args.copies} of the lessons are copies of {course.lessons[0].id})\n"
    )

    naive_times = naive(work / "notebooks", jobs, work / "naive")
    cold, peak = timed([*cli, "--force"], work, env)
    nochange, _ = timed(cli, work, env)
    first = course.lessons[0]
    nb_path = first.notebook
    nb = json.loads(nb_path.read_text())
    nb["cells"][0]["source"] = nb["cells"][0]["source"] + ["\n\nA changed sentence."]
    nb_path.write_text(json.dumps(nb))
    changed, _ = timed(cli, work, env)
    floor = float(subprocess.run([sys.executable, "-c", FLOOR], capture_output=True, text=True, check=True).stdout)
    kernel = json.loads(
        subprocess.run(
            [sys.executable, "-c", FIRST_CELL, str(work / "notebooks")], capture_output=True, text=True, check=True
        ).stdout
    )

    n = len(jobs)
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| naive workflow, {n} lesson x audience | {naive_times['total']:.1f} s ({naive_times['total'] / n:.1f} s each: "
        f"slides {naive_times['slides'] / n:.1f}, HTML {naive_times['html'] / n:.1f}, PDF {naive_times['pdf'] / n:.1f}, "
        f"student copy {naive_times['student'] / n:.1f}) |",
        f"| solidarity-edu build, cold | {cold:.1f} s ({cold / n:.1f} s each) |",
        f"| speed-up, naive / cold | {naive_times['total'] / cold:.1f}x |",
        f"| no-change rebuild | {nochange:.2f} s ({nochange / cold:.3f} of cold) |",
        f"| one lesson changed ({first.id}, {len(first.audiences)} audiences of {n} jobs) | {changed:.1f} s ({changed / cold:.2f} of cold) |",
        f"| floor: one empty notebook executed | {floor:.2f} s |",
        f"| build cost per lesson x audience / floor | {cold / n / floor:.1f}x |",
        f"| build peak memory (process tree, kernels included) | {peak:.0f} MB |",
        f"| student kernel first cell (import + one chart) | {kernel['seconds']:.2f} s |",
        f"| student kernel memory: bare / after first cell | {kernel['bare_mb']:.0f} MB / {kernel['after_mb']:.0f} MB "
        f"(+{kernel['after_mb'] - kernel['bare_mb']:.0f} MB) |",
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(f"{platform.platform()}, {os.cpu_count()} cores\n\n{report}\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
