"""Benchmark: solidarity-edu build against the workflow a teacher would otherwise script, on the real course.

Run with `make bench`. Prints and writes to bench/results/ (latest.md, latest.json), from one run on
this machine:
- the naive workflow (per lesson x audience: nbconvert --execute to slides, to HTML, to HTML then
  Chromium --print-to-pdf, and a stripped student copy; serially) vs a cold `solidarity-edu build`;
- the cold build at --jobs 1, 2 and the default, and per lesson the seconds spent executing,
  exporting and printing (from `build --timings`);
- a no-change rebuild and two one-lesson-changed rebuilds (a lesson that runs once for all its
  audiences, and 00-welcome, whose code reads the audience and so runs once per audience);
- the floor (one empty notebook executed: kernel start, run, shutdown);
- the host's speed at the start and at the end of the run (a fixed pure-Python loop): this machine is
  a virtual one whose speed moves by half between hours, so a reader can tell a slow host from a
  slow build;
- the build's peak memory (whole process tree, kernels included);
- a student kernel: the lesson's first cell (`from solidarity_edu import *`) and first chart, cold
  (the OS file cache dropped first, where the machine allows it) and warm, with its memory.

`--copies N` adds N copies of the first lesson (the old, flattering measure; default 0: the real course).

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
def run(code):
    t = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda m: None)
    assert reply["content"]["status"] == "ok", reply["content"]
    return time.perf_counter() - t
pid = km.provisioner.process.pid
run("1")
bare = rss(pid)
first = run("from solidarity_edu import *")
chart = run("course_map('high-school')._repr_mimebundle_()")  # asked at once: waits for the imports
after = rss(pid)
km.shutdown_kernel(now=True)
# A student reads before the first chart: the kernel's warm-up (solidarity_edu/first_use.py) has
# loaded the chart modules by then. Wait for that thread (a signal, not a pause), then time the chart.
km, kc = start_new_kernel(kernel_name="python3", cwd=sys.argv[1])
run("from solidarity_edu import *")
run("from solidarity_edu import first_use; first_use._warming is None or first_use._warming.join(300)")
read_chart = run("course_map('high-school')._repr_mimebundle_()")
km.shutdown_kernel(now=True)
print(json.dumps({"first_cell": first, "first_chart": chart, "first_chart_after_reading": read_chart,
                  "bare_mb": bare, "after_mb": after}))
"""


def _course_with_copies(work: Path, copies: int, only: list[str] | None = None) -> None:
    """The real course (or the lessons in ``only``), plus ``copies`` copies of its first lesson when asked."""
    import yaml

    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    shutil.copytree(ROOT / "data", work / "data", ignore=shutil.ignore_patterns("_parts"))
    course_file = work / "notebooks" / "course.yaml"
    course = yaml.safe_load(course_file.read_text())
    if only:
        course["lessons"] = [lesson for lesson in course["lessons"] if lesson["id"] in only]
        course.pop("paths", None)  # suggested paths name lessons left out here
    first = course["lessons"][0]
    for k in range(1, copies + 1):
        lesson_id = f"{90 + k}-copy-of-{first['id'][3:]}"
        shutil.copy(work / "notebooks" / first["notebook"], work / "notebooks" / f"{lesson_id}.ipynb")
        course["lessons"].append({**first, "id": lesson_id, "notebook": f"{lesson_id}.ipynb"})
    course_file.write_text(yaml.safe_dump(course, sort_keys=False))


def host_speed() -> float:
    """Seconds a fixed pure-Python loop (ten million additions) takes now: the host's speed at this moment."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def _drop_file_cache() -> bool:
    """Empty the OS file cache so the next kernel reads the package from disk (root only)."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def _student_kernel(notebooks: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", FIRST_CELL, str(notebooks)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _touch_lesson(path: Path) -> None:
    """Change one sentence of a lesson, as an author fixing a typo would."""
    nb = json.loads(path.read_text())
    first = nb["cells"][0]
    first["source"] = (
        [*first["source"], "\n\nA changed sentence."]
        if isinstance(first["source"], list)
        else (first["source"] + "\n\nA changed sentence.")
    )
    path.write_text(json.dumps(nb))


def _per_lesson(timings: dict) -> dict[str, dict[str, float]]:
    lessons: dict[str, dict[str, float]] = {}
    for job, stages in timings.items():
        row = lessons.setdefault(job.split("/")[0], {"execute": 0.0, "export": 0.0, "print": 0.0})
        for stage, seconds in stages.items():
            row[stage] = row.get(stage, 0.0) + seconds
    return lessons


def main() -> None:
    import argparse

    from solidarity_edu.builder.jobs import default_jobs
    from solidarity_edu.course import load_course
    from solidarity_edu.lesson import read_lesson

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=0, help="extra copies of the first lesson (default 0)")
    parser.add_argument(
        "--lesson", action="append", default=None, help="only this lesson (repeatable; a quick check of the script)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="solidarity-bench-"))
    _course_with_copies(work, args.copies, args.lesson)
    course = load_course(work / "notebooks" / "course.yaml")
    jobs = [(lesson.id, a) for lesson in course.lessons for a in lesson.audiences]
    n = len(jobs)
    default = default_jobs()
    env = {"SOURCE_DATE_EPOCH": "1700000000"}

    def build(exports: str, *extra: str) -> tuple[float, float]:
        # English only: the naive workflow it is compared with builds the English lessons (a translated
        # language costs about as much again; see README, "The course in other languages").
        cli = [str(BIN / "solidarity-edu"), "build", "--exports", str(work / exports), "--language", "en", *extra]
        return timed(cli, work, env)

    machine = f"{platform.platform()}, {os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB, Python {platform.python_version()}"
    print(f"machine: {machine}")
    print(f"course: {len(course.lessons)} lessons, {n} lesson x audience outputs\n", flush=True)

    speed_start = host_speed()
    print(f"host speed check: {speed_start:.2f} s", flush=True)
    naive_times = naive(work / "notebooks", jobs, work / "naive")
    print(f"naive workflow: {naive_times['total']:.1f} s", flush=True)
    timings_file = work / "timings.json"
    cold, peak = build("exports", "--force", "--timings", str(timings_file))
    print(f"cold build: {cold:.1f} s ({naive_times['total'] / cold:.1f}x), peak {peak:.0f} MB", flush=True)
    per_lesson = _per_lesson(json.loads(timings_file.read_text()))
    by_jobs = {default: cold}
    for count in sorted({1, 2} - {default}):
        by_jobs[count] = build(f"exports-{count}", "--force", "--jobs", str(count))[0]
    nochange, _ = build("exports")
    shared = next(
        (lesson for lesson in course.lessons if not read_lesson(lesson.notebook).reads_audience), course.lessons[0]
    )
    per_audience = next((lesson for lesson in course.lessons if read_lesson(lesson.notebook).reads_audience), None)
    changed = {}
    for lesson in [shared, per_audience] if per_audience else [shared]:
        _touch_lesson(lesson.notebook)
        changed[lesson.id] = build("exports")[0]
        print(f"one lesson changed, {lesson.id}: {changed[lesson.id]:.1f} s", flush=True)
    floor = float(subprocess.run([sys.executable, "-c", FLOOR], capture_output=True, text=True, check=True).stdout)
    speed_end = host_speed()
    dropped = _drop_file_cache()

    def how_it_runs(lesson_id: str) -> str:
        model = read_lesson(next(lesson.notebook for lesson in course.lessons if lesson.id == lesson_id))
        if not model.reads_audience:
            return "one run for its audiences"
        if model.audience_only_in_expressions:
            return "its code reads `audience` to show it: one run, those cells again per audience"
        return "its code keeps a value from `audience`: one run per audience"

    kernel_cold = _student_kernel(work / "notebooks")
    kernel_warm = _student_kernel(work / "notebooks")

    cold_label = (
        "cold (file cache dropped)" if dropped else "first kernel of the run (file cache not dropped: not root)"
    )
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| naive workflow, {n} lesson x audience | {naive_times['total']:.1f} s ({naive_times['total'] / n:.1f} s each: "
        f"slides {naive_times['slides'] / n:.1f}, HTML {naive_times['html'] / n:.1f}, PDF {naive_times['pdf'] / n:.1f}, "
        f"student copy {naive_times['student'] / n:.1f}) |",
        f"| solidarity-edu build, cold, --jobs {default} (the default here) | {cold:.1f} s ({cold / n:.1f} s per output set) |",
        *(
            f"| solidarity-edu build, cold, --jobs {k} | {v:.1f} s |"
            for k, v in sorted(by_jobs.items())
            if k != default
        ),
        f"| speed-up, naive / cold | {naive_times['total'] / cold:.1f}x |",
        f"| no-change rebuild | {nochange:.2f} s |",
        *(
            f"| one lesson changed: {lesson_id} ({how_it_runs(lesson_id)}) | {seconds:.1f} s |"
            for lesson_id, seconds in changed.items()
        ),
        f"| floor: one empty notebook executed | {floor:.2f} s |",
        f"| host speed check (ten million Python additions), start / end of the run | "
        f"{speed_start:.2f} s / {speed_end:.2f} s |",
        f"| build cost per lesson x audience / floor | {cold / n / floor:.1f}x |",
        f"| build peak memory (process tree, kernels included) | {peak:.0f} MB |",
        f"| student kernel, {cold_label}: first cell (import) / first chart | "
        f"{kernel_cold['first_cell']:.2f} s / {kernel_cold['first_chart']:.2f} s |",
        f"| student kernel, warm: first cell (import) / first chart | "
        f"{kernel_warm['first_cell']:.2f} s / {kernel_warm['first_chart']:.2f} s |",
        f"| student kernel, warm: first chart asked after the kernel's warm-up has loaded the chart modules | "
        f"{kernel_warm['first_chart_after_reading']:.2f} s |",
        f"| student kernel memory: bare / after first chart | {kernel_warm['bare_mb']:.0f} MB / {kernel_warm['after_mb']:.0f} MB |",
    ]
    lesson_lines = [
        "| lesson | execute (s) | export (s) | print (s) |",
        "|---|---|---|---|",
        *(
            f"| {lesson_id} | {row['execute']:.1f} | {row['export']:.1f} | {row.get('print', 0.0):.1f} |"
            for lesson_id, row in per_lesson.items()
        ),
    ]
    note = (
        "Per lesson, summed over its audiences; execute is split evenly between the audiences a run serves; "
        "print is Chromium's time for the lesson's PDFs, which overlaps other lessons' execution."
    )
    report = "\n".join(lines) + "\n\n" + "\n".join(lesson_lines) + "\n\n" + note
    print(report)
    if args.lesson or args.copies:
        return  # a partial course is a check of the script, not a result
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d")
    (results / "latest.md").write_text(f"{stamp}, {machine}\n\n{report}\n")
    (results / "latest.json").write_text(
        json.dumps(
            {
                "date": stamp,
                "machine": machine,
                "outputs": n,
                "naive": naive_times,
                "cold_by_jobs": by_jobs,
                "default_jobs": default,
                "no_change": nochange,
                "one_lesson_changed": changed,
                "floor": floor,
                "host_speed": {"start": speed_start, "end": speed_end},
                "peak_mb": peak,
                "per_lesson": per_lesson,
                "student_kernel": {"cold": kernel_cold, "warm": kernel_warm, "cache_dropped": dropped},
            },
            indent=1,
        )
        + "\n"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
