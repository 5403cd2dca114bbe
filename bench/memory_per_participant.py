"""Memory of one study-circle participant: a real Jupyter server and the kernels of real lessons.

Run with `.venv/bin/python bench/memory_per_participant.py` (`--runs N`, default 3). Two setups, each
measured in every run, each in a fresh temporary folder (HOME, Jupyter config/data/runtime folders and
the journal, SOLIDARITY_EDU_JOURNAL, all inside it; a copy of notebooks/ and data/ as the course):

A. `jupyter server` alone on 127.0.0.1, with every server extension this project installs (JupyterLab,
   Voila, nbgitpuller, ...): what one participant costs without a hub around it.
B. A real JupyterHub on 127.0.0.1 (DummyAuthenticator, SimpleLocalProcessSpawner, the project's pinned
   configurable-http-proxy from node_modules/, and the circle service from add_circle_service) that
   spawns the participant's `jupyterhub-singleuser`, reached through the proxy at /user/<name>/: what a
   participant costs on the circle's hub, and what the hub, proxy and circle service cost themselves.

In both, the participant's server first serves what JupyterLab's page asks for (idle figure); then a
lesson is opened the way JupyterLab opens it: POST /api/sessions (the server starts the kernel as its
child) and every code cell is sent over the kernel websocket (/api/kernels/<id>/channels), waiting for
each execute_reply, while memory is sampled every 0.1 s; then a second lesson in a second kernel while
the first stays open (a participant who did not close the previous lesson).

Memory is read from /proc: RSS (resident set) of the server process and all its descendants, summed.
The sum counts shared libraries once per process, so it is an upper bound; PSS (/proc/<pid>/smaps_rollup,
shared pages divided among the processes that map them) is printed beside it for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ("07-defining-solidarity.ipynb", "02-incarceration.ipynb")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- memory from /proc ---------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack += children.get(p, [])
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(pid: int) -> tuple[float, float, int]:
    """(RSS MiB, PSS MiB, number of processes) of a process tree."""
    pids = _tree(pid)
    return sum(map(_rss, pids)) / 2**20, sum(map(_pss, pids)) / 2**20, len(pids)


class Peak:
    """Samples a process tree's RSS in the background and keeps the highest value."""

    def __init__(self, pid: int) -> None:
        self.pid, self.value, self._task = pid, 0.0, None

    async def _run(self) -> None:
        while True:
            self.value = max(self.value, tree_memory(self.pid)[0])
            await asyncio.sleep(0.1)

    def __enter__(self) -> Peak:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        self._task.cancel()
        self.value = max(self.value, tree_memory(self.pid)[0])


# --- the server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(work: Path) -> tuple[subprocess.Popen, str, str]:
    port, token = _free_port(), secrets.token_hex(16)
    home = work / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "IPYTHONDIR": str(home / ".ipython"),
        "SOLIDARITY_EDU_JOURNAL": str(work / "journal.sqlite"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work / 'course'}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--allow-root",
        ],
        cwd=work / "course",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            return proc, base, token
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"jupyter server exited: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.25)
    stop_server(proc)
    raise SystemExit("jupyter server did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def api(base: str, token: str, path: str, body: dict | None = None) -> dict | str:
    request = urllib.request.Request(
        f"{base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        data = response.read().decode()
    return json.loads(data) if response.headers.get_content_type() == "application/json" else data


def open_lab(base: str, token: str) -> None:
    """What JupyterLab's page asks of the server when a participant opens it."""
    api(base, token, "/lab")
    for path in ("/lab/api/settings", "/lab/api/workspaces", "/api/kernelspecs", "/api/contents/notebooks"):
        api(base, token, path)


# --- running a lesson through the kernel websocket -----------------------------------------------


def _message(session: str, code: str) -> dict:
    msg_id = uuid.uuid4().hex
    return {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "username": "participant",
            "session": session,
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


async def run_lesson(base: str, token: str, notebook: str) -> tuple[str, int]:
    # `base` is the single-user server's URL: http://127.0.0.1:PORT or, through JupyterHub's proxy,
    # http://127.0.0.1:PORT/user/<name>
    """Open `notebook` in a new kernel session and run its code cells; returns (kernel id, cells run)."""
    session = api(
        base,
        token,
        "/api/sessions",
        {"path": f"notebooks/{notebook}", "name": notebook, "type": "notebook", "kernel": {"name": "python3"}},
    )
    kernel_id = session["kernel"]["id"]
    ws_url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}))
    client_session = uuid.uuid4().hex
    cells = [
        c.source for c in nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells if c.cell_type == "code"
    ]
    try:
        for number, code in enumerate(cells, 1):
            message = _message(client_session, code)
            await ws.write_message(json.dumps(message))
            while True:
                raw = await asyncio.wait_for(ws.read_message(), timeout=300)
                if raw is None:
                    raise SystemExit(f"{notebook}: kernel websocket closed at code cell {number}")
                if isinstance(raw, bytes):
                    continue  # binary frames (widget buffers) are not replies
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != message["header"]["msg_id"]:
                    continue
                if reply["msg_type"] == "execute_reply":
                    if reply["content"]["status"] != "ok":
                        content = reply["content"]
                        raise SystemExit(
                            f"{notebook}: code cell {number} failed: {content.get('ename')}: {content.get('evalue')}"
                        )
                    break
    finally:
        ws.close()
    return kernel_id, len(cells)


async def run_lessons(
    base: str, token: str, lessons: list[str], pid: int, label: str, figures: dict[str, tuple[float, float, int]]
) -> None:
    """Open the lessons one after the other, each in its own kernel, the earlier ones left open."""
    for number, notebook in enumerate(lessons, 1):
        with Peak(pid) as peak:
            await run_lesson(base, token, notebook)
        await asyncio.sleep(2)
        kernels = "1 kernel" if number == 1 else f"{number} kernels"
        figures[f"{label} + {kernels}, {notebook} run"] = tree_memory(pid)
        figures[f"{label}, peak while running {notebook}"] = (peak.value, float("nan"), 0)


# --- one run -------------------------------------------------------------------------------------


async def one_run(lessons: list[str]) -> dict[str, tuple[float, float, int]]:
    work = Path(tempfile.mkdtemp(prefix="participant-"))
    try:
        shutil.copytree(ROOT / "notebooks", work / "course" / "notebooks")
        shutil.copytree(ROOT / "data", work / "course" / "data", ignore=shutil.ignore_patterns("_parts"))
        (work / "home").mkdir()
        proc, base, token = start_server(work)
        figures: dict[str, tuple[float, float, int]] = {}
        try:
            open_lab(base, token)
            await asyncio.sleep(3)
            figures["A. server idle, JupyterLab opened"] = tree_memory(proc.pid)
            await run_lessons(base, token, lessons, proc.pid, "A. server", figures)
        finally:
            stop_server(proc)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- the same participant through a real JupyterHub ----------------------------------------------

HUB_CONFIG = """
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{work}/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = ["--allow-root"]
c.Spawner.notebook_dir = "{work}/home/{{username}}/course"
c.Spawner.environment = {{"SOLIDARITY_EDU_JOURNAL": "{work}/journal-{{username}}.sqlite"}}
c.Spawner.default_url = "/lab"
c.JupyterHub.services = [{{"name": "bench", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [
    {{"name": "bench", "scopes": ["admin:users", "admin:servers", "access:servers"], "services": ["bench"]}}
]

# The circle service, as every deployment adds it (SQLite store in the temporary folder).
from solidarity_edu.circle.hub import add_circle_service

add_circle_service(c, database_url="sqlite:///{work}/circle.sqlite", secret_file="{work}/secret/circle.secret", port={circle_port})
"""


def _children(pid: int) -> list[int]:
    return [p for p in _tree(pid) if p != pid and _ppid(p) == pid]


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


async def hub_run(lessons: list[str]) -> dict[str, tuple[float, float, int]]:
    """JupyterHub + configurable-http-proxy, then one participant's jupyterhub-singleuser spawned by it."""
    chp = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists():
        raise SystemExit("configurable-http-proxy is missing: run 'make install' (npm ci)")
    work = Path(tempfile.mkdtemp(prefix="hub-"))
    name, token = "participant", secrets.token_hex(16)
    try:
        course = work / "home" / name / "course"
        shutil.copytree(ROOT / "notebooks", course / "notebooks")
        shutil.copytree(ROOT / "data", course / "data", ignore=shutil.ignore_patterns("_parts"))
        port, hub_port, api_port, circle_port = _free_port(), _free_port(), _free_port(), _free_port()
        (work / "jupyterhub_config.py").write_text(
            HUB_CONFIG.format(
                port=port,
                hub_port=hub_port,
                api_port=api_port,
                circle_port=circle_port,
                chp=str(chp),
                work=work,
                token=token,
                singleuser=str(Path(sys.executable).parent / "jupyterhub-singleuser"),
            )
        )
        log = work / "jupyterhub.log"
        hub = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(work / "jupyterhub_config.py")],
            cwd=work,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            start_new_session=True,
        )
        public = f"http://127.0.0.1:{port}"
        figures: dict[str, tuple[float, float, int]] = {}
        try:
            for _ in range(240):
                try:
                    api(public, token, "/hub/api/")
                    break
                except OSError:
                    if hub.poll() is not None:
                        raise SystemExit(f"jupyterhub exited: {log.read_text()[-2000:]}") from None
                    await asyncio.sleep(0.25)
            else:
                raise SystemExit("jupyterhub did not start within 60 s")
            await asyncio.sleep(3)
            figures["B. JupyterHub + proxy + circle service, no participant"] = tree_memory(hub.pid)
            circle = next((p for p in _children(hub.pid) if "solidarity_edu.circle.service" in _cmdline(p)), None)
            if circle is None:
                raise SystemExit(f"the circle service is not running: {log.read_text()[-3000:]}")
            figures["B. of which the circle service"] = tree_memory(circle)
            try:
                api(public, token, f"/hub/api/users/{name}", {})
                api(public, token, f"/hub/api/users/{name}/server", {})
            except OSError as err:
                raise SystemExit(f"spawning failed ({err}): {log.read_text()[-3000:]}") from err
            base = f"{public}/user/{name}"
            for _ in range(240):
                model = api(public, token, f"/hub/api/users/{name}")
                if model["servers"].get("", {}).get("ready"):
                    break
                await asyncio.sleep(0.25)
            else:
                raise SystemExit("the participant's server did not become ready within 60 s")
            singleuser = next(p for p in _children(hub.pid) if "jupyterhub-singleuser" in _cmdline(p))
            open_lab(base, token)
            await asyncio.sleep(3)
            figures["B. jupyterhub-singleuser idle, JupyterLab opened"] = tree_memory(singleuser)
            await run_lessons(base, token, lessons, singleuser, "B. jupyterhub-singleuser", figures)
            hub_pids = [p for p in _tree(hub.pid) if p not in _tree(singleuser)]
            figures["B. JupyterHub + proxy + circle service, with the participant running"] = (
                sum(map(_rss, hub_pids)) / 2**20,
                sum(map(_pss, hub_pids)) / 2**20,
                len(hub_pids),
            )
        finally:
            leftovers = [p for p in _tree(hub.pid) if p != hub.pid]
            stop_server(hub)  # JupyterHub stops the servers it spawned when it shuts down
            for pid in leftovers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="independent runs, each with a fresh server")
    parser.add_argument(
        "--lessons", nargs="+", default=list(LESSONS), help="notebooks/ files to open, in order (default: %(default)s)"
    )
    args = parser.parse_args()
    runs = [asyncio.run(one_run(args.lessons)) | asyncio.run(hub_run(args.lessons)) for _ in range(args.runs)]
    memory_gib = os.sysconf("SC_PHYS_PAGES") * PAGE / 2**30
    print(f"{platform.platform()}, {os.cpu_count()} cores, {memory_gib:.0f} GiB, Python {platform.python_version()}")
    print(f"{args.runs} runs; lessons: {', '.join(args.lessons)}")
    print(f"{datetime.now(UTC).date().isoformat()}\n")
    print("| state | RSS MiB median | RSS MiB max | PSS MiB median | processes |")
    print("|---|---:|---:|---:|---:|")
    for key in runs[0]:
        rss = [r[key][0] for r in runs]
        pss = [r[key][1] for r in runs]
        pss_text = "-" if any(p != p for p in pss) else f"{statistics.median(pss):.0f}"
        procs = runs[0][key][2] or "-"
        print(f"| {key} | {statistics.median(rss):.0f} | {max(rss):.0f} | {pss_text} | {procs} |")


if __name__ == "__main__":
    main()
