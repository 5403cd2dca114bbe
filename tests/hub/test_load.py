"""A load test on a real JupyterHub (127.0.0.1): thirty participants join a study circle at once.

One hub with thirty participants (load01..load30) and a facilitator, on this machine (2 cores in CI).
All thirty, at the same time (thirty threads), do what a participant does in a circle: the hub
spawns their server, it pulls the published student notebooks through nbgitpuller's git-pull API,
lesson 07 runs end to end in a kernel, and they answer one reflection with the real widgets (type,
Save) and tick "Share with my circle".

The hub runs with ``concurrent_spawn_limit = SPAWN_LIMIT``: a spawn beyond it is answered 429 with
Retry-After, and the participant asks again after that wait (``Hub.spawn``), so the burst queues
instead of failing, as JupyterHub's docs advise for classes that log in at once.

Asserted: correctness only. Every participant succeeds (all failures are collected and reported
together), the facilitator's summary counts thirty shares for that prompt, the hub really queued
part of the burst, the memory figures are positive, and after the hub stops nothing is left running.

Reported, never asserted (printed and written to bench/results/hub-load.json; deploy/README.md
quotes one run): seconds for the whole wave; per step (spawn, pull, lesson, share) min, median and
max; how many spawns were told to wait; a second join once every server is up ("warm": what a
participant sees when the hub was warmed before the session); resident memory per participant
(server + lesson kernel, measured while every kernel is still open) as min/median/max; and the
hub's own memory.

The hub's own memory is the hub process and its descendants (configurable-http-proxy and the circle
service are its children), minus every process started for a participant or the facilitator (their
servers and kernels carry JUPYTERHUB_USER=<name> in their environment). The process group is not
enough: JupyterHub starts the proxy and managed services with start_new_session=True, so they leave
the hub's group. The figure is summed VmRSS, so shared libraries count once per process (an upper bound).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from hubtools import ROOT, Hub, Kernel, hub_memory_mb, running_hub, user_memory_mb
from test_study_circle import (
    FACILITATOR,
    FIND,
    LESSON_07,
    TARGET,
    _call,
    _prompts,
    curriculum,  # noqa: F401  (a module-scoped fixture, used by name below)
)

pytestmark = [pytest.mark.hub, pytest.mark.slow]

PARTICIPANTS = [f"load{i:02d}" for i in range(1, 31)]
# Spawns in progress at once; more wait (429 + Retry-After). 4 per core keeps a 2-core machine busy
# without starving the servers that are already starting.
SPAWN_LIMIT = 8
SPAWN_TIMEOUT = 900
SHARED = "Shared with your circle, without your name"
RESULTS = ROOT / "bench" / "results" / "hub-load.json"


def _memory_gib() -> int:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return round(pages / 2**30)


@pytest.fixture(scope="module")
def load_hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("load-hub"), PARTICIPANTS, [FACILITATOR], SPAWN_LIMIT) as hub:
        yield hub


def _reflection(root: Path) -> tuple[str, str]:
    """A reflection of lesson 07 that is not optional: (prompt id, the activity call from the lesson)."""
    prompt = next(p for p in _prompts(root, "07-defining-solidarity").values() if p.kind == "reflect" and p.shareable)
    return prompt.id, _call(prompt)


def _join_and_share(hub: Hub, repo: Path, user: str, call: str) -> tuple[Kernel, dict]:
    """One participant's wave; returns the lesson kernel still open (the caller measures, then closes)."""
    started = time.monotonic()
    throttled = hub.spawn(user, timeout=SPAWN_TIMEOUT)
    spawned = time.monotonic()
    hub.pull(user, f"file://{repo}", TARGET)
    pulled = time.monotonic()
    notebook = nbformat.reads(json.dumps(hub.user_api(user, "GET", f"api/contents/{LESSON_07}").json()["content"]), 4)
    kernel = Kernel(hub, user, LESSON_07)
    try:
        for cell in notebook.cells:  # the whole lesson, end to end, as "Run All" does
            if cell.cell_type == "code":
                kernel.run(cell.source, timeout=SPAWN_TIMEOUT)
        ran = time.monotonic()
        kernel.run(FIND)
        answer = f"{user} writes: we meet at the tenants' union on Thursdays"
        shared = kernel.run(
            f"act = {call}\n_find(act.widget, _w.Textarea)[0].value = {answer!r}\n_click(act, 'Save')\n_share(act)\n",
            timeout=SPAWN_TIMEOUT,
        )
        assert shared.count(SHARED) == 1, f"{user}: the share was not confirmed: {shared!r}"
    except BaseException:
        kernel.close()
        raise
    done = time.monotonic()
    timings = {"spawn": spawned - started, "pull": pulled - spawned, "lesson": ran - pulled, "share": done - ran}
    return kernel, {"user": user, "answer": answer, "seconds": timings, "throttled": throttled}


def test_thirty_participants_join_run_lesson_07_and_share_at_once(load_hub, curriculum, root):  # noqa: F811
    hub = load_hub
    bare, _ = curriculum
    prompt, call = _reflection(root)
    for user in [*PARTICIPANTS, FACILITATOR]:
        hub.token_for(user)  # a browser session each; made before the wave so threads never race for one

    def one(user: str):
        try:
            return user, _join_and_share(hub, bare, user, call), None
        except BaseException:
            return user, None, traceback.format_exc()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(PARTICIPANTS)) as pool:
        outcomes = list(pool.map(one, PARTICIPANTS))
    wave_seconds = time.monotonic() - started

    kernels = [result[0] for _, result, _ in outcomes if result]
    try:
        # A second join while every server is up: what a participant sees on a warmed hub.
        warm = []
        for user, result, _ in outcomes:
            if result:
                t0 = time.monotonic()
                hub.spawn(user, timeout=60)
                warm.append(time.monotonic() - t0)
        # Measured while every lesson kernel is still open.
        memory = {user: user_memory_mb(hub, user) for user, result, _ in outcomes if result}
        hub_mb, hub_processes = hub_memory_mb(hub, [*PARTICIPANTS, FACILITATOR])
    finally:
        for kernel in kernels:
            kernel.close()

    failures = {user: error for user, _, error in outcomes if error}
    assert not failures, f"{len(failures)} of {len(PARTICIPANTS)} participants failed:\n" + "\n".join(
        f"--- {user}\n{error}" for user, error in failures.items()
    )

    r = hub.circle("GET", "api/summary?lesson=07", hub.token_for(FACILITATOR))
    assert r.status_code == 200, r.text
    summary = {item["prompt"]: item for item in r.json()["prompts"]}
    assert summary[prompt]["count"] == len(PARTICIPANTS), summary.get(prompt)
    answers = sorted(result[1]["answer"] for _, result, _ in outcomes)
    assert sorted(entry["text"] for entry in summary[prompt]["texts"]) == answers

    per_user = sorted(memory.values())
    assert len(per_user) == len(PARTICIPANTS) and per_user[0] > 0 and hub_mb > 0, (memory, hub_mb)
    steps = {
        step: {
            "min": round(min(t[1]["seconds"][step] for _, t, _ in outcomes), 1),
            "median": round(statistics.median(t[1]["seconds"][step] for _, t, _ in outcomes), 1),
            "max": round(max(t[1]["seconds"][step] for _, t, _ in outcomes), 1),
        }
        for step in ("spawn", "pull", "lesson", "share")
    }
    throttled = [t[1]["throttled"] for _, t, _ in outcomes]
    assert sum(throttled) > 0, "no spawn was queued: the burst never reached concurrent_spawn_limit"
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.platform()}, {os.cpu_count()} cores, {_memory_gib()} GiB",
        "wave_note": "30 threads at once; the machine also ran whatever else was running (see the note in deploy/README.md)",
        "participants": len(PARTICIPANTS),
        "concurrent_spawn_limit": SPAWN_LIMIT,
        "spawns_told_to_wait": sum(1 for n in throttled if n),
        "spawn_seconds": {
            "median": round(statistics.median(t[1]["seconds"]["spawn"] for _, t, _ in outcomes), 1),
            "slowest": round(max(t[1]["seconds"]["spawn"] for _, t, _ in outcomes), 1),
        },
        "warm_join_seconds": {"median": round(statistics.median(warm), 2), "slowest": round(max(warm), 2)},
        "wave_seconds": round(wave_seconds, 1),
        "participant_mb": {
            "min": round(per_user[0], 1),
            "median": round(statistics.median(per_user), 1),
            "max": round(per_user[-1], 1),
        },
        "hub_mb": round(hub_mb, 1),
        "hub_processes": hub_processes,
        "step_seconds": steps,
        "prompt": prompt,
        "measured": "summed VmRSS from /proc; participant = server + open lesson 07 kernel; "
        "hub = hub process tree (hub, configurable-http-proxy, circle service) minus participants' processes",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nhub load test: {json.dumps(report, indent=2)}\n(written to {RESULTS})")
