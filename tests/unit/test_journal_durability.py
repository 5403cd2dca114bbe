"""Nothing is lost: a writer killed with SIGKILL mid-write, and two kernels writing at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

WRITER = """
import sys
from solidarity_edu.journal import Journal
journal = Journal(sys.argv[1])
tag = sys.argv[2]
for i in range(int(sys.argv[3])):
    entry = journal.save(f"07-{tag}", f"{tag} answer {i} " + "x" * (i % 50))
    print(entry.version, flush=True)  # printed only after the commit returned
"""


def _versions(path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT version FROM answers")}
    finally:
        conn.close()


def test_sigkill_mid_write_never_loses_a_committed_answer(tmp_path):
    path = tmp_path / "journal.sqlite3"
    committed: set[int] = set()
    for round_ in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"k{round_}", "100000"],
            stdout=subprocess.PIPE,
            text=True,
        )
        # Wait for the writer's first confirmed save (a signal, not the clock: a loaded machine took
        # 0.37-0.56 s to get there), then let it confirm a few more, a different number each round,
        # so the kill lands at a different moment of its loop.
        seen = [proc.stdout.readline() for _ in range(1 + (round_ % 5) * 3)]
        assert all(seen), f"round {round_}: the writer exited before saving: {seen}"
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, "the writer had finished: it was not killed mid-write"
        committed |= {int(v) for v in "".join(seen).split() + out.split()}
        assert committed <= _versions(path), "an answer that was reported saved is missing"
    assert len(committed) >= sum(1 + (r % 5) * 3 for r in range(25))


def test_two_kernels_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "journal.sqlite3"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, "150"], stdout=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    outputs = [w.communicate(timeout=120)[0] for w in writers]
    assert all(w.returncode == 0 for w in writers)
    reported = {int(v) for out in outputs for v in out.split()}
    assert len(reported) == 300 and reported == _versions(path)
