"""A real JupyterHub on 127.0.0.1 for the study-circle tests, and what a participant does on it.

The hub runs configurable-http-proxy from node_modules (package-lock.json), the dummy authenticator,
SimpleLocalProcessSpawner (homes in a temporary folder) and the circle service from
``solidarity_edu.circle.hub.add_circle_service``. Everything binds to 127.0.0.1 and runs in its own
process group; ``stop`` ends the hub's group and every process started for its users.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests
from fixtures.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "circle-test-password"


@dataclass
class Hub:
    base: Path
    url: str
    admin_token: str
    api_port: int
    process: subprocess.Popen
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)
    circle_port: int = 0  # where the circle service listens (kernels reach it there, not through the proxy)

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.admin_token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=120, **kwargs)

    def token_for(self, user: str) -> str:
        """An API token for ``user`` with all of that user's permissions (what a browser session has)."""
        if user not in self.tokens:
            r = self.api("POST", f"/hub/api/users/{user}/tokens", json={"note": "circle test"})
            assert r.status_code in (200, 201), r.text
            self.tokens[user] = r.json()["token"]
        return self.tokens[user]

    def spawn(self, user: str, timeout: float = 180) -> int:
        """Start ``user``'s server and wait until it is ready; returns how many times the hub said "too
        many users are starting right now" (429, when ``concurrent_spawn_limit`` spawns are pending).

        A 429 carries Retry-After; like a participant told "try again in 10 seconds", this waits that
        long and asks again, so a burst of joins queues instead of failing."""
        deadline = time.monotonic() + timeout
        throttled = 0
        while True:
            r = self.api("POST", f"/hub/api/users/{user}/server")
            if r.status_code != 429:
                break
            throttled += 1
            wait = float(r.headers.get("Retry-After", "5"))
            assert time.monotonic() + wait < deadline, f"{user}: still throttled after {timeout} s ({throttled} tries)"
            time.sleep(wait)  # the hub's own instruction (Retry-After), not a guess
        assert r.status_code in (201, 202, 400), r.text  # 400: already running
        while time.monotonic() < deadline:
            model = self.api("GET", f"/hub/api/users/{user}").json()
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return throttled
            time.sleep(0.5)  # a poll: ends when the hub reports the server ready
        raise AssertionError(f"{user}'s server did not start in {timeout} s; see {self.log}")

    def user_api(self, user: str, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.api(method, f"/user/{user}/{path}", token or self.token_for(user), **kwargs)

    def pull(self, user: str, repo: str, target: str, branch: str = "main") -> list[dict]:
        """What clicking an nbgitpuller link does: the git-pull API of the user's server, read to the end."""
        params = {"repo": repo, "branch": branch, "targetpath": target}
        r = self.user_api(user, "GET", "git-pull/api", params=params, stream=True)
        assert r.status_code == 200, r.text
        events = [json.loads(line[5:]) for line in r.iter_lines(decode_unicode=True) if line.startswith("data:")]
        assert events and events[-1].get("phase") == "finished", f"{user}: pull failed: {events[-5:]}"
        return events

    def follow_link(self, user: str, link: str) -> str:
        """What clicking a ``solidarity-edu link`` link does, for ``user``, through the API: pull with the
        link's own parameters; returns the notebook path the link opens. (The hub's redirect needs a
        browser login: test_the_join_link_in_a_browser follows the link for real.)"""
        from urllib.parse import parse_qs, unquote, urlsplit

        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}" == self.url, link
        assert parts.path == "/hub/user-redirect/git-pull", link
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.pull(user, query["repo"], query["targetpath"], query["branch"])
        assert query["urlpath"].startswith("lab/tree/"), query["urlpath"]
        return unquote(query["urlpath"].removeprefix("lab/tree/"))

    def homes(self) -> Path:
        return self.base / "homes"

    def circle(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        return self.api(method, f"/services/circle/{path}", token, **kwargs)


def _config(
    base: Path,
    port: int,
    api_port: int,
    proxy_port: int,
    circle_port: int,
    admin_token: str,
    users: list[str],
    facilitators: list[str],
    spawn_limit: int = 0,
) -> str:
    allow_root = '["--allow-root"]' if os.geteuid() == 0 else "[]"
    return textwrap.dedent(
        f"""
        import sys
        from solidarity_edu.circle.hub import add_circle_service

        c.JupyterHub.ip = "127.0.0.1"
        c.JupyterHub.port = {port}
        c.JupyterHub.hub_ip = "127.0.0.1"
        c.JupyterHub.hub_port = {api_port}
        c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
        c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
        c.JupyterHub.db_url = "sqlite:///{base}/jupyterhub.sqlite"
        c.JupyterHub.cookie_secret_file = "{base}/cookie_secret"
        c.JupyterHub.pid_file = "{base}/jupyterhub.pid"
        c.JupyterHub.authenticator_class = "dummy"
        c.DummyAuthenticator.password = {PASSWORD!r}
        c.Authenticator.allowed_users = set({users + facilitators!r})
        c.JupyterHub.spawner_class = "simple"
        c.SimpleLocalProcessSpawner.home_dir_template = "{base}/homes/{{username}}"
        c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
        c.Spawner.args = {allow_root}
        c.Spawner.default_url = "/lab"
        c.Spawner.start_timeout = 180
        c.Spawner.http_timeout = 180
        # 0: no limit. The load test sets a limit: spawns beyond it get 429 with Retry-After (from
        # spawn_throttle_retry_range, which JupyterHub advises to set near the median spawn time).
        c.JupyterHub.concurrent_spawn_limit = {spawn_limit}
        c.JupyterHub.spawn_throttle_retry_range = (5, 15)
        c.JupyterHub.services = [{{"name": "tester", "api_token": {admin_token!r}}}]
        c.JupyterHub.load_roles = [
            {{"name": "tester", "services": ["tester"],
             "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:users"]}},
        ]
        c.JupyterHub.load_groups = {{"facilitators": {{"users": {facilitators!r}}}}}
        add_circle_service(c, database_url="sqlite:///{base}/circle.sqlite3", secret_file="{base}/secret/circle.secret", port={circle_port})
        """
    )


def start_hub(base: Path, users: list[str], facilitators: list[str], spawn_limit: int = 0) -> Hub:
    if not CHP.exists():
        raise AssertionError(f"configurable-http-proxy is not installed at {CHP}; run 'make install' (npm ci)")
    port, api_port, proxy_port, circle_port = (free_port() for _ in range(4))
    admin_token = secrets.token_hex(16)
    (base / "homes").mkdir(parents=True, exist_ok=True)
    config = base / "jupyterhub_config.py"
    config.write_text(
        _config(base, port, api_port, proxy_port, circle_port, admin_token, users, facilitators, spawn_limit)
    )
    log = base / "hub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOLIDARITY_EDU_", "JUPYTERHUB_", "JPY_"))}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=base,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(base, f"http://127.0.0.1:{port}", admin_token, api_port, process, log, circle_port=circle_port)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"JupyterHub exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if hub.api("GET", "/hub/api/").status_code == 200 and _service_up(hub):
                return hub
        except requests.ConnectionError:
            pass
        time.sleep(0.5)  # a poll: ends when the hub and the circle service answer
    stop_hub(hub)
    raise AssertionError(f"JupyterHub did not answer in 90 s:\n{log.read_text()[-3000:]}")


def _service_up(hub: Hub) -> bool:
    r = hub.api("GET", "/services/circle/api/shares/00-x", allow_redirects=False)
    return r.status_code in (200, 403)


def _processes_of(hub: Hub) -> list[int]:
    """Every process started for the hub's users (they carry its API address in their environment)."""
    marker = f"127.0.0.1:{hub.api_port}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def stop_hub(hub: Hub) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hub.process.pid, sig)
        try:
            hub.process.wait(timeout=20)
            break
        except subprocess.TimeoutExpired:
            continue
    for pid in _processes_of(hub):
        for kill in (lambda p: os.killpg(p, signal.SIGKILL), lambda p: os.kill(p, signal.SIGKILL)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid)


@contextlib.contextmanager
def running_hub(base: Path, users: list[str], facilitators: list[str], spawn_limit: int = 0) -> Iterator[Hub]:
    """A hub for a test module; stopped afterwards, and nothing it started may outlive it."""
    hub = start_hub(base, users, facilitators, spawn_limit)
    try:
        yield hub
    finally:
        stop_hub(hub)
        deadline = time.monotonic() + 15  # SIGKILLed processes take a moment to leave /proc
        while (left := _processes_of(hub)) and time.monotonic() < deadline:
            time.sleep(0.5)  # a poll: ends when the last process has left /proc
        assert left == [], f"processes still running for the hub after it stopped: {left}"


def vm_rss_kb(pid: int) -> int:
    """Resident memory of one process in kB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def user_memory_mb(hub: Hub, user: str) -> float:
    """Resident memory of everything running for ``user`` (server and kernels), in MB."""
    marker = f"JUPYTERHUB_USER={user}\0".encode()
    pids = [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]
    return sum(vm_rss_kb(pid) for pid in pids if marker in _environ(pid)) / 1024


def hub_memory_mb(hub: Hub, users: list[str]) -> tuple[float, int]:
    """Resident memory (MB) of the hub, its proxy and its services, and how many processes that is.

    The proxy and the services run in sessions of their own, so they are found as the hub process's
    descendants, leaving out the participants' servers and kernels (marked by JUPYTERHUB_USER)."""
    markers = [f"JUPYTERHUB_USER={user}\0".encode() for user in users]
    total, count = 0, 0
    for pid in descendants(hub.process.pid):
        if any(marker in _environ(pid) for marker in markers):
            continue  # a participant's server or kernel
        rss = vm_rss_kb(pid)
        if rss:
            total, count = total + rss, count + 1
    return total / 1024, count


class Kernel:
    """A kernel in a user's server, driven over the kernel websocket as JupyterLab drives it."""

    def __init__(self, hub: Hub, user: str, notebook_path: str) -> None:
        import websocket

        self.hub, self.user = hub, user
        r = hub.user_api(
            user,
            "POST",
            "api/sessions",
            json={"path": notebook_path, "type": "notebook", "kernel": {"name": "python3"}},
        )
        assert r.status_code == 201, r.text
        self.session_id = r.json()["id"]
        self.kernel_id = r.json()["kernel"]["id"]
        ws_url = hub.url.replace("http://", "ws://") + f"/user/{user}/api/kernels/{self.kernel_id}/channels"
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {hub.token_for(user)}"], timeout=180
        )
        self.session = uuid.uuid4().hex

    def run(self, code: str, timeout: float = 180) -> str:
        """Execute ``code``; return its printed output; raise with the traceback if it fails."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": self.user,
                        "session": self.session,
                        "date": "",
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
            )
        )
        out: list[str] = []
        error = None
        reply = idle = False
        deadline = time.monotonic() + timeout
        while not (reply and idle):
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.user}: code did not finish in {timeout} s:\n{code[:300]}")
            raw = self.ws.recv()
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "execute_reply":
                reply = True
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        if error:
            raise AssertionError(f"{self.user}: cell failed:\n{code[:500]}\n{error[-2500:]}")
        return "".join(out)

    def close(self) -> None:
        self.ws.close()
        self.hub.user_api(self.user, "DELETE", f"api/sessions/{self.session_id}")


def descendants(pid: int) -> set[int]:
    """``pid`` and every process below it (by parent pid, whatever its session or group)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def _listening_sockets() -> dict[str, str]:
    """inode -> 'address:port' of every TCP socket in LISTEN state on this machine."""
    listening = {}
    for table, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address, port = fields[1].split(":")
            raw = bytes.fromhex(address)
            if v6:
                words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
                host = socket.inet_ntop(socket.AF_INET6, b"".join(words))
            else:
                host = socket.inet_ntop(socket.AF_INET, raw[::-1])
            listening[fields[9]] = f"{host}:{int(port, 16)}"
    return listening


def listening_addresses(hub: Hub) -> dict[int, list[str]]:
    """pid -> the addresses each process of the hub (hub, proxy, services, users' servers, kernels) listens on."""
    sockets = _listening_sockets()
    result: dict[int, list[str]] = {}
    for pid in descendants(hub.process.pid) | set(_processes_of(hub)):
        addresses = []
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in sockets:
                    addresses.append(sockets[target[8:-1]])
        except OSError:
            continue
        if addresses:
            result[pid] = addresses
    return result


def service_pid(hub: Hub) -> int:
    """The process id of the circle service (a child of the hub, in a session of its own)."""
    for pid in descendants(hub.process.pid):
        try:
            if b"solidarity_edu.circle.service" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    raise AssertionError(f"the circle service is not running under the hub; see {hub.log}")


def raw_post(port: int, path: str, length: int, send: int, headers: dict[str, str] | None = None) -> str:
    """POST to 127.0.0.1:``port`` claiming ``length`` bytes, send ``send`` bytes of them, and return the
    response's status line ('' if the server closed without one). What a client that does not wait for
    an answer does; the server may close the connection while the body is still coming."""
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {length}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    chunk = b"x" * 65536
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        sent = 0
        try:
            while sent < send:
                piece = chunk[: min(len(chunk), send - sent)]
                conn.sendall(piece)
                sent += len(piece)
        except OSError:
            pass  # the server stopped reading: expected for a refused body
        try:
            return conn.recv(4096).decode("latin-1").split("\r\n", 1)[0]
        except OSError:
            return ""
